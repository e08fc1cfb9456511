"""Abuse limits: what one client may send, checked before the work it costs.

Every limit is a setting (wiki/settings.py, "Abuse limits"; README.md,
"Limits"):

- logging in: django-axes counts failures per account and per address and
  answers a lockout with the login form and how long it lasts
  (``login_locked_out``);
- signing up: a question a person answers at a glance, a field only robots
  fill, and a number of accounts per address and hour (``signup_refusal``);
- proposals: how many a contributor may have waiting and may file in an
  hour, fewer for new accounts (``proposal_refusal``, checked by the one
  service that files them), lifted by a moderator for a contributor;
- comments: how many one account may post in an hour
  (``comment_refusal``, checked by the service that posts them);
- requests: the size of a post and the rows of a form's lists
  (``limit_requests``, a middleware that answers before a session, a form or
  a view is touched).
"""

import hashlib
import hmac
import ipaddress
import secrets
from datetime import timedelta
from math import ceil
from typing import NamedTuple

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone

from wiki.models import AccountSignup, Comment, Proposal
from wiki.roles import TRUSTED_CONTRIBUTORS, ensure_roles

UNLIMITED = "wiki.file_unlimited_proposals"
PUBLISH = "wiki.publish_page"  # wiki.moderation.permissions.PUBLISH
REVIEW = "wiki.review_proposal"  # wiki.moderation.permissions.REVIEW

# --- Addresses -----------------------------------------------------------


def _networks() -> list:
    networks = []
    for item in settings.TRUSTED_PROXIES:
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            continue
    return networks


def _is_proxy(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or, when that is one of the
    trusted proxies (``DJANGO_TRUSTED_PROXIES``), the nearest address in
    X-Forwarded-For that is not a proxy.  A client cannot forge it: it can
    only add addresses to the far end of the header."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks()
    if not _is_proxy(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",")]):
        if hop and not _is_proxy(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # not an address: believe nothing further
    return remote


def _address_hash(request) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, client_address(request).encode(), hashlib.sha256).hexdigest()


# --- Logging in (django-axes) --------------------------------------------


def login_username(request, credentials=None) -> str:
    """The name a login attempt is counted under (django-axes): as typed, cut
    to the length axes stores; no account's name is longer (150)."""
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username", "")
    return str(username)[:255]


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: the login form again, with
    the name as typed, why, and when to try again (429, Retry-After)."""
    minutes = settings.LINEAGE_LOGIN_LOCKOUT_MINUTES
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username[:150]})
    response = render(
        request,
        "registration/login.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next") or "",
            "locked_out_minutes": minutes,
            "failure_limit": settings.LINEAGE_LOGIN_FAILURES,
        },
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response


# --- Signing up ----------------------------------------------------------

_NUMBERS = [
    *"zero one two three four five six seven eight nine ten".split(),  # noqa: SIM905
    *"eleven twelve thirteen fourteen fifteen sixteen".split(),  # noqa: SIM905
    *"seventeen eighteen nineteen twenty".split(),  # noqa: SIM905
]
_SIGNUP_SALT = "lineage.signup-question"


def signup_question(token: str = "") -> tuple[str, str]:
    """A question for the sign-up form and its token, which names the
    question without giving the answer away.  With a ``token``, the same
    question again (its signature is checked by ``signup_answer_error``)."""
    try:
        nonce = signing.loads(token, salt=_SIGNUP_SALT)["n"] if token else None
    except (signing.BadSignature, KeyError, TypeError):
        nonce = None
    if nonce is None:
        nonce = secrets.token_hex(8)
        token = signing.dumps({"n": nonce}, salt=_SIGNUP_SALT)
    first, second = _operands(nonce)
    return f"What is {_NUMBERS[first]} plus {second}?", token


def _operands(nonce: str) -> tuple[int, int]:
    digest = hmac.new(settings.SECRET_KEY.encode(), nonce.encode(), "sha256").digest()
    return 2 + digest[0] % 9, 1 + digest[1] % 9


def signup_answer_error(token: str, answer: str) -> str | None:
    """Why the answer to the sign-up question is refused, or None."""
    max_age = timedelta(hours=settings.LINEAGE_SIGNUP_FORM_HOURS)
    try:
        nonce = signing.loads(token, salt=_SIGNUP_SALT, max_age=max_age)["n"]
    except signing.SignatureExpired:
        return (
            "This form was opened too long ago; answer the new question below "
            "and sign up again."
        )
    except (signing.BadSignature, KeyError, TypeError):
        return "Answer the question below and sign up again."
    first, second = _operands(nonce)
    words = answer.strip().lower().rstrip(".")
    if words not in {str(first + second), _number_word(first + second)}:
        return "That is not the answer; try again (a number, e.g. 7)."
    return None


def _number_word(number: int) -> str:
    return _NUMBERS[number] if number < len(_NUMBERS) else str(number)


def _hour_full(events, limit: int) -> int | None:
    """Minutes until the oldest of ``limit`` of ``events`` (rows with a
    ``created_at``) in the last hour leaves the hour (at least 1), or None
    while fewer than ``limit`` happened.  Reads at most ``limit`` rows."""
    since = timezone.now() - timedelta(hours=1)
    times = list(
        events.filter(created_at__gte=since)
        .order_by("created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(times) < limit:
        return None
    room = times[0] + timedelta(hours=1) - timezone.now()
    return max(ceil(room.total_seconds() / 60), 1)


def signup_refusal(request) -> str | None:
    """Why no more accounts may be made from this address now, or None."""
    limit = settings.LINEAGE_SIGNUPS_PER_ADDRESS_HOUR
    signups = AccountSignup.objects.filter(address_hash=_address_hash(request))
    wait = _hour_full(signups, limit)
    if wait is None:
        return None
    return (
        f"{limit} accounts were made from your network in the last hour, the "
        f"most it may make. Please try again in {wait} minutes."
    )


def signup_record(request, user) -> None:
    AccountSignup.objects.create(user=user, address_hash=_address_hash(request))


# --- Proposals -----------------------------------------------------------


def account_is_new(user, *, approved: int | None = None) -> bool:
    """New until the account is ``LINEAGE_NEW_ACCOUNT_DAYS`` old and
    ``LINEAGE_NEW_ACCOUNT_APPROVED`` of its proposals were approved."""
    joined = user.date_joined
    recent = joined > timezone.now() - timedelta(days=settings.LINEAGE_NEW_ACCOUNT_DAYS)
    if recent:
        return True
    if approved is None:
        approved = (
            Proposal.objects.by(user)
            .filter(status=Proposal.Status.APPROVED)[
                : settings.LINEAGE_NEW_ACCOUNT_APPROVED
            ]
            .count()
        )
    return approved < settings.LINEAGE_NEW_ACCOUNT_APPROVED


class ProposalLimits(NamedTuple):
    pending: int  # waiting for review at once
    hourly: int  # filed in an hour
    new: bool  # the stricter limits of a new account


def proposal_limits(user) -> ProposalLimits | None:
    """The proposals ``user`` may file, or None: unlimited.  Moderators and
    publishers are never limited: their edits publish at once (each is kept
    as a proposal approved as it is made, which must not count)."""
    if user.has_perm(UNLIMITED) or user.has_perm(PUBLISH):
        return None
    if account_is_new(user):
        return ProposalLimits(
            settings.LINEAGE_PROPOSALS_PENDING_NEW,
            settings.LINEAGE_PROPOSALS_HOUR_NEW,
            new=True,
        )
    return ProposalLimits(
        settings.LINEAGE_PROPOSALS_PENDING, settings.LINEAGE_PROPOSALS_HOUR, new=False
    )


def proposal_refusal(user) -> str | None:
    """Why ``user`` may not file another proposal now, or None.  Reads at
    most as many rows as the limits allow."""
    limits = proposal_limits(user)
    if limits is None:
        return None
    who = "a new account" if limits.new else "one account"
    pending = Proposal.objects.by(user).pending()[: limits.pending].count()
    if pending >= limits.pending:
        return (
            f"You have {pending} proposals waiting for review, the most "
            f"{who} may have at once. Nothing was saved: your text is "
            "still in the form. You can propose more once a moderator has "
            "decided on one (or you withdraw one), or a moderator can lift the "
            "limit for you."
        )
    hour_limit = limits.hourly
    wait = _hour_full(Proposal.objects.by(user), hour_limit)
    if wait is None:
        return None
    return (
        f"You have filed {hour_limit} proposals in the last hour, the most "
        f"{who} may file in an hour. Nothing was saved: your text is still "
        f"in the form; submit it again in {wait} minutes."
    )


@transaction.atomic
def proposal_limits_set(*, user, lifted: bool, by) -> None:
    """Lift (or restore) the proposal limits for ``user``: they join (or
    leave) the trusted contributors; the admin's log records who did it."""
    ensure_roles()
    group = Group.objects.get(name=TRUSTED_CONTRIBUTORS)
    if lifted:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message="Lifted the proposal limits"
        if lifted
        else "Restored the proposal limits",
        single_object=True,
    )


def limits_lifted(user) -> bool:
    return user.groups.filter(name=TRUSTED_CONTRIBUTORS).exists()


# --- Requests ------------------------------------------------------------


def _refused(request, *, status: int, title: str, message: str):
    return render(
        request,
        "refused.html",
        {"title": title, "message": message},
        status=status,
    )


def limit_requests(get_response):
    """Refuse, before anything reads them, posts larger than
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413) and forms whose lists claim more
    than ``LINEAGE_MAX_FORM_ROWS`` rows together (400): each row costs the
    server about 3 ms to build, check and show again, so a tiny post claiming
    100,000 would hold a worker for minutes."""

    def middleware(request):
        if request.method in {"POST", "PUT", "PATCH"}:
            refusal = _refuse_oversized(request) or _refuse_rows(request)
            if refusal is not None:
                return refusal
        return get_response(request)

    return middleware


def _refuse_oversized(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or length <= limit:
        return None
    return _refused(
        request,
        status=413,
        title="Too much to send",
        message=f"What you sent is {length / 1e6:.1f} MB; a form here takes up "
        f"to {limit / 1e6:.0f} MB. Nothing was saved. Go back to the form "
        "(your browser keeps what you typed) and shorten it.",
    )


def _refuse_rows(request):
    try:
        post = request.POST
    except TooManyFieldsSent:
        return _refused(
            request,
            status=400,
            title="Too many fields",
            message=f"The form sent more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}"
            " fields. Nothing was saved. Go back to the form (your browser keeps "
            "what you typed) and remove some rows.",
        )
    except RequestDataTooBig:
        return _refused(
            request,
            status=413,
            title="Too much to send",
            message="What you sent is larger than a form here takes. Nothing was "
            "saved. Go back to the form (your browser keeps what you typed) "
            "and shorten it.",
        )
    limit = settings.LINEAGE_MAX_FORM_ROWS
    rows = 0
    for key in post:
        if not key.endswith(("-TOTAL_FORMS", "-INITIAL_FORMS")):
            continue
        value = post.get(key, "").strip()
        if not value.isdigit() or len(value) > 9:
            return _refused(
                request,
                status=400,
                title="Malformed form",
                message="One of the form's lists does not say how many rows it "
                "has. Nothing was saved. Go back to the form (your browser keeps "
                "what you typed) and submit it again.",
            )
        if key.endswith("-TOTAL_FORMS"):
            rows += int(value)
    if rows <= limit:
        return None
    return _refused(
        request,
        status=400,
        title="Too many rows",
        message=f"The form's lists (authors, affiliations, themes...) hold {rows} "
        f"rows together; a form takes at most {limit}. Nothing was saved. Go "
        "back to the form (your browser keeps what you typed) and remove some.",
    )


# --- Comments ------------------------------------------------------------


def comment_refusal(user) -> str | None:
    """Why ``user`` may not post another comment now, or None.  Moderators
    are not limited; reads at most ``LINEAGE_COMMENTS_HOUR`` rows."""
    if user.has_perm(REVIEW) or user.has_perm(PUBLISH):
        return None
    limit = settings.LINEAGE_COMMENTS_HOUR
    wait = _hour_full(Comment.objects.filter(author=user), limit)
    if wait is None:
        return None
    return (
        f"You have posted {limit} comments in the last hour, the most one "
        f"account may post in an hour. Nothing was posted: your text is still "
        f"in the form; post it again in {wait} minutes."
    )

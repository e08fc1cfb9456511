"""Accounts: sign up, log in, log out, password change and reset, and the
header's counts.

Logging in, out, changing a password and resetting it by mail are Django's own
views with our templates; signing up is ours, because a new account joins
Contributors.
"""

from functools import cached_property

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.urls import path, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters

from wiki import limits, lookalikes
from wiki.models import Notification, Proposal
from wiki.roles import CONTRIBUTORS

# Names kept for the site itself: no account may take one or a look-alike of one.
RESERVED_USERNAMES = (
    "admin", "administrator", "moderator", "moderators", "mod", "root", "staff",
    "system", "sysop", "superuser", "lineage", "support", "security", "webmaster",
    "postmaster", "abuse", "noreply", "anonymous", "contributors",
)  # fmt: skip


def check_username_distinct(username: str) -> None:
    """Refuse a name that could pass for a reserved or an existing one.

    Look-alikes (``аdmin`` with a Cyrillic "а", ``ADMlN``) are found by
    skeleton (wiki/lookalikes.py).  Every existing name is compared, once
    per sign-up: about 0.7 s per 100,000 accounts.
    """
    if lookalikes.mixes_scripts(username):
        scripts = sorted(script.title() for script in lookalikes.scripts(username))
        names = " and ".join(scripts)
        raise ValidationError(
            f"“{username}” mixes {names} letters, which lets a name pass for "
            "another. Use the letters of one script.",
            code="mixed_script",
        )
    looks = lookalikes.looks(username)
    for reserved in RESERVED_USERNAMES:
        if not looks.isdisjoint(lookalikes.looks(reserved)):
            raise ValidationError(
                f"“{username}” looks like “{reserved}”, a name kept for the site "
                "itself. Choose another.",
                code="reserved",
            )
    names = get_user_model().objects.values_list("username", flat=True)
    for other in names.iterator(chunk_size=2000):
        if not looks.isdisjoint(lookalikes.looks(other)):
            raise ValidationError(
                f"“{username}” looks too much like “{other}”, someone else's name. "
                "Choose another.",
                code="lookalike",
            )


class DistinctUsernameMixin:
    """For user creation forms: the name may not pass for another (see above)."""

    def clean_username(self):
        username = super().clean_username()  # None if taken, in any case
        if username:
            check_username_distinct(username)
        return username


class SignupForm(DistinctUsernameMixin, UserCreationForm):
    """A new account, with a check that a person is signing up: a question
    answered at a glance, and a field people never see (robots fill it)."""

    email = forms.EmailField(
        required=False,
        help_text="Optional. We write to it only when a moderator decides on your "
        "proposal.",
    )
    answer = forms.CharField(
        max_length=20,
        help_text="A check that a person is signing up: answer with a number.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    question = forms.CharField(widget=forms.HiddenInput)
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].trap = True
        token = self.data.get("question", "") if self.is_bound else ""
        self.question_text, token = limits.signup_question(token)
        self.fields["answer"].label = self.question_text
        self.fields["question"].initial = token

    def clean_answer(self):
        answer = self.cleaned_data["answer"]
        error = limits.signup_answer_error(self.data.get("question", ""), answer)
        if error:
            # A new question for the next try, whatever went wrong.
            self.question_text, token = limits.signup_question()
            self.fields["answer"].label = self.question_text
            self["answer"].label = self.question_text  # the bound field's copy
            self.data = self.data.copy()
            self.data["question"] = token
            self.data["answer"] = ""
            raise ValidationError(error, code="signup_check")
        return answer

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise ValidationError(
                "This field must stay empty; clear it to sign up.", code="trap"
            )
        return ""


@transaction.atomic
def account_signup(*, form: SignupForm, request):
    """Create the account a valid sign-up form describes; it joins
    Contributors, and where it came from is counted (``limits``)."""
    user = form.save()
    contributors, _ = Group.objects.get_or_create(name=CONTRIBUTORS)
    user.groups.add(contributors)
    limits.signup_record(request, user)
    return user


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A printable path on this site: anything else would be taken for a view's
    # name, or break the Location header.
    on_site = target.startswith("/") and target.isprintable()
    if on_site and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url("wiki:home")


@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignupForm(request.POST or None)
    status = 200
    refusal = limits.signup_refusal(request) if request.method == "POST" else None
    if refusal:
        form.is_valid()  # shows what was typed, with any other errors too
        form.add_error(None, refusal)
        status = 429
    elif form.is_valid():
        user = account_signup(form=form, request=request)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(_next_url(request))
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next")},
        status=status,
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by mail, with links to the site's own address
    (``LINEAGE_SITE_URL``, as in every mail it sends) rather than to whatever
    host the request named."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.LINEAGE_SITE_URL}
        return super().form_valid(form)


class HeaderCounts:
    """What the site header counts for the signed-in user, queried only if shown."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def unread_notifications(self) -> int:
        return Notification.objects.filter(
            recipient=self.user, read_at__isnull=True
        ).count()

    @cached_property
    def can_review(self) -> bool:
        return self.user.has_perm("wiki.review_proposal")

    @cached_property
    def pending_reviews(self) -> int:
        return Proposal.objects.pending().count() if self.can_review else 0


def header_counts(request) -> dict:
    """Context processor: counts for the header, or nothing for readers."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"header": HeaderCounts(user)}


app_name = "accounts"
urlpatterns = [
    path("signup/", signup, name="signup"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

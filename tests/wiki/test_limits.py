"""Abuse limits (wiki/limits.py): logging in, signing up, proposals, and the
size of what a form sends.  Each is shown as the person hitting it sees it."""

import html
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.forms import form_data, signup_answer, signup_data
from tests.wiki.moderation_helpers import edit_url, form_of, submit
from wiki import limits
from wiki.models import AccountSignup, Proposal

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
LOGIN = "/accounts/login/"
NUMBER_WORDS = [
    *"zero one two three four five six seven eight nine ten".split(),  # noqa: SIM905
    *"eleven twelve thirteen fourteen fifteen sixteen".split(),  # noqa: SIM905
    *"seventeen eighteen nineteen twenty".split(),  # noqa: SIM905
]


def _login(client, username: str, password: str, address: str = "198.51.100.7"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


# --- Logging in ----------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(client):
    UserFactory(username="grace")
    for _ in range(4):
        response = _login(client, "grace", "wrong")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in _text(response)
    response = _login(client, "grace", "wrong")
    assert response.status_code == 429
    # Locked: even the right password is refused, with why and for how long.
    response = _login(client, "grace", PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    text = _text(response)
    assert (
        "Too many failed attempts to log in to this account, or from your "
        "network (5 in a row). Logging in is paused for 15 minutes after the "
        "last attempt; then try again." in text
    )
    assert 'name="username" value="grace"' in text  # what was typed is kept
    assert "_auth_user_id" not in client.session


def test_the_lockout_holds_for_the_account_from_another_address_too(client):
    UserFactory(username="grace")
    for _ in range(5):
        _login(client, "grace", "wrong", address="198.51.100.7")
    other = Client()
    assert _login(other, "grace", PASSWORD, address="203.0.113.9").status_code == 429


def test_failures_from_one_address_lock_that_address_for_every_account(client):
    for name in ("a1", "a2", "a3", "a4", "a5", "a6"):
        UserFactory(username=name)
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _login(client, name, "wrong")
    assert _login(client, "a6", PASSWORD).status_code == 429
    # The same account from elsewhere is not locked.
    assert _login(Client(), "a6", PASSWORD, address="203.0.113.9").status_code == 302


def test_the_lockout_expires_after_its_minutes(client):
    UserFactory(username="grace")
    for _ in range(5):
        _login(client, "grace", "wrong")
    assert _login(client, "grace", PASSWORD).status_code == 429
    # Sixteen minutes later (the attempts' times moved back as the clock would).
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = _login(client, "grace", PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == (
        get_user_model().objects.get(username="grace").pk
    )


def test_a_successful_login_clears_the_failures(client):
    UserFactory(username="grace")
    for _ in range(4):
        _login(client, "grace", "wrong")
    assert _login(client, "grace", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "grace", "wrong").status_code == 200
    assert _login(client, "grace", PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(client):
    UserFactory(username="root-ish", is_staff=True)
    for _ in range(5):
        client.post(
            "/admin/login/",
            {"username": "root-ish", "password": "x"},
            REMOTE_ADDR="1.2.3.4",
        )
    response = client.post(
        "/admin/login/",
        {"username": "root-ish", "password": PASSWORD},
        REMOTE_ADDR="1.2.3.4",
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("remote", "forwarded", "client_address"),
    [
        ("198.51.100.7", "", "198.51.100.7"),
        # Not a proxy: its X-Forwarded-For is the client's own claim.
        ("198.51.100.7", "10.0.0.1", "198.51.100.7"),
        # From the proxy: the nearest address it did not add itself.
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),
        ("127.0.0.1", "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        ("127.0.0.1", "203.0.113.9, 127.0.0.1", "203.0.113.9"),
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("::1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_believes_only_trusted_proxies(
    rf, remote, forwarded, client_address
):
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert limits.client_address(request) == client_address


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_trusted_proxies_may_be_networks(rf):
    request = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert limits.client_address(request) == "203.0.113.9"
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert limits.client_address(request) == "127.0.0.1"


# --- Signing up ----------------------------------------------------------


def _signup(client, username: str, address: str = "198.51.100.7", **fields):
    data = signup_data(
        client,
        username=username,
        password1="a long passphrase 42",
        password2="a long passphrase 42",
        **fields,
    )
    return client.post("/accounts/signup/", data, REMOTE_ADDR=address)


def test_sign_up_asks_a_question_a_person_answers(client):
    html = client.get("/accounts/signup/").content.decode()
    assert re.search(
        r'<label for="id_answer">What is (two|three|four|five|six|seven|eight|'
        r"nine|ten) plus [1-9]\?</label>",
        html,
    )
    assert 'class="field form-trap" aria-hidden="true"' in html


def test_a_wrong_answer_keeps_what_was_typed_and_asks_again(client):
    data = signup_data(
        client,
        username="newbie",
        email="newbie@example.org",
        password1="a long passphrase 42",
        password2="a long passphrase 42",
        answer="99",
    )
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 400
    text = _text(response)
    assert "That is not the answer; try again (a number, e.g. 7)." in text
    assert 'value="newbie"' in text and 'value="newbie@example.org"' in text
    assert not get_user_model().objects.filter(username="newbie").exists()
    # A new question, which the person answers.
    again = form_data(response.content.decode(), "signup-form")
    again.update(
        password1="a long passphrase 42",
        password2="a long passphrase 42",
        answer=signup_answer(response.content.decode()),
    )
    assert client.post("/accounts/signup/", again).status_code == 302
    assert get_user_model().objects.filter(username="newbie").exists()


def test_the_answer_may_be_written_as_a_word(client):
    data = signup_data(
        client,
        username="wordy",
        password1="a long passphrase 42",
        password2="a long passphrase 42",
    )
    data["answer"] = NUMBER_WORDS[int(data["answer"])].capitalize() + "."
    assert client.post("/accounts/signup/", data).status_code == 302


def test_a_filled_trap_field_is_refused(client):
    response = _signup(client, "robot", website="http://spam.example")
    assert response.status_code == 400
    assert "This field must stay empty; clear it to sign up." in _text(response)
    assert not get_user_model().objects.filter(username="robot").exists()


def test_a_forged_question_token_is_refused(client):
    response = _signup(client, "forger", question="made-up", answer="7")
    assert response.status_code == 400
    assert "Answer the question below and sign up again." in _text(response)


@override_settings(LINEAGE_SIGNUP_FORM_HOURS=0)
def test_an_expired_sign_up_form_asks_a_new_question(client):
    response = _signup(client, "slow")
    assert response.status_code == 400
    assert "This form was opened too long ago; answer the new question" in _text(
        response
    )


def test_three_accounts_an_hour_from_one_address(client):
    for number in range(3):
        response = _signup(Client(), f"user{number}")
        assert response.status_code == 302
    assert AccountSignup.objects.count() == 3
    assert "198.51.100.7" not in str(
        list(AccountSignup.objects.values_list("address_hash", flat=True))
    )
    response = _signup(client, "user3", email="u3@example.org")
    assert response.status_code == 429
    text = _text(response)
    assert (
        "3 accounts were made from your network in the last hour, the most it "
        "may make. Please try again in 60 minutes." in text
    )
    assert 'value="user3"' in text and 'value="u3@example.org"' in text
    assert not get_user_model().objects.filter(username="user3").exists()
    # Another address may; and this one may again an hour later.
    assert _signup(Client(), "user4", address="203.0.113.9").status_code == 302
    AccountSignup.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    assert _signup(Client(), "user3").status_code == 302


# --- Proposals -----------------------------------------------------------


def _propose(client, page, body: str):
    # ?another: a new proposal, not the offer to amend one's pending one
    data = form_of(client, edit_url(page) + "?another=1")
    data.update({"body": body, "edit-summary": "A change"})
    return client.post(edit_url(page), data)


def test_a_new_account_may_have_five_proposals_waiting(client, person, contributor):
    for number in range(5):
        submit(person, contributor, summary=f"Edit {number}", body=f"Body {number}.")
    client.force_login(contributor)
    response = _propose(client, person, "My careful sixth rewrite.")
    assert response.status_code == 429
    text = _text(response)
    assert (
        "You have 5 proposals waiting for review, the most a new account may "
        "have at once. Nothing was saved: your text is still in the form." in text
    )
    assert "My careful sixth rewrite." in text
    assert Proposal.objects.count() == 5
    # Once one is decided (here withdrawn), there is room again.
    first = Proposal.objects.first()
    client.post(reverse("moderation:proposal_withdraw", args=[first.pk]))
    assert _propose(client, person, "My careful sixth rewrite.").status_code == 302
    assert Proposal.objects.filter(status=Proposal.Status.PENDING).count() == 5


@override_settings(LINEAGE_PROPOSALS_HOUR_NEW=3)
def test_proposals_an_hour_are_limited_whatever_was_decided(
    client, person, contributor
):
    for number in range(3):
        proposal = submit(person, contributor, summary=f"E{number}", body=f"B{number}.")
        proposal.status = Proposal.Status.WITHDRAWN
        proposal.save()
    client.force_login(contributor)
    response = _propose(client, person, "One more.")
    assert response.status_code == 429
    assert (
        "You have filed 3 proposals in the last hour, the most a new account "
        "may file in an hour. Nothing was saved: your text is still in the form; "
        "submit it again in 60 minutes." in _text(response)
    )
    Proposal.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    assert _propose(client, person, "One more.").status_code == 302


def test_an_established_account_has_the_wider_limits(person, contributor, moderator):
    contributor.date_joined = timezone.now() - timedelta(days=30)
    contributor.save()
    for number in range(3):
        submit(person, contributor, summary=f"E{number}", body=f"B{number}.")
    Proposal.objects.update(status=Proposal.Status.APPROVED, reviewer=moderator)
    assert limits.proposal_limits(contributor) == limits.ProposalLimits(
        30, 60, new=False
    )


def test_a_moderator_lifts_and_restores_a_contributors_limits(
    client, person, contributor, moderator
):
    for number in range(5):
        submit(person, contributor, summary=f"Edit {number}", body=f"Body {number}.")
    page = reverse("wiki:contributor", args=["carol"])
    client.force_login(moderator)
    html = _text(client.get(page))
    assert (
        "Proposals: at most 5 waiting for review at once and 10 filed in an "
        "hour, while the account is new." in html
    )
    response = client.post(
        reverse("moderation:proposal_limits", args=["carol"]), {"lifted": "1"}
    )
    assert response["Location"] == page
    html = _text(client.get(page))
    assert "Proposals without limits (lifted by a moderator)." in html
    assert "Restore the proposal limits" in html

    author = Client()
    author.force_login(contributor)
    assert _propose(author, person, "A sixth, allowed.").status_code == 302

    client.post(reverse("moderation:proposal_limits", args=["carol"]), {"lifted": "0"})
    assert _propose(author, person, "A seventh, refused.").status_code == 429
    assert list(
        LogEntry.objects.order_by("pk").values_list("user__username", "change_message")
    ) == [
        ("mod", "Lifted the proposal limits"),
        ("mod", "Restored the proposal limits"),
    ]


def test_only_moderators_lift_limits(client, contributor):
    other = UserFactory(username="dave")
    client.force_login(other)
    response = client.post(
        reverse("moderation:proposal_limits", args=["carol"]), {"lifted": "1"}
    )
    assert response.status_code == 403
    assert not limits.limits_lifted(contributor)
    client.logout()
    response = client.post(
        reverse("moderation:proposal_limits", args=["carol"]), {"lifted": "1"}
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_contributor_sees_their_own_limits(client, contributor):
    client.force_login(contributor)
    html = _text(client.get(reverse("wiki:contributor", args=["carol"])))
    assert "at most 5 waiting for review at once and 10 filed in an hour" in html
    assert "Lift the proposal limits" not in html


def test_the_limit_reads_a_bounded_number_of_rows(
    person, contributor, django_assert_num_queries
):
    for number in range(5):
        submit(person, contributor, summary=f"Edit {number}", body=f"Body {number}.")
    contributor = get_user_model().objects.get(pk=contributor.pk)
    contributor.has_perm("wiki.anything")  # permissions cached, as in a request
    # the pending proposals, counted up to the limit
    with django_assert_num_queries(1):
        assert limits.proposal_refusal(contributor).startswith("You have 5 proposals")


# --- Requests ------------------------------------------------------------


def test_a_form_claiming_100000_rows_is_refused_before_any_work(
    client, person, contributor
):
    client.force_login(contributor)
    data = {"title": "Ada", "body": "x"}
    for prefix in ("affiliations", "themes", "related", "citations"):
        data[f"{prefix}-TOTAL_FORMS"] = "100000"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    response = client.post(edit_url(person), data)
    assert response.status_code == 400
    assert (
        "The form's lists (authors, affiliations, themes...) hold 400000 rows "
        "together; a form takes at most 300. Nothing was saved." in _text(response)
    )
    assert len(response.content) < 10_000  # not 100,000 empty rows shown back


def test_a_malformed_row_count_is_refused(client, person, contributor):
    client.force_login(contributor)
    response = client.post(edit_url(person), {"themes-TOTAL_FORMS": "-1"})
    assert response.status_code == 400
    assert "does not say how many rows it has" in _text(response)


def test_a_post_larger_than_the_limit_is_refused_unread(client, contributor):
    client.force_login(contributor)
    response = client.generic(
        "POST",
        "/people/new/",
        b"x" * 100,
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH="9000000",
    )
    assert response.status_code == 413
    assert (
        "What you sent is 9.0 MB; a form here takes up to 8 MB. Nothing was "
        "saved." in _text(response)
    )


def test_too_many_fields_are_refused_with_a_message(client, contributor):
    client.force_login(contributor)
    body = "&".join(f"f{number}=1" for number in range(3001))
    response = client.generic(
        "POST", "/people/new/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "The form sent more than 3000 fields. Nothing was saved." in _text(response)


def test_a_full_sized_body_is_still_accepted(client, person, contributor):
    """The request limit leaves room for the largest body the form takes."""
    client.force_login(contributor)
    body = "語" * 199_000
    response = _propose(client, person, body)
    assert response.status_code == 302
    assert Proposal.objects.get().data["body"] == [body]


def test_a_name_longer_than_any_account_is_counted_not_a_500(client):
    for _ in range(4):
        response = _login(client, "x" * 5000, "wrong")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in _text(response)
    assert _login(client, "x" * 5000, "wrong").status_code == 429
    assert AccessAttempt.objects.get().username == "x" * 255


def test_moderators_publish_without_limits(client, person, moderator):
    client.force_login(moderator)
    for number in range(12):
        response = _propose(client, person, f"Moderator's edit {number}.")
        assert response.status_code == 302
    assert Proposal.objects.filter(status=Proposal.Status.APPROVED).count() == 12
    assert limits.proposal_limits(moderator) is None

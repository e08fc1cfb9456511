"""Accounts: sign up, log in and out, change the password; the header."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import UserFactory
from tests.forms import form_data, signup_check_fields, signup_data
from wiki.accounts import SignupForm
from wiki.roles import CONTRIBUTORS

pytestmark = pytest.mark.django_db


def test_signing_up_makes_a_contributor_and_logs_in(client):
    data = signup_data(
        client,
        reverse("accounts:signup") + "?next=/people/",
        username="newbie",
        email="newbie@example.org",
        password1="a long passphrase 42",
        password2="a long passphrase 42",
    )
    response = client.post(reverse("accounts:signup"), data)
    assert response["Location"] == "/people/"
    user = get_user_model().objects.get(username="newbie")
    assert list(user.groups.values_list("name", flat=True)) == [CONTRIBUTORS]
    assert not user.has_perm("wiki.publish_page")
    assert "newbie" in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("93847561029384", "entirely numeric"),
    ],
)
def test_sign_up_applies_the_password_validators(client, password, message):
    response = client.post(
        reverse("accounts:signup"),
        signup_data(client, username="newbie", password1=password, password2=password),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_sign_up_refuses_a_taken_name(client):
    UserFactory(username="taken")
    response = client.post(
        reverse("accounts:signup"),
        signup_data(
            client,
            username="taken",
            password1="x long pass 9",
            password2="x long pass 9",
        ),
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()


def _signup_errors(username: str) -> list[str]:
    form = SignupForm(
        {
            "username": username,
            "password1": "x long pass 9",
            "password2": "x long pass 9",
        }
    )
    assert not form.is_valid()
    return form.errors["username"]


@pytest.mark.parametrize(
    ("username", "scripts"),
    [("аdmin", "Cyrillic and Latin"), ("moderatоr", "Cyrillic and Latin")],
)
def test_sign_up_refuses_a_name_that_mixes_scripts(username, scripts):
    assert _signup_errors(username) == [
        f"“{username}” mixes {scripts} letters, which lets a name pass for "
        "another. Use the letters of one script."
    ]


@pytest.mark.parametrize(
    ("username", "reserved"),
    [
        ("admin", "admin"),
        ("Admin", "admin"),
        ("ADMlN", "admin"),
        ("𝐚𝐝𝐦𝐢𝐧", "admin"),
        ("Moderator", "moderator"),
        ("r00t", "root"),
        ("ѕуѕтем", "system"),  # Cyrillic throughout
        ("LINEAGE", "lineage"),
    ],
)
def test_sign_up_refuses_reserved_names_and_their_look_alikes(username, reserved):
    shown = "admin" if username == "𝐚𝐝𝐦𝐢𝐧" else username  # NFKC applies first
    assert _signup_errors(username) == [
        f"“{shown}” looks like “{reserved}”, a name kept for the site itself. "
        "Choose another."
    ]


@pytest.mark.parametrize(
    ("existing", "username"),
    [("carol", "caroI"), ("coca", "соса"), ("ilya", "Ilya".replace("I", "l"))],
)
def test_sign_up_refuses_a_look_alike_of_an_existing_name(existing, username):
    UserFactory(username=existing)
    assert _signup_errors(username) == [
        f"“{username}” looks too much like “{existing}”, someone else's name. "
        "Choose another."
    ]


def test_sign_up_refuses_a_name_taken_in_another_case():
    UserFactory(username="carol")
    assert _signup_errors("Carol") == ["A user with that username already exists."]


@pytest.mark.parametrize("username", ["José", "Ελληνικά", "山田たろう", "dave.smith"])
def test_sign_up_accepts_names_written_in_one_script(username):
    UserFactory(username="carol")
    form = SignupForm(
        {
            "username": username,
            "password1": "x long pass 9",
            "password2": "x long pass 9",
            **signup_check_fields(),
        }
    )
    assert form.is_valid(), form.errors


def test_the_sign_up_page_shows_why_a_look_alike_name_is_refused(client):
    response = client.post(
        reverse("accounts:signup"),
        signup_data(
            client,
            username="аdmin",
            password1="x long pass 9",
            password2="x long pass 9",
        ),
    )
    assert response.status_code == 400
    assert "mixes Cyrillic and Latin letters" in response.content.decode()
    assert not get_user_model().objects.filter(username="аdmin").exists()


def test_the_admin_refuses_a_new_account_with_a_look_alike_name(admin_client):
    response = admin_client.post(
        "/admin/auth/user/add/",
        {"username": "Аdmin", "usable_password": "false"},
    )
    assert response.status_code == 200
    assert "“Аdmin” mixes Cyrillic and Latin letters" in response.content.decode()
    UserFactory(username="carol")
    response = admin_client.post(
        "/admin/auth/user/add/", {"username": "caroI", "usable_password": "false"}
    )
    assert "“caroI” looks too much like “carol”" in response.content.decode()
    assert list(
        get_user_model().objects.order_by("username").values_list("username", flat=True)
    ) == ["admin", "carol"]


def test_sign_up_never_redirects_off_site(client):
    response = client.post(
        reverse("accounts:signup") + "?next=https://evil.example/",
        signup_data(
            client,
            username="newbie",
            password1="a long passphrase 42",
            password2="a long passphrase 42",
            next="https://evil.example/",
        ),
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize("target", ["people", "home", "/people/\x01", "/a\r\nb"])
def test_a_next_that_is_not_a_path_leads_home(client, target):
    client.force_login(UserFactory(username="ann"))
    response = client.get(reverse("accounts:signup"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_log_in_and_log_out(client):
    UserFactory(username="ann")
    response = client.post(
        reverse("accounts:login"),
        {"username": "ann", "password": "correct horse battery", "next": "/people/"},
    )
    assert response["Location"] == "/people/"
    html = client.get("/").content.decode()
    assert 'action="/accounts/logout/"' in html
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert "Log in" in client.get("/").content.decode()


def test_a_wrong_password_is_a_message_not_an_error(client):
    UserFactory(username="ann")
    response = client.post(
        reverse("accounts:login"), {"username": "ann", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()


def test_changing_the_password(client):
    user = UserFactory(username="ann")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "correct horse battery",
            "new_password1": "another long phrase 7",
            "new_password2": "another long phrase 7",
        },
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password("another long phrase 7")


def test_edit_urls_send_readers_to_the_site_login(client):
    response = client.get("/people/new/")
    assert response["Location"] == "/accounts/login/?next=/people/new/"


def test_readers_see_log_in_and_sign_up_in_the_header(client):
    html = client.get("/").content.decode()
    assert 'href="/accounts/login/?next=/"' in html
    assert 'href="/accounts/signup/?next=/"' in html


def test_moderators_see_the_review_queue_in_the_header(client, moderator, contributor):
    client.force_login(contributor)
    html = client.get("/").content.decode()
    assert "Contributions" in html and "Notifications" in html
    assert 'href="/review/"' not in html
    client.force_login(moderator)
    assert 'href="/review/"' in client.get("/").content.decode()


# -- password reset by mail --------------------------------------------------------


def test_the_login_page_offers_a_password_reset(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<a href="/accounts/password/reset/">Reset it by mail</a>' in html


def test_a_password_reset_mails_a_link_that_sets_a_new_password(
    client, mailoutbox, settings
):
    settings.LINEAGE_SITE_URL = "https://lineage.example"
    user = UserFactory(username="ann", email="ann@example.org")
    html = client.get(reverse("accounts:password_reset")).content.decode()
    data = form_data(html, "password-reset-form")
    data["email"] = "ann@example.org"
    response = client.post(reverse("accounts:password_reset"), data)
    assert response["Location"] == reverse("accounts:password_reset_done")

    [mail] = mailoutbox
    assert mail.to == ["ann@example.org"]
    assert mail.subject == "Reset your Lineage password"
    link = re.search(
        r"https://lineage\.example(/accounts/password/reset/\S+)", mail.body
    )
    response = client.get(link[1])  # Django moves the token out of the address
    assert response.status_code == 302
    form_page = client.get(response["Location"]).content.decode()
    assert "Choose a new password" in form_page
    data = form_data(form_page, "password-reset-confirm-form")
    data.update(
        new_password1="a fresh passphrase 9", new_password2="a fresh passphrase 9"
    )
    response = client.post(response["Location"], data)
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("a fresh passphrase 9")
    again = client.get(link[1], follow=True).content.decode()
    assert "This link no longer works" in again


def test_a_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(
    client, mailoutbox
):
    response = client.post(
        reverse("accounts:password_reset"), {"email": "nobody@example.org"}
    )
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []

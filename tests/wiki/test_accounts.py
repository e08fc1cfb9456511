"""Accounts: sign up, log in and out, change the password; the header."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import UserFactory
from tests.forms import form_data
from wiki.roles import CONTRIBUTORS

pytestmark = pytest.mark.django_db


def test_signing_up_makes_a_contributor_and_logs_in(client):
    html = client.get(reverse("accounts:signup") + "?next=/people/").content.decode()
    data = form_data(html, "signup-form")
    data.update(
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
        {"username": "newbie", "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_sign_up_refuses_a_taken_name(client):
    UserFactory(username="taken")
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "taken",
            "password1": "x long pass 9",
            "password2": "x long pass 9",
        },
    )
    assert "already exists" in response.content.decode()


def test_sign_up_never_redirects_off_site(client):
    response = client.post(
        reverse("accounts:signup") + "?next=https://evil.example/",
        {
            "username": "newbie",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
            "next": "https://evil.example/",
        },
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

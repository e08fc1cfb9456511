"""Abuse limits as a person meets them, in Chromium: a wrong answer to the
sign-up question, and a login paused after too many wrong passwords."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.forms import signup_answer
from wiki.roles import ensure_demo_accounts

pytestmark = pytest.mark.usefixtures("seeded")


def account_menu(page):
    """The account links, behind the Menu button on a narrow screen."""
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    return page.get_by_role("navigation", name="Account")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_wrong_answer_then_the_right_one_signs_up(page, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/signup/")
    page.get_by_label("Username").click()
    page.keyboard.type("newcomer")
    for text in ("", "a long passphrase 42", "a long passphrase 42", "99"):
        page.keyboard.press("Tab")
        page.keyboard.type(text)
    page.keyboard.press("Enter")
    alert = page.locator(".field-error").filter(has_text="That is not the answer")
    expect(alert).to_contain_text(
        "That is not the answer; try again (a number, e.g. 7)."
    )
    expect(page.get_by_label("Username")).to_have_value("newcomer")
    screenshot("wrong-answer")
    # The passwords are not sent back (as on every site); type them again.
    page.get_by_label(re.compile(r"^Password:?$")).click()
    page.keyboard.type("a long passphrase 42")
    page.keyboard.press("Tab")
    page.keyboard.type("a long passphrase 42")
    page.keyboard.press("Tab")
    page.keyboard.type(signup_answer(page.locator("label[for=id_answer]").inner_text()))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"^http://[^/]+/$"))  # home
    expect(account_menu(page)).to_contain_text("newcomer")


@pytest.mark.parametrize("width", [390, 1280])
def test_five_wrong_passwords_pause_logging_in(page, screenshot, width):
    UserFactory(username="grace")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/login/")
    for attempt in range(5):
        page.get_by_label("Username").click()
        page.keyboard.press("Control+A")
        page.keyboard.type("grace")
        page.keyboard.press("Tab")
        page.keyboard.type(f"wrong {attempt}")
        page.keyboard.press("Enter")
        page.wait_for_load_state()
    page.get_by_label("Password").click()
    page.keyboard.type("correct horse battery")
    page.keyboard.press("Enter")
    alert = page.locator("#login-locked")
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text(
        "Too many failed attempts to log in to this account, or from your network "
        "(5 in a row). Logging in is paused for 15 minutes after the last attempt; "
        "then try again."
    )
    expect(page.get_by_label("Username")).to_have_value("grace")
    expect(account_menu(page)).to_contain_text("Log in")
    screenshot("locked-out")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_moderator_lifts_a_contributors_limits_by_keyboard(page, screenshot, width):
    ensure_demo_accounts()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/login/")
    page.get_by_label("Username").click()
    page.keyboard.type("moderator")
    page.keyboard.press("Tab")
    page.keyboard.type("lineage-moderator")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"^http://[^/]+/$"))
    page.goto("/users/contributor/")
    limits = page.locator("#proposal-limits")
    expect(limits).to_have_text(
        "Proposals: at most 5 waiting for review at once and 10 filed in an hour, "
        "while the account is new."
    )
    button = page.get_by_role("button", name="Lift the proposal limits")
    button.focus()
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text(
        "contributor may now file proposals without limits."
    )
    expect(limits).to_have_text("Proposals without limits (lifted by a moderator).")
    screenshot("lifted")
    page.get_by_role("button", name="Restore the proposal limits").click()
    expect(limits).to_contain_text("at most 5 waiting for review at once")

"""Abuse limits as a person meets them, in Chromium: a wrong answer to the
sign-up question, and a login paused after too many wrong passwords."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.forms import signup_answer

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

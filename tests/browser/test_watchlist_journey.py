"""Watching a page and reading its changes on the watchlist, in Chromium,
with the keyboard: the watch button is a real form."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from people.models import Person
from tests.browser.test_following import assert_axe_clean, at_both_widths, log_in
from wiki.roles import ensure_demo_accounts
from wiki.services import page_publish

pytestmark = pytest.mark.usefixtures("seeded")

PROFILE = "/people/alec-radford/"


def test_a_contributor_watches_a_page_and_sees_its_change_on_the_watchlist(
    page, console_errors, screenshot
):
    ensure_demo_accounts()
    log_in(page, "contributor", "lineage-contributor")
    page.goto(PROFILE)
    tools = page.locator(".page-tools")
    watch = tools.get_by_role("button", name="Watch this page")
    watch.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text(
        "You are watching Alec Radford: its changes show on your watchlist."
    )
    expect(tools.locator(".watch-state")).to_have_text("Watching")
    expect(tools.get_by_role("button", name="Unwatch")).to_be_visible()
    at_both_widths(page, screenshot, "watching")

    moderator = get_user_model().objects.get(username="moderator")
    profile = Person.objects.get(slug="alec-radford")
    profile.summary += " He also worked on Whisper."
    page_publish(page=profile, user=moderator, summary="Mention Whisper")

    page.reload()
    account = page.get_by_role("navigation", name="Account")
    expect(account.get_by_role("link", name=re.compile("Notifications"))).to_have_text(
        "Notifications 1"
    )
    link = account.get_by_role("link", name="Watchlist")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Watchlist")
    first = page.locator("section:has(#watchlist-changes-h) .change-list li").first
    expect(first).to_contain_text("Alec Radford")
    expect(first).to_contain_text("moderator")
    expect(first).to_contain_text("“Mention Whisper”")
    at_both_widths(page, screenshot, "watchlist")
    assert_axe_clean(page, "watchlist")

    # Unwatch from the list of watched pages, with the keyboard too.
    page.get_by_role("link", name="Manage the pages you watch").click()
    unwatch = page.get_by_role("button", name="Unwatch Alec Radford")
    unwatch.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text(
        "You no longer watch Alec Radford."
    )
    expect(page.get_by_text("You watch no page yet.")).to_be_visible()
    assert console_errors == []

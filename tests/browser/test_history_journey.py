"""A moderator compares two revisions, reverts, and a reader sees the result."""

import re

import pytest
from playwright.sync_api import expect

from people.models import Person
from tests.browser.conftest import ARTIFACTS, save_screenshot
from tests.factories import UserFactory
from tests.wiki.history_helpers import make_moderator, publish

pytestmark = pytest.mark.usefixtures("seeded")

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    form = page.locator("#login-form")
    form.get_by_label("Username").fill(username)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(username)


def test_a_moderator_compares_two_revisions_reverts_and_readers_see_it(
    page, chromium, live_server, console_errors, screenshot
):
    alec = Person.objects.get(slug="alec-radford")
    original = alec.body
    imported = alec.revision_metas.get().revision_id
    publish(
        alec,
        UserFactory(username="helper"),
        summary="Add a closing line",
        body=original + "\n\nA closing line from a helpful editor.",
    )
    publish(
        alec,
        UserFactory(username="vandal"),
        summary="Improve",
        body=original.replace("DCGAN", "VANDALISED", 1)
        + "\n\nA closing line from a helpful editor.",
        short_description="Mystery person",
    )
    make_moderator("mod")

    log_in(page, "mod")
    page.goto("/people/alec-radford/")
    page.locator(".article-footer").get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of Alec Radford")
    rows = page.locator("tr.history-row")
    expect(rows).to_have_count(3)
    # Compare the import (oldest) with the vandal's edit (newest): not adjacent.
    page.get_by_label(f"Compare from revision {imported}").check()
    newest = rows.first.get_attribute("id").removeprefix("revision-")
    page.get_by_label(f"Compare to revision {newest}").check()
    screenshot("history")
    page.get_by_role("button", name="Compare selected revisions").click()

    expect(page).to_have_url(
        re.compile(rf"/diff/\?(?=.*\bfrom={imported}\b).*\bto={newest}\b")
    )
    changes = page.locator(".field-changes")
    expect(changes.locator("del", has_text="AI researcher")).to_be_visible()
    expect(changes.locator("ins", has_text="Mystery person")).to_be_visible()
    expect(changes.locator("ins", has_text="VANDALISED")).to_be_visible()
    expect(changes.locator("ins", has_text="helpful editor")).to_be_visible()
    screenshot("diff")
    page.get_by_role("link", name=f"Revert to revision {imported}").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Revert Alec Radford to revision {imported}"
    )
    page.get_by_label("Summary (optional)").click()
    page.keyboard.type("Vandalism")
    screenshot("confirm")
    page.get_by_role("button", name=f"Revert to revision {imported}").click()

    expect(page.get_by_role("status")).to_contain_text(
        f"Reverted Alec Radford to revision {imported}."
    )
    screenshot("moderator-history")

    reader = chromium.new_context(base_url=live_server.url).new_page()
    reader.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    reader.goto("/people/alec-radford/")
    article = reader.locator("article")
    expect(article).to_contain_text("DCGAN")
    expect(article).not_to_contain_text("VANDALISED")
    expect(article).not_to_contain_text("Mystery person")
    expect(article).not_to_contain_text("helpful editor")
    expect(reader.locator(".article-footer")).to_contain_text("by mod")
    save_screenshot(reader, "history-journey-reader-page")

    reader.locator(".article-footer").get_by_role("link", name="History").click()
    save_screenshot(reader, "history-journey-reader-history")
    top = reader.locator("tr.history-row").first
    expect(top).to_contain_text(f"Reverted to revision {imported} of ")
    expect(top).to_contain_text("Vandalism")
    expect(top.locator(".badge")).to_have_text("Revert")
    vandal_row = reader.locator("tr.history-row").nth(1)
    vandal_row.get_by_role("link", name=re.compile(r"\d{4}, \d\d:\d\d")).click()
    banner = reader.get_by_role("note", name="About this revision")
    expect(banner).to_contain_text("This is an old revision of this page")
    expect(reader.locator("article")).to_contain_text("VANDALISED")
    save_screenshot(reader, "history-journey-reader-old-revision")
    banner.screenshot(path=str(ARTIFACTS / "history-journey-banner.png"))
    banner.get_by_role("link", name="the current revision", exact=True).click()
    expect(reader).to_have_url(re.compile(r"/people/alec-radford/$"))

    reader.goto("/changes/")
    latest = reader.locator(".change-list li").first
    expect(latest).to_contain_text("Alec Radford")
    expect(latest).to_contain_text(f"Reverted to revision {imported}")
    save_screenshot(reader, "history-journey-reader-changes")
    reader.context.close()
    assert console_errors == []

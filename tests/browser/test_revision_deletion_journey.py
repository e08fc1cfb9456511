"""A moderator hides a leaked address from a revision; a reader no longer sees it."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from people.models import Person
from tests.browser.conftest import save_screenshot
from tests.browser.test_accessibility import report
from tests.factories import UserFactory
from tests.wiki.history_helpers import make_moderator, publish

pytestmark = pytest.mark.usefixtures("seeded")

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
SECRET = "He lives at 5 Hidden Lane."
REASON = "Private address of a living person"


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    form = page.locator("#login-form")
    form.get_by_label("Username").fill(username)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(username)


def test_a_moderator_hides_a_revisions_text_and_summary_and_readers_see_hidden(
    page, chromium, live_server, console_errors, screenshot
):
    alec = Person.objects.get(slug="alec-radford")
    original = alec.body
    leak = publish(
        alec,
        UserFactory(username="leaker"),
        summary="Add where he lives: 5 Hidden Lane",
        body=f"{original}\n\n{SECRET}",
    )
    publish(alec, UserFactory(username="fixer"), summary="Remove", body=original)
    make_moderator("mod")

    log_in(page, "mod")
    page.goto("/people/alec-radford/history/")
    page.get_by_label(f"Select revision {leak.pk}").check()
    page.get_by_role("button", name="Change visibility of selected revisions").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Change visibility of revisions of Alec Radford"
    )
    violations = Axe().run(page).response["violations"]
    assert not violations, report("visibility form", page.url, violations)
    page.get_by_label("Hide the text").click()
    page.keyboard.press("Tab")  # to "Hide the edit summary"
    page.keyboard.press("Space")
    page.get_by_label("Reason").click()
    page.keyboard.type(REASON)
    screenshot("form")
    page.get_by_role("button", name="Apply").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Changed the visibility of 1 revision of Alec Radford."
    )
    row = page.locator(f"#revision-{leak.pk}")
    expect(row).to_contain_text(
        f"Hidden from the public: the text and the edit summary (“{REASON}”)"
    )
    expect(row).to_contain_text("Add where he lives")  # moderators still read it
    screenshot("moderator-history")

    reader = chromium.new_context(base_url=live_server.url).new_page()
    # Chromium logs the hidden revision's own 403 status as a console error.
    reader.on(
        "console",
        lambda m: (
            m.type == "error"
            and "status of 403" not in m.text
            and console_errors.append(m.text)
        ),
    )
    reader.goto("/people/alec-radford/history/")
    reader_row = reader.locator(f"#revision-{leak.pk}")
    expect(reader_row).to_contain_text("(text hidden)")
    expect(reader_row.locator(".summary")).to_have_text(re.compile(r"^\(hidden\)"))
    expect(reader_row).not_to_contain_text("Hidden Lane")
    expect(
        reader_row.get_by_role("link", name=re.compile(r"\d{4}, \d\d:\d\d"))
    ).to_have_count(0)
    save_screenshot(reader, "revision-deletion-reader-history")

    response = reader.goto(f"/people/alec-radford/revisions/{leak.pk}/")
    assert response is not None and response.status == 403
    expect(reader.get_by_role("note")).to_contain_text(
        "The text of this revision has been hidden by a moderator."
    )
    expect(reader.locator("main")).not_to_contain_text("Hidden Lane")
    save_screenshot(reader, "revision-deletion-reader-revision")
    reader.context.close()
    assert console_errors == []

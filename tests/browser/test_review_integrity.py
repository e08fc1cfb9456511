"""A moderator approves exactly what they reviewed, in Chromium: a proposal
amended while its review page is open is flagged there, and approving the
version on screen is refused with what changed."""

import pytest
from playwright.sync_api import expect

from people.models import Person
from tests.browser.test_contributing import log_in
from tests.wiki.moderation_helpers import page_data
from wiki import moderation
from wiki.models import Proposal
from wiki.roles import ensure_demo_accounts
from wiki.services import latest_revision

pytestmark = pytest.mark.usefixtures("seeded")

HARMLESS = "He co-wrote the GPT papers."
SPAM = "Buy cheap GPUs at https://spam.example/ today."


def _propose(body: str) -> Proposal:
    person = Person.objects.get(slug="alec-radford")
    contributor = ensure_contributor()
    return moderation.proposal_submit(
        kind="person",
        page=person,
        data=page_data(person, body=body),
        base_revision=latest_revision(person),
        base_data=page_data(person),
        summary="Add a sentence",
        minor=False,
        author=contributor,
    )


def ensure_contributor():
    from django.contrib.auth import get_user_model

    ensure_demo_accounts()
    return get_user_model().objects.get(username="contributor")


def test_a_proposal_amended_during_review_is_flagged_and_not_published(
    page, console_errors, screenshot
):
    proposal = _propose(HARMLESS)
    log_in(page, "moderator", "lineage-moderator")
    page.goto(f"/review/{proposal.pk}/")
    expect(page.locator(".rendered-result")).to_contain_text(HARMLESS)

    # The author amends the proposal while the moderator reads it.
    person = Person.objects.get(slug="alec-radford")
    moderation.proposal_amend(
        proposal=proposal,
        data=page_data(person, body=SPAM),
        base_revision=proposal.base_revision,
        base_data=proposal.base_data,
        summary="Add a sentence",
        minor=False,
        by=proposal.author,
        seen_version=1,
    )
    # The page asks when the tab comes back into view (and every 20 s).
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    banner = page.get_by_role("status").filter(has_text="amended since you opened")
    expect(banner).to_contain_text(
        "The proposal was amended since you opened this page (now version 2)"
    )
    screenshot("stale-banner")

    page.get_by_label("Note (optional, kept in the history)").click()
    page.keyboard.type("Looks fine")
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", name="The proposal was amended after you")
    expect(heading).to_be_visible()
    expect(page.locator(".moved-on ins").first).to_contain_text("Buy")
    screenshot("refused")
    assert HARMLESS not in Person.objects.get(slug="alec-radford").body
    assert SPAM not in Person.objects.get(slug="alec-radford").body
    proposal.refresh_from_db()
    assert proposal.is_pending
    # Only the 409 of the refused approval reached the console.
    assert [e for e in console_errors if "409" not in e] == []

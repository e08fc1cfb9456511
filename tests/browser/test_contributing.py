"""Contributors propose, moderators review, readers see the result: in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from people.models import Person
from tests.forms import signup_answer
from wiki.models import Proposal
from wiki.roles import ensure_demo_accounts
from wiki.services import latest_revision

pytestmark = pytest.mark.usefixtures("seeded")

NEW_SENTENCE = "His papers are unusually easy to reproduce from their appendices."
PROFILE = "/people/alec-radford/"


@pytest.fixture
def demo_accounts(seeded):
    ensure_demo_accounts()


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    form = page.locator("#login-form")
    form.get_by_label("Username").fill(username)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(username)


def log_out(page) -> None:
    page.get_by_role("navigation", name="Account").get_by_role(
        "button", name="Log out"
    ).click()
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("Log in")


def sign_up(page, username: str) -> None:
    """Sign up as a person does: type each field, Tab to the next, answer the
    question the form asks, press Enter."""
    page.goto(PROFILE)
    page.get_by_role("navigation", name="Account").get_by_role(
        "link", name="Sign up"
    ).click()
    form = page.locator("#signup-form")
    form.get_by_label("Username").click()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(f"{username}@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("a long passphrase 42")
    page.keyboard.press("Tab")
    page.keyboard.type("a long passphrase 42")
    page.keyboard.press("Tab")
    question = form.locator("label[for=id_answer]").inner_text()
    expect(page.locator("#id_answer")).to_be_focused()
    page.keyboard.type(signup_answer(question))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(PROFILE) + "$"))
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(username)


def propose_body_change(page, screenshot, *, sentence: str, summary: str) -> None:
    """From the profile, edit the body with the live preview and submit."""
    page.get_by_role("link", name="Edit this page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Alec Radford")
    body = page.locator("#id_body")
    preview = page.locator(".field-body .markdownx-preview")
    status = page.locator(".field-body .preview-status")
    # The preview renders through our renderer and flags what does not resolve.
    body.press("Control+End")
    body.press_sequentially("\n\nSee [[No Such Page]] and [@nosuchkey].")
    expect(preview.locator("a.wikilink-missing")).to_have_text("No Such Page")
    expect(status).to_contain_text("1 link to a missing page: No Such Page")
    expect(status).to_contain_text("1 unknown citation key: nosuchkey")
    # Take back the trial sentence key by key, then type the real one.
    for _ in "See [[No Such Page]] and [@nosuchkey].":
        body.press("Backspace")
    page.keyboard.type(f"{sentence} See [[CLIP]].")
    expect(preview).to_contain_text(sentence)
    expect(preview.get_by_role("link", name="CLIP", exact=True).last).to_have_attribute(
        "href", "/works/clip/"
    )
    expect(status).to_have_text("Preview: links and citations all resolve.")
    page.get_by_label("Edit summary").click()
    page.keyboard.type(summary)
    screenshot("edit-form")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status").first).to_contain_text("waiting for a moderator")


def test_a_contributor_proposes_a_moderator_approves_and_readers_see_it(
    page, demo_accounts, console_errors, screenshot
):
    sign_up(page, "newcomer")
    propose_body_change(
        page, screenshot, sentence=NEW_SENTENCE, summary="Add a note on reproducibility"
    )
    expect(page).to_have_url(re.compile(r"/proposals/\d+/$"))
    expect(page.locator(".proposal-status")).to_contain_text("Pending review")
    expect(page.locator(".field-changes ins").first).to_be_visible()
    screenshot("proposal-pending")

    page.goto(PROFILE)
    expect(page.locator(".body")).not_to_contain_text(NEW_SENTENCE)
    expect(page.locator(".pending-changes")).to_contain_text("1 pending change")
    screenshot("profile-with-pending-change")
    log_out(page)
    expect(page.locator(".pending-changes")).to_have_count(0)

    log_in(page, "moderator", "lineage-moderator")
    page.get_by_role("navigation", name="Account").get_by_role(
        "link", name=re.compile("Review")
    ).click()
    row = page.locator("tr", has_text="Add a note on reproducibility")
    expect(row).to_contain_text("newcomer")
    expect(row).to_contain_text("new account")
    screenshot("queue")
    row.get_by_role("link", name="Add a note on reproducibility").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review: Alec Radford")
    body_change = page.locator(
        ".field-change", has=page.get_by_role("heading", name="Body")
    )
    expect(body_change.locator("ins").first).to_contain_text(NEW_SENTENCE)
    expect(page.locator(".rendered-result")).to_contain_text(NEW_SENTENCE)
    screenshot("review")
    page.get_by_label("Note (optional, kept in the history)").click()
    page.keyboard.type("Checked, thanks")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".messages")).to_contain_text("Approved and published")
    log_out(page)

    page.goto(PROFILE)
    expect(page.locator(".body")).to_contain_text(NEW_SENTENCE)
    screenshot("profile-after-approval")
    page.goto(PROFILE + "history/")
    latest = page.locator("tr.history-row").first
    expect(latest).to_contain_text("newcomer")
    expect(latest).to_contain_text("moderator")
    expect(latest).to_contain_text("Add a note on reproducibility")
    screenshot("history")

    revision = latest_revision(Person.objects.get(slug="alec-radford"))
    assert revision.user.username == "newcomer"
    assert revision.meta.approved_by.username == "moderator"
    assert revision.meta.note == "Checked, thanks"
    assert console_errors == []


def test_a_rejected_proposal_shows_its_reason_to_its_author(
    page, demo_accounts, console_errors, screenshot
):
    log_in(page, "contributor", "lineage-contributor")
    page.goto(PROFILE)
    propose_body_change(
        page, screenshot, sentence="He invented the transistor.", summary="Big claim"
    )
    log_out(page)

    log_in(page, "moderator", "lineage-moderator")
    proposal = Proposal.objects.get(summary="Big claim")
    page.goto(f"/review/{proposal.pk}/")
    page.get_by_label("Reason for rejecting").click()
    page.keyboard.type("No source supports this; please cite one.")
    page.get_by_role("button", name="Reject").click()
    expect(page.locator(".messages")).to_contain_text("Rejected")
    log_out(page)

    log_in(page, "contributor", "lineage-contributor")
    notifications = page.get_by_role("navigation", name="Account").get_by_role(
        "link", name=re.compile("Notifications")
    )
    expect(notifications).to_contain_text("1")
    notifications.click()
    expect(page.locator(".notification-list")).to_contain_text("rejected")
    expect(page.locator(".notification-list")).to_contain_text(
        "No source supports this; please cite one."
    )
    screenshot("notifications")
    page.get_by_role("link", name="Contributions").click()
    row = page.locator("tr", has_text="Big claim")
    expect(row).to_contain_text("Rejected")
    expect(row).to_contain_text("No source supports this; please cite one.")
    row.get_by_role("link").first.click()
    expect(page.locator(".proposal-status")).to_contain_text(
        "Reason: No source supports this; please cite one."
    )
    screenshot("rejected-proposal")
    page.goto(PROFILE)
    expect(page.locator(".body")).not_to_contain_text("He invented the transistor.")
    assert console_errors == []


def test_a_moderator_resolves_two_proposals_that_change_the_same_text(
    page, demo_accounts, console_errors, screenshot
):
    from django.contrib.auth import get_user_model

    from tests.wiki.moderation_helpers import edit
    from wiki import moderation

    alec = Person.objects.get(slug="alec-radford")
    base = latest_revision(alec)

    def propose(username, summary, **changes):
        data = edit(alec, **changes)
        data = {k: v for k, v in data.items() if not k.startswith("edit-")}
        return moderation.proposal_submit(
            kind="person", page=alec, data=data, base_revision=base,
            base_data=moderation.current_data(alec), summary=summary, minor=False,
            author=get_user_model().objects.get(username=username),
        )  # fmt: skip

    short = "AI researcher, co-author of GPT and CLIP"
    first = propose("contributor", "Sharper description", short_description=short)
    second = propose(
        "admin",
        "Describe him as a scientist",
        short_description="Machine learning scientist",
        known_for=alec.known_for + " Also DALL-E.",
    )
    log_in(page, "moderator", "lineage-moderator")
    page.goto(f"/review/{first.pk}/")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".messages")).to_contain_text("Approved and published")

    page.goto(f"/review/{second.pk}/")
    expect(page.locator("#stale-heading")).to_have_text(
        "The page changed after this proposal was made"
    )
    conflict = page.locator("#conflict-short_description")
    expect(conflict.locator(".conflict-current")).to_have_text(short)
    expect(conflict.locator(".conflict-proposal")).to_have_text(
        "Machine learning scientist"
    )
    expect(page.get_by_role("button", name="Approve and publish")).to_be_disabled()
    screenshot("conflict")
    conflict.get_by_label("the current version").check()
    page.get_by_role("button", name="Show the result of these choices").click()
    expect(page.get_by_role("button", name="Approve and publish")).to_be_enabled()
    screenshot("conflict-resolved")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".messages")).to_contain_text("Approved and published")

    alec.refresh_from_db()
    assert alec.short_description == short
    assert alec.known_for.endswith("Also DALL-E.")
    assert console_errors == []


def test_row_fields_suggest_titles_as_you_type_and_rows_can_be_added(
    page, demo_accounts, console_errors
):
    log_in(page, "contributor", "lineage-contributor")
    page.goto(PROFILE + "edit/")
    affiliations = page.locator("#formset-affiliations")
    rows = affiliations.locator(".formset-rows > .formset-row")
    expect(rows).to_have_count(2)
    affiliations.get_by_role("button", name="Add a row").click()
    expect(rows).to_have_count(3)
    expect(
        affiliations.locator("input[name='affiliations-TOTAL_FORMS']")
    ).to_have_value("3")
    organization = rows.nth(2).get_by_label("Organization")
    expect(organization).to_be_focused()
    organization.press_sequentially("open")
    suggestions = page.locator(
        f"#{organization.get_attribute('aria-controls')} [role=option]"
    )
    expect(suggestions.first.locator(".suggestion-title")).to_have_text("OpenAI")
    related = page.locator("#formset-related .formset-row").last.get_by_label("Page")
    related.press_sequentially("sutsk")
    options = page.locator(f"#{related.get_attribute('aria-controls')} [role=option]")
    expect(options.first.locator(".suggestion-title")).to_have_text(
        "Ilya Sutskever (person)"
    )
    assert console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_to_fix_on_the_editing_and_review_pages(
    page, demo_accounts, console_errors, scheme
):
    from django.contrib.auth import get_user_model

    from tests.browser.test_accessibility import axe, report
    from tests.wiki.moderation_helpers import edit
    from wiki import moderation

    alec = Person.objects.get(slug="alec-radford")
    data = {
        k: v for k, v in edit(alec, body="Short.").items() if not k.startswith("edit-")
    }
    proposal = moderation.proposal_submit(
        kind="person", page=alec, data=data, base_revision=latest_revision(alec),
        base_data=moderation.current_data(alec), summary="Shorter", minor=False,
        author=get_user_model().objects.get(username="contributor"),
    )  # fmt: skip
    page.emulate_media(color_scheme=scheme)
    pages = {"login": "/accounts/login/", "sign up": "/accounts/signup/"}
    failures = []

    def check(name, url):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        violations = axe.run(page).response["violations"]
        if violations:
            failures.append(report(name, url, violations))

    for name, url in pages.items():
        check(name, url)
    log_in(page, "moderator", "lineage-moderator")
    for name, url in {
        "edit form": PROFILE + "edit/",
        "new page form": "/themes/new/?title=Scaling",
        "review queue": "/review/",
        "review": f"/review/{proposal.pk}/",
        "proposal": f"/proposals/{proposal.pk}/",
        "contributions": "/me/contributions/",
        "notifications": "/me/notifications/",
    }.items():
        check(name, url)
    assert not failures, f"axe violations ({scheme}):\n" + "\n".join(failures)
    assert console_errors == []

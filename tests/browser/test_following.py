"""Following one's proposals and editing a section, in Chromium, as a person
does: typing, pressing keys and clicking the real buttons.  Nothing on the
forms under test is filled or set by script."""

import re

import pytest
from playwright.sync_api import expect

from people.models import Person
from tests.browser.test_accessibility import axe, report
from wiki.models import Proposal
from wiki.roles import ensure_demo_accounts

pytestmark = pytest.mark.usefixtures("seeded")

PROFILE = "/people/alec-radford/"
LAST_SECTION = "Research Style and Influence"


@pytest.fixture
def demo_accounts(seeded):
    ensure_demo_accounts()


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    form = page.locator("#login-form")
    form.get_by_label("Username").click()
    page.keyboard.type(username)
    form.get_by_label("Password").click()
    page.keyboard.type(password)
    form.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(username)


def log_out(page) -> None:
    page.get_by_role("navigation", name="Account").get_by_role(
        "button", name="Log out"
    ).click()
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("Log in")


def type_at_end(page, field, text: str) -> None:
    field.click()
    field.press("Control+End")
    page.keyboard.type(text)


def replace_text(page, field, text: str) -> None:
    field.click()
    field.press("Control+a")
    page.keyboard.type(text)


def at_both_widths(page, screenshot, label: str) -> None:
    for width, height in ((390, 844), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        screenshot(f"{label}-{width}")
    page.set_viewport_size({"width": 1280, "height": 720})


def assert_axe_clean(page, name: str) -> None:
    violations = axe.run(page).response["violations"]
    assert not violations, report(name, page.url, violations)


def open_notifications(page) -> None:
    page.get_by_role("navigation", name="Account").get_by_role(
        "link", name=re.compile("Notifications")
    ).click()


def test_a_rejected_proposal_is_revised_and_resubmitted_and_its_partial_approval_labelled(  # noqa: E501
    page, second_page, demo_accounts, mailoutbox, console_errors, screenshot
):
    # A contributor proposes two changes; the moderator rejects them.
    log_in(page, "contributor", "lineage-contributor")
    page.goto(PROFILE)
    page.get_by_role("link", name="Edit this page").click()
    type_at_end(page, page.locator("#id_known_for"), " Also Jukebox.")
    type_at_end(page, page.locator("#id_body"), "\n\nHe co-wrote the PPO paper.")
    page.get_by_label("Edit summary").click()
    page.keyboard.type("Jukebox and PPO")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".proposal-status")).to_contain_text("Pending review")
    first = Proposal.objects.get(summary="Jukebox and PPO")

    log_in(second_page, "moderator", "lineage-moderator")
    second_page.goto(f"/review/{first.pk}/")
    second_page.get_by_label("Reason for rejecting").click()
    second_page.keyboard.type("Which PPO paper? Please cite it.")
    second_page.get_by_role("button", name="Reject").click()
    expect(second_page.locator(".messages")).to_contain_text("Rejected")

    # The author reads why, and still sees everything they proposed.
    page.goto("/")
    open_notifications(page)
    page.locator(".notification-list").get_by_role("link", name="Alec Radford").click()
    expect(page.locator(".proposal-status")).to_contain_text(
        "Reason: Which PPO paper? Please cite it."
    )
    expect(page.locator("#changes-heading")).to_have_text("What it proposed")
    changes = page.locator(".proposal-changes")
    expect(
        changes.locator("ins", has_text="He co-wrote the PPO paper.")
    ).to_be_visible()
    expect(changes.locator("ins", has_text="Jukebox")).to_be_visible()
    assert_axe_clean(page, "rejected proposal")
    at_both_widths(page, screenshot, "rejected")

    # Revise and resubmit: the form holds the proposal; cite, and send again.
    page.get_by_role("link", name="Revise and resubmit").click()
    expect(page.locator(".resubmitting")).to_contain_text(
        f"Revising proposal {first.pk}"
    )
    body = page.locator("#id_body")
    expect(body).to_have_value(re.compile(r"He co-wrote the PPO paper\.$"))
    expect(page.locator("#id_known_for")).to_have_value(re.compile(r"Also Jukebox\.$"))
    body.click()
    body.press("Control+End")
    page.keyboard.press("Backspace")  # the full stop
    page.keyboard.type(" [@schulman2017proximal].")
    replace_text(page, page.get_by_label("Edit summary"), "Jukebox, and PPO cited")
    assert_axe_clean(page, "resubmit form")
    at_both_widths(page, screenshot, "resubmit-form")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messages")).to_contain_text("waiting for a moderator")
    expect(page.locator(".resubmitted-from")).to_have_text(f"proposal {first.pk}")
    second = Proposal.objects.get(summary="Jukebox, and PPO cited")
    assert second.resubmitted_from_id == first.pk

    # Editing the page again offers to amend the pending proposal instead.
    page.goto(PROFILE)
    expect(page.locator(".pending-changes")).to_have_text(
        "1 pending change (yours), awaiting review"
    )
    page.get_by_role("link", name="Edit this page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You already have a pending change to Alec Radford"
    )
    assert_axe_clean(page, "amend offer")
    at_both_widths(page, screenshot, "amend-offer")
    page.get_by_role("link", name=re.compile("^Amend this proposal")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Amend the proposed change to Alec Radford"
    )

    # Meanwhile the moderator changes "Known for" on the page.
    second_page.goto(PROFILE)
    second_page.get_by_role("link", name="Edit this page").click()
    type_at_end(second_page, second_page.locator("#id_known_for"), " Also Whisper.")
    second_page.get_by_label("Edit summary").click()
    second_page.keyboard.type("Whisper")
    second_page.get_by_role("button", name="Publish").click()
    expect(second_page.locator(".messages")).to_contain_text("Published")

    # The moderator follows the page's pending link, keeps the page's
    # "Known for", and approves the rest.
    pending = second_page.locator(".pending-changes")
    expect(pending).to_contain_text("1 pending change")
    pending.get_by_role("link", name="1 pending change").click()
    conflict = second_page.locator("#conflict-known_for")
    conflict.get_by_label("the current version").check()
    second_page.get_by_role("button", name="Show the result of these choices").click()
    second_page.get_by_role("button", name="Approve and publish").click()
    expect(second_page.locator(".messages")).to_contain_text("Approved and published")

    # The author is told, field by field, on the site and by mail.
    page.goto("/")
    open_notifications(page)
    expect(page.locator(".notification-list li").first).to_contain_text(
        "approved by moderator, except: Known for kept as it was on the page"
    )
    page.locator(".notification-list li").first.get_by_role(
        "link", name="Alec Radford"
    ).click()
    expect(page.locator(".decision-label")).to_have_text(
        "Approved, except: Known for kept as it was on the page."
    )
    expect(page.locator(".kept-proposed")).to_contain_text("Also Jukebox.")
    expect(page.locator(".kept-current")).to_contain_text("Also Whisper.")
    expect(page.locator("#changes-heading")).to_have_text("What was published")
    expect(page.locator(".proposal-changes")).to_contain_text("He co-wrote the PPO")
    assert_axe_clean(page, "partly approved proposal")
    at_both_widths(page, screenshot, "partly-approved")
    subjects = [message.subject for message in mailoutbox]
    assert subjects == [
        "Your change to Alec Radford was rejected",
        "Your change to Alec Radford was approved, except: Known for",
    ]
    alec = Person.objects.get(slug="alec-radford")
    assert alec.known_for.endswith("Also Whisper.")
    assert "He co-wrote the PPO paper" in alec.body
    assert console_errors == []


def test_a_section_edit_meets_a_full_page_edit_of_the_same_section(
    page, second_page, demo_accounts, console_errors, screenshot
):
    log_in(page, "contributor", "lineage-contributor")
    page.goto(PROFILE)
    page.emulate_media(media="print")
    expect(page.locator(".section-edit").first).to_be_hidden()
    page.emulate_media(media="screen")
    section_link = page.get_by_role("link", name=f"edit section: {LAST_SECTION}")
    expect(section_link).to_be_visible()
    at_both_widths(page, screenshot, "section-links")
    section_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Edit Alec Radford: section “{LAST_SECTION}”"
    )
    text = page.get_by_label(f"Section “{LAST_SECTION}”", exact=True)
    expect(text).to_have_value(re.compile(rf"^## {LAST_SECTION}\n"))
    type_at_end(page, text, "\n\nHe rarely gives interviews.")
    summary = page.get_by_label("Edit summary")
    expect(summary).to_have_value(f"/* {LAST_SECTION} */ ")
    summary.click()
    summary.press("End")
    page.keyboard.type("interviews")
    assert_axe_clean(page, "section form")
    at_both_widths(page, screenshot, "section-form")

    # Meanwhile, a moderator edits the whole page: the same section.
    log_in(second_page, "moderator", "lineage-moderator")
    second_page.goto(PROFILE)
    second_page.get_by_role("link", name="Edit this page").click()
    type_at_end(
        second_page, second_page.locator("#id_body"), "\n\nHis papers are taught."
    )
    second_page.get_by_label("Edit summary").click()
    second_page.keyboard.type("Teaching")
    second_page.get_by_role("button", name="Publish").click()
    expect(second_page.locator(".messages")).to_contain_text("Published")

    # The section edit now conflicts: the whole page's form, with both versions.
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messages")).to_contain_text(
        f"The section you edited (“{LAST_SECTION}”) was changed on the page"
    )
    expect(page.locator("#conflict-heading")).to_have_text(
        "Edit conflict: 1 field changed by someone else too"
    )
    conflict = page.locator("#conflict-body")
    expect(conflict.locator(".conflict-mine")).to_have_value(
        re.compile(r"He rarely gives interviews\.$")
    )
    body = page.locator("#id_body")
    expect(body).to_have_value(re.compile(r"His papers are taught\.$"))
    assert_axe_clean(page, "section conflict")
    at_both_widths(page, screenshot, "section-conflict")

    # The contributor adds their sentence to the current text and submits.
    type_at_end(page, body, "\n\nHe rarely gives interviews.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messages")).to_contain_text("waiting for a moderator")
    proposal = Proposal.objects.get(author__username="contributor")
    assert (
        proposal.data["body"][0]
        .replace("\r\n", "\n")
        .endswith("His papers are taught.\n\nHe rarely gives interviews.")
    )
    assert proposal.summary == f"/* {LAST_SECTION} */ interviews"
    expect(page.locator(".field-changes ins").first).to_contain_text(
        "He rarely gives interviews."
    )
    # Chromium logs the edit conflict's own 409 status as a console error.
    assert [e for e in console_errors if "status of 409" not in e] == []

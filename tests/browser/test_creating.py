"""Creating pages and sources, as a person does it: from a red link or an
unknown citation in the live preview, in a new tab, and back to the edit."""

import re

import pytest
from playwright.sync_api import expect

from sources.models import Source
from sources.services import source_latest_revision
from tests.browser.conftest import save_screenshot
from tests.browser.test_contributing import PROFILE, demo_accounts, log_in, log_out
from wiki.models import Proposal

pytestmark = pytest.mark.usefixtures("seeded")
__all__ = ["demo_accounts"]  # a fixture, used by name

KEY = "radford2017sentiment"
TITLE = "Learning to Generate Reviews and Discovering Sentiment"
WIDTHS = {"phone": 390, "desktop": 1280}


def start_editing_the_body(page) -> None:
    """Open the profile's edit form and put the caret at the end of the body."""
    page.goto(PROFILE)
    page.get_by_role("link", name="Edit this page").click()
    body = page.get_by_role("textbox", name="Body")
    body.click()
    page.keyboard.press("Control+End")


def open_in_new_tab(page, link):
    """Ctrl+click ``link``, as a person keeping the form open does."""
    with page.context.expect_page() as opened:
        link.click(modifiers=["Control"])
    tab = opened.value
    tab.wait_for_load_state()
    return tab


def field(page, label: str):
    """The field labelled ``label`` (Django's labels end with a colon; required
    fields are marked so)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?( \(required\))?$"))


def type_into(page, label: str, text: str) -> None:
    field(page, label).click()
    page.keyboard.type(text)


def approve_in_queue(page, row_text: str) -> None:
    page.goto("/review/")
    page.locator("tr", has_text=row_text).get_by_role("link").first.click()
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".messages")).to_contain_text("Approved and published")


@pytest.fixture
def shoot(request):
    """shoot(tab, label): screenshots of ``tab`` at a phone's and a desktop's width."""

    def take(tab, label: str) -> None:
        for name, width in WIDTHS.items():
            tab.set_viewport_size({"width": width, "height": 900})
            save_screenshot(tab, f"{request.node.name}-{label}-{name}")
        tab.set_viewport_size({"width": 1280, "height": 720})

    return take


def test_follow_a_red_link_from_the_preview_create_the_page_and_come_back(
    page, demo_accounts, console_errors, shoot
):
    log_in(page, "contributor", "lineage-contributor")
    start_editing_the_body(page)
    page.keyboard.type("\n\nHe has co-written with [[Jane Doe]].")
    preview = page.locator(".field-body .markdownx-preview")
    red_link = preview.get_by_role("link", name="Jane Doe")
    expect(red_link).to_have_class(re.compile(r"wikilink-missing"))

    tab = open_in_new_tab(page, red_link)
    expect(tab.get_by_role("heading", level=1)).to_have_text("Jane Doe")
    expect(tab.locator(".create-links")).to_have_text(
        # the dataset kind is tests/toykind's, installed for the tests
        "Create it as a theme, a person, an organization, a work or a dataset."
    )
    shoot(tab, "missing-page")
    tab.get_by_role("link", name="person", exact=True).click()
    expect(tab.get_by_role("heading", level=1)).to_have_text(
        "Create a person: Jane Doe"
    )
    expect(field(tab, "Title")).to_have_value("Jane Doe")
    type_into(tab, "Short description", "Machine learning researcher")
    tab.keyboard.press("Tab")  # on to the lede, a plain text box
    tab.keyboard.type("Jane Doe studies language models.")
    type_into(tab, "Edit summary", "New page for a co-author")
    shoot(tab, "create-person")
    tab.get_by_role("button", name="Submit for review").click()
    expect(tab.get_by_role("status").first).to_contain_text("waiting for a moderator")
    tab.close()

    # Back in the first tab, the edit is as it was left.
    expect(page.get_by_role("textbox", name="Body")).to_have_value(
        re.compile(r"He has co-written with \[\[Jane Doe\]\]\.$")
    )
    type_into(page, "Edit summary", "Mention a co-author")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status").first).to_contain_text("waiting for a moderator")
    log_out(page)

    log_in(page, "moderator", "lineage-moderator")
    approve_in_queue(page, "New page for a co-author")
    approve_in_queue(page, "Mention a co-author")
    log_out(page)
    page.goto(PROFILE)
    link = page.locator(".body").get_by_role("link", name="Jane Doe")
    expect(link).to_have_attribute("href", "/people/jane-doe/")
    expect(link).not_to_have_class(re.compile(r"wikilink-missing"))
    assert console_errors == []


def test_propose_a_new_source_cite_it_and_have_both_approved(
    page, demo_accounts, console_errors, screenshot, shoot
):
    log_in(page, "contributor", "lineage-contributor")
    start_editing_the_body(page)
    page.keyboard.type(f"\n\nThe sentiment neuron came first [@{KEY}].")
    preview = page.locator(".field-body .markdownx-preview")
    expect(preview.locator(".cite-unknown")).to_have_text(f"[unknown source: {KEY}]")
    create = preview.get_by_role("link", name="create this source")

    tab = open_in_new_tab(page, create)
    expect(tab.get_by_role("heading", level=1)).to_have_text(f"Create a source: {KEY}")
    key = field(tab, "Citation key")
    expect(key).to_have_value(KEY)
    key.click()
    for text in ["Preprint", "Alec Radford, Rafal Jozefowicz, Ilya Sutskever",
                 TITLE, "arXiv", "2017", "April"]:  # fmt: skip
        tab.keyboard.press("Tab")
        tab.keyboard.type(text)
    tab.keyboard.press("Tab")  # the day: not given
    tab.keyboard.press("Tab")
    tab.keyboard.type("https://arxiv.org/abs/1704.01444")
    tab.keyboard.press("Tab")
    tab.keyboard.type("10.12/sentiment")  # a mistake: it has no DOI
    tab.keyboard.press("Tab")
    tab.keyboard.type("arXiv:1704.01444")
    type_into(tab, "Edit summary", "Add the sentiment paper")
    tab.get_by_role("button", name="Submit for review").click()

    doi_error = tab.locator(".field-doi .errorlist")
    expect(doi_error).to_contain_text("A DOI looks like 10.1234/abc.5678")
    expect(field(tab, "Title")).to_have_value(TITLE)
    shoot(tab, "source-form-error")
    field(tab, "DOI").click()
    tab.keyboard.press("Control+A")
    tab.keyboard.press("Delete")
    tab.get_by_role("button", name="Submit for review").click()
    expect(tab.get_by_role("status").first).to_contain_text("waiting for a moderator")
    expect(tab.get_by_role("heading", level=1)).to_have_text(f"New source: {TITLE}")
    expect(tab.locator(".field-changes")).to_contain_text("1704.01444")
    shoot(tab, "source-proposal")
    tab.close()

    # Back in the edit: the source may be cited while it waits for review.
    page.get_by_role("textbox", name="Body").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" ")
    expect(preview).to_contain_text(f"[source awaiting review: {KEY}]")
    type_into(page, "Edit summary", "Cite the sentiment paper")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status").first).to_contain_text("waiting for a moderator")
    log_out(page)

    log_in(page, "moderator", "lineage-moderator")
    page.goto("/review/")
    row = page.locator("tr", has_text="Add the sentiment paper")
    expect(row).to_contain_text("new source")
    row.get_by_role("link", name="Add the sentiment paper").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Review: new source {TITLE}"
    )
    screenshot("review-source")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".messages")).to_contain_text("Approved and published")
    approve_in_queue(page, "Cite the sentiment paper")
    log_out(page)

    page.goto(PROFILE)
    expect(page.locator(f"#ref-{KEY}")).to_contain_text(TITLE)
    expect(page.locator(".body a[href='#ref-" + KEY + "']")).to_be_visible()
    page.goto(f"/sources/{KEY}/history/")
    latest = page.locator(".history-row").first
    expect(latest).to_contain_text("contributor")
    expect(latest).to_contain_text("approved by moderator")
    expect(latest).to_contain_text("Add the sentiment paper")
    shoot(page, "source-history")
    page.goto("/changes/?kind=source")
    expect(page.locator(".change-list")).to_contain_text(f"{KEY}: {TITLE}")

    source = Source.objects.get(key=KEY)
    assert (source.arxiv_id, source.doi, source.month) == ("1704.01444", "", 4)
    revision = source_latest_revision(source)
    assert revision.user.username == "contributor"
    assert revision.meta.approved_by.username == "moderator"
    assert not Proposal.objects.filter(status=Proposal.Status.PENDING).exists()
    assert console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_to_fix_on_the_creating_pages(
    page, demo_accounts, console_errors, scheme
):
    from tests.browser.test_accessibility import axe, report

    page.emulate_media(color_scheme=scheme)
    log_in(page, "contributor", "lineage-contributor")
    failures = []

    def check(name, url=None, status=200):
        if url:
            response = page.goto(url)
            assert response is not None and response.status == status, url
        violations = axe.run(page).response["violations"]
        if violations:
            failures.append(report(name, url or page.url, violations))

    check("missing page", "/go/?title=Jane%20Doe", status=404)
    check("people index", "/people/")
    check("sources index", "/sources/")
    check("create a person", "/people/new/?title=Jane%20Doe")
    check("create a source", f"/sources/new/?key={KEY}")
    field(page, "DOI").click()
    page.keyboard.type("10.12/x")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".form-errors")).to_be_visible()
    check("create a source, with errors")
    check("edit a source", "/sources/radford2021learning/edit/")
    check("source history", "/sources/radford2021learning/history/")
    assert not failures, f"axe violations ({scheme}):\n" + "\n".join(failures)
    assert [e for e in console_errors if "status of 40" not in e] == []

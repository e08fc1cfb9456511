"""The edit form as a person uses it, in Chromium: with the keyboard alone, with
rows added, moved and removed, with mistakes, leaving and previewing.

The form under test is only ever typed into and clicked: no ``fill()``, no
values set from script (scripts here only read what the page shows).
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from people.models import Person
from tests.browser.test_accessibility import report
from tests.browser.test_contributing import log_in
from wiki.models import Page, Proposal, Theme
from wiki.roles import ensure_demo_accounts

pytestmark = pytest.mark.usefixtures("seeded")

EDIT = "/people/alec-radford/edit/"
MARKDOWN_FIELDS = ["known_for", "why_they_matter", "body", "reading", "open_questions"]

# What has focus: a form field by name, a region by its label, else its text.
FOCUSED = """() => {
  const e = document.activeElement;
  if (e.name) return e.name;
  const label = e.getAttribute('aria-labelledby');
  if (label) return 'region:' + document.getElementById(label).textContent;
  const text = e.getAttribute('aria-label') || e.textContent.trim();
  return e.tagName.toLowerCase() + ':' + text;
}"""
# Every field of the edit form a person sees, with its value, in page order.
VALUES = """() => Array.from(document.querySelectorAll('#edit-form [name]'))
  .filter(e => e.type !== 'hidden' && e.name !== 'csrfmiddlewaretoken')
  .map(e => [e.name, e.type === 'checkbox' ? String(e.checked) : e.value])"""
VISIBLE_FIELDS = """() => Array.from(document.querySelectorAll(
    '#edit-form input, #edit-form textarea, #edit-form select'))
  .filter(e => e.type !== 'hidden' && e.offsetParent !== null).map(e => e.name)"""


@pytest.fixture
def demo_accounts(seeded):
    ensure_demo_accounts()


def unexpected(console_errors: list[str]) -> list[str]:
    """Console errors but Chromium's note of a form sent back with 400."""
    return [e for e in console_errors if "status of 400 (Bad Request)" not in e]


def focused(page) -> str:
    return page.evaluate(FOCUSED)


def walk(page, *, until: str, key: str = "Tab", limit: int = 400) -> list[str]:
    """Press ``key`` until ``until`` has focus; return what had focus, in turn."""
    seen = [focused(page)]
    while seen[-1] != until:
        assert len(seen) < limit, f"never reached {until}: ... {seen[-8:]}"
        page.keyboard.press(key)
        seen.append(focused(page))
    return seen


def open_form(page, username: str) -> None:
    log_in(page, username, f"lineage-{username}")
    page.goto(EDIT)
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Alec Radford")
    # The live previews have arrived (their links are part of the Tab order).
    expect(page.locator(".field-body .markdownx-preview a").first).to_be_visible()
    page.wait_for_load_state("networkidle")


def fieldset(page, legend: str):
    return page.locator("fieldset.formset").filter(
        has=page.locator("legend", has_text=re.compile(f"^{legend}$"))
    )


def test_keyboard_only_from_the_first_field_to_submit(
    page, demo_accounts, console_errors, screenshot
):
    open_form(page, "contributor")
    before = page.evaluate(VALUES)
    page.locator("#id_title").click()

    forward = walk(page, until="button:Submit for review")
    names = [name for name in forward if not re.match(r"^(region|a|button):", name)]
    assert names == page.evaluate(VISIBLE_FIELDS)  # every field, in page order
    for name in MARKDOWN_FIELDS:
        # Tab leaves each Markdown field for its preview, named after it.
        label = page.locator(f"label[for='id_{name}']").inner_text()
        label = label.replace("(required)", "").strip()
        assert forward[forward.index(name) + 1] == f"region:Preview of {label}"
    assert forward[-3:] == ["edit-summary", "edit-minor", "button:Submit for review"]
    assert page.evaluate(VALUES) == before  # no value changed by moving through

    # Shift+Tab goes back the same way, through the Markdown fields too.
    backward = walk(page, until="title", key="Shift+Tab")
    assert backward == list(reversed(forward))
    assert page.evaluate(VALUES) == before

    # Now edit: type in one Markdown field and the summary, submit with Enter.
    walk(page, until="known_for")
    page.keyboard.press("Control+End")
    page.keyboard.type(" Also [[DALL-E]].")
    known_for = page.locator(".field-known_for .markdownx-preview")
    expect(known_for.locator("a.wikilink-missing")).to_have_text("DALL-E")
    walk(page, until="edit-summary")
    page.keyboard.type("Mention DALL-E")
    walk(page, until="button:Submit for review")
    after = dict(page.evaluate(VALUES))
    changed = {name for name, value in before if after[name] != value}
    assert changed == {"known_for", "edit-summary"}
    screenshot("ready")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("waiting for a moderator")
    proposal = Proposal.objects.get()
    assert proposal.changed_fields == ["known for"]
    assert proposal.data["known_for"][0].endswith(" Also [[DALL-E]].")
    assert "\t" not in proposal.data["known_for"][0]
    assert console_errors == []


def test_indenting_is_an_explicit_key_and_undoable(page, demo_accounts, console_errors):
    open_form(page, "contributor")
    field = page.locator("#id_open_questions")
    hint = page.locator("#id_open_questions_keys")
    expect(hint).to_have_text(
        "Tab moves to the next field. Ctrl+] indents the selected lines, "
        "Ctrl+[ outdents them."
    )
    expect(field).to_have_attribute("aria-describedby", re.compile("_keys"))
    original = field.input_value()
    field.click()
    page.keyboard.press("Control+Home")
    page.keyboard.press("Control+]")
    first = original.split("\n")[0]
    assert field.input_value().split("\n")[0] == "    " + first
    page.keyboard.press("Control+[")
    assert field.input_value() == original
    page.keyboard.press("Control+]")
    page.keyboard.press("Control+z")
    assert field.input_value() == original
    page.keyboard.press("Tab")
    assert focused(page) == "region:Preview of Open questions"
    assert field.input_value() == original
    assert console_errors == []


def test_rows_added_moved_and_removed_in_every_group(
    page, demo_accounts, console_errors, screenshot
):
    alec = Person.objects.get(slug="alec-radford")
    related = list(alec.related_links.order_by("position").values_list("target_id"))
    new_theme = Theme.objects.exclude(pk__in=alec.themes.all()).order_by("title")[0]
    new_related = (
        Page.objects.exclude(pk__in=[pk for (pk,) in related] + [alec.pk])
        .order_by("title")
        .first()
    )
    open_form(page, "moderator")

    for legend in ["Affiliations", "Core themes", "Related pages", "References"]:
        group = fieldset(page, legend)
        rows = group.locator(".formset-rows > .formset-row")
        count = rows.count()
        group.get_by_role("button", name="Add a row").click()
        expect(rows).to_have_count(count + 1)
        expect(rows.last.locator("input:visible").first).to_be_focused()
        if legend == "Core themes":
            page.keyboard.type(new_theme.title)
        elif legend == "Related pages":
            page.keyboard.type(f"{new_related.title} ({new_related.kind})")
            # Up twice: above the blank row the form came with, and one more.
            rows.last.get_by_role("button", name="Move up").click()
            rows.nth(count - 1).get_by_role("button", name="Move up").click()
            expect(rows.nth(count - 2).get_by_label("Page")).to_have_value(
                f"{new_related.title} ({new_related.kind})"
            )
            rows.first.get_by_text("Remove").click()
        elif legend == "Affiliations":
            # A blank row moved above the filled one: its order is written, it
            # is still nobody's business.
            rows.last.get_by_role("button", name="Move up").click()
            rows.nth(count - 1).get_by_role("button", name="Move up").click()
        else:
            group.get_by_role("button", name="Add a row").click()
    screenshot("rows")
    page.locator("#id_edit-summary").click()
    page.keyboard.type("Rows: a theme, a related page, one removed")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("Published.")

    alec = Person.objects.get(pk=alec.pk)
    assert alec.affiliations.count() == 1
    assert alec.citations.count() == 9
    assert new_theme in alec.themes.all()
    expected = [pk for (pk,) in related[1:-1]] + [new_related.pk, related[-1][0]]
    assert (
        list(
            alec.related_links.order_by("position").values_list("target_id", flat=True)
        )
        == expected
    )
    assert console_errors == []


def test_an_invalid_submit_focuses_a_summary_that_counts_and_links_every_error(
    page, demo_accounts, console_errors, screenshot
):
    open_form(page, "contributor")
    page.locator("#id_title").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.locator("#id_known_for").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Typed, not lost.")
    affiliations = fieldset(page, "Affiliations")
    affiliations.get_by_role("button", name="Add a row").click()
    page.keyboard.type("Babbage Lab")
    page.keyboard.press("Tab")
    # In place, before submitting: create that organization (in a new tab).
    offer = affiliations.get_by_role("link", name="Create the organization")
    expect(offer).to_have_attribute("href", "/organizations/new/?title=Babbage%20Lab")
    expect(offer).to_have_attribute("target", "_blank")
    page.get_by_role("button", name="Submit for review").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(
        "3 problems to fix: nothing was saved"
    )
    links = summary.get_by_role("link")
    expect(links).to_have_text(
        [
            "Title: This field is required.",
            re.compile(r"^Affiliations, row 3: Organization: No organization is"),
            "Edit summary: Say briefly what you changed and why.",
        ]
    )
    # From the keyboard: the first link takes focus to the title.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#id_title")).to_be_focused()
    screenshot("errors")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("errors-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    # With the mouse: each link takes focus to its field.
    for index, target in enumerate(
        ["#id_title", "#id_affiliations-2-organization", "#id_edit-summary"]
    ):
        links.nth(index).click()
        expect(page.locator(target)).to_be_focused()
    # What was typed is all still there.
    expect(page.locator("#id_known_for")).to_have_value(
        re.compile(r" Typed, not lost\.$")
    )
    expect(page.locator("#id_affiliations-2-organization")).to_have_value("Babbage Lab")
    expect(
        affiliations.get_by_role("link", name="Create the organization “Babbage Lab”")
    ).to_be_visible()
    # Required fields say so.
    expect(page.locator("#id_title")).to_have_attribute("required", "")
    expect(page.locator("#id_edit-summary")).to_have_attribute("required", "")
    expect(page.locator("label[for='id_edit-summary']")).to_contain_text("(required)")

    # Fix it: a title, the unknown organization taken out, a summary.
    page.locator("#id_title").click()
    page.keyboard.type("Alec Radford")
    page.locator("#id_affiliations-2-organization").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.locator("#id_edit-summary").click()
    page.keyboard.type("A note")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status").first).to_contain_text("waiting for a moderator")
    assert Proposal.objects.get().changed_fields == ["known for"]
    assert unexpected(console_errors) == []


def test_leaving_unsaved_work_asks_first_but_submit_and_cancel_do_not(
    page, demo_accounts, console_errors
):
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", on_dialog)
    open_form(page, "contributor")
    # Untouched: leaving is free.
    page.get_by_role("link", name="Alec Radford").first.click()
    expect(page).to_have_url(re.compile(r"/people/alec-radford/$"))
    assert dialogs == []

    page.goto(EDIT)
    page.locator("#id_why_they_matter").click()
    page.keyboard.type("Unsaved words. ")
    page.get_by_role("navigation", name="Breadcrumbs").get_by_role(
        "link", name="Home"
    ).click()
    for _ in range(50):
        if dialogs:
            break
        page.wait_for_timeout(100)
    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(re.compile(re.escape(EDIT) + "$"))
    expect(page.locator("#id_why_they_matter")).to_have_value(
        re.compile(r"Unsaved words\. ")
    )

    # Cancel means it: no question.
    page.get_by_role("link", name="Cancel").click()
    expect(page).to_have_url(re.compile(r"/people/alec-radford/$"))
    assert dialogs == ["beforeunload"]

    # Submitting does not ask either.
    page.goto(EDIT)
    page.locator("#id_why_they_matter").click()
    page.keyboard.type("Saved words. ")
    page.locator("#id_edit-summary").click()
    page.keyboard.type("Why he matters")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status").first).to_contain_text("waiting for a moderator")
    assert dialogs == ["beforeunload"]
    assert console_errors == []


def test_show_changes_and_preview_keep_the_form_and_save_nothing(
    page, demo_accounts, console_errors, screenshot
):
    open_form(page, "contributor")
    page.locator("#id_short_description").click()
    page.keyboard.press("End")
    page.keyboard.type(" and writer")
    page.locator("#id_summary").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" He prefers simple methods.")
    page.locator("#id_edit-summary").click()
    page.keyboard.type("Describe his taste")

    page.get_by_role("button", name="Show changes").click()
    look = page.locator("#edit-look")
    expect(look).to_be_focused()
    expect(look.get_by_role("heading", level=2)).to_have_text(
        "Your changes to the current page"
    )
    expect(look.get_by_role("heading", level=3)).to_have_text(
        ["Short description", "Lede"]  # in the order of the form
    )
    expect(look.locator("ins")).to_have_text(
        ["AI researcher and writer", " He prefers simple methods."]
    )
    expect(look.locator("del")).to_have_text(["AI researcher"])
    screenshot("changes")
    assert not Proposal.objects.exists()
    # The form is as typed, summary included.
    expect(page.locator("#id_short_description")).to_have_value(
        re.compile(" and writer$")
    )
    expect(page.locator("#id_edit-summary")).to_have_value("Describe his taste")

    page.get_by_role("button", name="Preview").click()
    expect(look).to_be_focused()
    article = look.locator("article")
    expect(article.get_by_role("heading", level=1)).to_have_text("Alec Radford")
    expect(article.locator(".lede")).to_contain_text("He prefers simple methods.")
    expect(article.locator(".body")).to_contain_text("Research Style and Influence")
    expect(article.locator(".references")).to_be_visible()
    screenshot("preview")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("preview-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not Proposal.objects.exists()
    look.get_by_role("link", name="go to the edit summary").click()
    expect(page.locator("#id_edit-summary")).to_be_focused()
    walk(page, until="button:Submit for review")
    page.keyboard.press("Space")
    expect(page.get_by_role("status").first).to_contain_text("waiting for a moderator")
    assert sorted(Proposal.objects.get().changed_fields) == [
        "lede",
        "short description",
    ]
    assert console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_to_fix_in_any_state_of_the_form(
    page, demo_accounts, console_errors, scheme
):
    axe = Axe()
    page.emulate_media(color_scheme=scheme)
    failures = []

    def check(name):
        violations = axe.run(page).response["violations"]
        if violations:
            failures.append(report(name, page.url, violations))

    open_form(page, "contributor")
    check("edit form")
    fieldset(page, "Related pages").get_by_role("button", name="Add a row").click()
    page.keyboard.type("Difference Engine")
    page.keyboard.press("Tab")
    expect(page.locator(".create-offer a").first).to_be_visible()
    check("a row added, with an offer to create its page")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#error-summary")).to_be_focused()
    check("errors shown")
    page.locator("#id_edit-summary").click()
    page.keyboard.type("Checking")
    page.locator("#id_related-14-target").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.locator("#id_summary").click()
    page.keyboard.type("New lede. ")
    page.get_by_role("button", name="Show changes").click()
    expect(page.locator("#edit-look")).to_be_focused()
    check("show changes")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#edit-look article")).to_be_visible()
    check("preview")
    page.goto("/themes/new/?title=Scaling%20laws")
    check("new page form")
    assert not failures, f"axe violations ({scheme}):\n" + "\n".join(failures)
    assert unexpected(console_errors) == []


def test_tab_leaves_the_markdown_fields_in_the_admin(
    page, demo_accounts, console_errors, screenshot
):
    alec = Person.objects.get(slug="alec-radford")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("lineage-admin")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/people/person/{alec.pk}/change/")
    body = page.locator("#id_body")
    original = body.input_value()
    body.click()
    page.keyboard.press("Tab")
    expect(body).not_to_be_focused()
    assert focused(page) == "region:Preview of Body"
    page.keyboard.press("Shift+Tab")
    expect(body).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(body).not_to_be_focused()
    assert body.input_value() == original
    screenshot()
    assert console_errors == []

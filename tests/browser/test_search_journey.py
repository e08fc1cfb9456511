"""Searching as a reader does, in Chromium: suggestions under the header's box
while typing, chosen with the arrow keys or the mouse; the same box without
JavaScript; the results page on a phone and a desktop; an edit form's field
taking a suggestion.

Boxes are only ever typed into and clicked: no ``fill()``.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, save_screenshot
from tests.browser.test_editing_journeys import fieldset, open_form
from wiki.roles import ensure_demo_accounts

pytestmark = pytest.mark.usefixtures("seeded")

HEADER_BOX = "#site-search-q"
NO_SIDEWAYS_SCROLL = (
    "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
)


def shoot_around(page, request, locator, label: str) -> None:
    """Save the part of the window round ``locator`` (and what opens under it)."""
    box = locator.bounding_box()  # in the window; the clip is in the page
    top = max(0, box["y"] + page.evaluate("window.scrollY") - 40)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(
        path=str(ARTIFACTS / f"{request.node.name}-{label}.png"),
        full_page=True,
        clip={"x": 0, "y": top, "width": page.viewport_size["width"], "height": 420},
    )


def type_in_header(page, text: str):
    """Type into the header's search box; return the box and its listbox."""
    box = page.locator(HEADER_BOX)
    box.click()
    page.keyboard.type(text)
    listbox = page.get_by_role("listbox", name="Suggestions")
    return box, listbox


def test_typing_in_the_header_box_suggests_titles_and_the_arrow_keys_choose_one(
    page, console_errors, screenshot
):
    page.goto("/")
    box, listbox = type_in_header(page, "radf")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    options = listbox.get_by_role("option")
    first = options.first
    expect(first.locator(".suggestion-title")).to_have_text("Alec Radford")
    expect(first.locator(".suggestion-kind")).to_have_text("person")
    expect(first.locator(".suggestion-note")).not_to_be_empty()
    # The last option searches for what was typed.
    expect(options.last).to_have_text("Search for “radf”")
    # Nothing is chosen until an arrow key says so.
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".+"))

    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_be_focused()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)  # the list fits in the window
    screenshot("open")
    # Down past the end wraps to the top; Up from the top to the end.
    page.keyboard.press("ArrowUp")
    expect(options.last).to_have_attribute("aria-selected", "true")
    expect(first).to_have_attribute("aria-selected", "false")
    page.keyboard.press("ArrowDown")
    expect(first).to_have_attribute("aria-selected", "true")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/people/alec-radford/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Alec Radford")
    assert console_errors == []


def test_escape_closes_the_suggestions_and_tab_moves_on(page, console_errors):
    page.goto("/")
    box, listbox = type_in_header(page, "radf")
    expect(listbox).to_be_visible()
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_be_focused()
    expect(box).to_have_value("radf")
    # Down opens them again; a second Escape, with the list closed, clears.
    page.keyboard.press("ArrowDown")
    expect(listbox).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(box).to_have_value("")
    expect(box).to_be_focused()

    page.keyboard.type("radf")
    expect(listbox).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # never trapped: focus goes on to the button
    expect(listbox).to_be_hidden()
    expect(page.locator(".site-search button[type=submit]")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/$"))
    assert console_errors == []


def test_a_click_on_a_suggestion_opens_its_page(page, console_errors):
    page.goto("/works/")
    _box, listbox = type_in_header(page, "radf")
    listbox.get_by_role("option", name=re.compile("^Alec Radford")).click()
    expect(page).to_have_url(re.compile(r"/people/alec-radford/$"))
    assert console_errors == []


def test_enter_with_no_suggestion_chosen_searches_for_what_was_typed(
    page, console_errors
):
    page.goto("/")
    _box, listbox = type_in_header(page, "radf")
    expect(listbox).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=radf$"))
    # Not a word of any page, but like a title: "Titles like it".
    expect(page.locator("#content")).to_contain_text("Alec Radford")
    assert console_errors == []


def test_without_javascript_the_header_box_sends_the_search(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/")
        box = page.locator(HEADER_BOX)
        box.click()
        page.keyboard.type("radf")
        expect(page.get_by_role("listbox")).to_have_count(0)
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/search/\?q=radf$"))
        expect(page.locator("#content")).to_contain_text("Alec Radford")
        save_screenshot(page, "test_without_javascript_the_header_box_sends_the_search")
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_results_page_reads_well_on_a_phone_and_a_desktop(
    page, console_errors, screenshot, scheme
):
    page.emulate_media(color_scheme=scheme)
    for width, height in [(1280, 900), (390, 844)]:
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/search/?q=radford")
        expect(page.get_by_role("heading", level=1)).to_have_text("Search results")
        expect(page.locator(".search-results > li").first).to_be_visible()
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"sideways scroll at {width}px"
        screenshot(f"{scheme}-{width}")
        # The page's own box suggests too, under itself.
        box = page.locator("#search-q")
        box.click()
        page.keyboard.press("End")
        page.keyboard.press("Backspace")  # "radfor"
        listbox = page.get_by_role("listbox", name="Suggestions")
        expect(listbox).to_be_visible()
        page.keyboard.press("ArrowDown")
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"sideways scroll at {width}px"
        box_bottom = box.bounding_box()["y"] + box.bounding_box()["height"]
        assert listbox.bounding_box()["y"] >= box_bottom - 1
        screenshot(f"{scheme}-{width}-suggestions")
    assert console_errors == []


def test_the_within_box_takes_the_chosen_title_and_stays_on_the_page(
    page, console_errors
):
    page.goto("/search/?q=radford")
    within = page.locator("#search-within")
    within.click()
    page.keyboard.type("open")
    listbox = page.locator("#search-within-suggestions")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options.first.locator(".suggestion-title")).to_have_text("OpenAI")
    # Themes and organizations only, and no "Search for" option.
    for kind in options.locator(".suggestion-kind").all_text_contents():
        assert kind.strip() in {"theme", "organization"}
    expect(options.filter(has_text="Search for")).to_have_count(0)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(within).to_have_value("OpenAI")
    expect(listbox).to_be_hidden()
    expect(within).to_be_focused()
    expect(page).to_have_url(re.compile(r"/search/\?q=radford$"))
    # A second Enter sends the form, narrowed to OpenAI.
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"within=OpenAI"))
    assert console_errors == []


def test_an_edit_form_field_takes_a_suggestion_chosen_with_the_arrow_keys(
    page, console_errors, request
):
    ensure_demo_accounts()
    open_form(page, "contributor")
    affiliations = fieldset(page, "Affiliations")
    affiliations.get_by_role("button", name="Add a row").click()
    organization = page.locator("#id_affiliations-2-organization")
    expect(organization).to_be_focused()
    page.keyboard.type("open")
    listbox = page.locator("#id_affiliations-2-organization-suggestions")
    expect(listbox).to_be_visible()
    expect(organization).to_have_attribute("aria-expanded", "true")
    first = listbox.get_by_role("option").first
    expect(first.locator(".suggestion-title")).to_have_text("OpenAI")
    expect(first.locator(".suggestion-note")).to_contain_text("Organization")
    page.keyboard.press("ArrowDown")
    expect(first).to_have_attribute("aria-selected", "true")
    shoot_around(page, request, organization, "organization")
    page.keyboard.press("Enter")
    expect(organization).to_have_value("OpenAI")
    expect(listbox).to_be_hidden()
    expect(organization).to_be_focused()
    # Enter chose; it did not send the form, and OpenAI needs no creating.
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Alec Radford")
    expect(affiliations.locator(".create-offer a")).to_have_count(0)

    # A related page, in another formset: the same component, qualified titles.
    related = fieldset(page, "Related pages")
    related.get_by_role("button", name="Add a row").click()
    page.keyboard.type("sutsk")
    options = related.get_by_role("listbox").get_by_role("option")
    expect(options.first.locator(".suggestion-title")).to_have_text(
        "Ilya Sutskever (person)"
    )
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(related.locator(".formset-row").last.get_by_label("Page")).to_have_value(
        "Ilya Sutskever (person)"
    )
    assert [e for e in console_errors if "status of 400" not in e] == []


def test_a_markdown_field_suggests_pages_after_two_brackets_and_sources_after_at(
    page, console_errors, request
):
    ensure_demo_accounts()
    open_form(page, "contributor")
    field = page.locator("#id_known_for")
    listbox = page.locator(".field-known_for").get_by_role("listbox")
    field.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" With [[Ilya Sutsk")
    expect(listbox).to_be_visible()
    first = listbox.get_by_role("option").first
    expect(first.locator(".suggestion-title")).to_have_text("Ilya Sutskever")
    expect(field).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    # The list opens under the caret, not under the whole field.
    box, shown = field.bounding_box(), listbox.bounding_box()
    assert box["y"] < shown["y"] < box["y"] + box["height"]
    page.keyboard.press("ArrowDown")
    expect(field).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    shoot_around(page, request, field, "link")
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    expect(field).to_have_value(re.compile(r" With \[\[Ilya Sutskever\]\]$"))
    expect(field).to_be_focused()
    preview = page.locator(".field-known_for .markdownx-preview")
    expect(preview.get_by_role("link", name="Ilya Sutskever")).to_be_visible()

    # A citation key: "[@" and two characters, sources only.
    page.keyboard.type(" [@radford20")
    expect(listbox).to_be_visible()
    keys = listbox.locator(".suggestion-title").all_text_contents()
    assert keys and all(key.startswith("radford20") for key in keys), keys
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(field).to_have_value(re.compile(rf"\[\[Ilya Sutskever\]\] \[@{keys[0]}\]$"))

    # Escape closes the list and leaves the text; Enter is a new line again.
    page.keyboard.type(" [[Open")
    expect(listbox).to_be_visible()
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(field).to_be_focused()
    expect(field).to_have_value(re.compile(r" \[\[Open$"))
    # Tab, list showing or not, moves on to the field's preview.
    page.keyboard.type("A")
    expect(listbox).to_be_visible()
    page.keyboard.press("Tab")
    expect(listbox).to_be_hidden()
    expect(preview).to_be_focused()
    expect(field).to_have_value(re.compile(r" \[\[OpenA$"))
    assert [e for e in console_errors if "status of 400" not in e] == []


def test_a_link_to_one_of_two_pages_sharing_a_title_names_its_kind(
    page, console_errors
):
    from django.contrib.auth import get_user_model

    from sources.models import Work
    from wiki.models import Theme
    from wiki.services import page_publish

    ensure_demo_accounts()
    writer = get_user_model().objects.get(username="moderator")
    for page_ in (
        Work(title="Transformer", slug="transformer", work_type="paper", year=2017),
        Theme(title="Transformer", slug="transformer"),
    ):
        page_publish(page=page_, user=writer, summary="Create")
    open_form(page, "contributor")
    page.locator("#id_known_for").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" [[Transformer")
    listbox = page.locator(".field-known_for").get_by_role("listbox")
    theme = listbox.get_by_role("option").filter(has_text="theme")
    expect(theme.first).to_be_visible()
    # The arrow keys, down to the theme's option.
    for _ in range(10):
        page.keyboard.press("ArrowDown")
        if theme.first.get_attribute("aria-selected") == "true":
            break
    expect(theme.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(page.locator("#id_known_for")).to_have_value(
        re.compile(r" \[\[Transformer \(theme\)\]\]$")
    )
    assert [e for e in console_errors if "status of 400" not in e] == []

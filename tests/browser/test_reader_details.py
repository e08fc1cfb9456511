"""Reader details in Chromium: the phone menu, printing, and the contents."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("seeded")

PROFILE = "/people/alec-radford/"


def test_on_a_phone_the_header_folds_into_a_menu_opened_by_keyboard(
    page, console_errors, screenshot
):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(PROFILE)
    sections = page.get_by_role("navigation", name="Sections")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(sections).to_be_hidden()
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 70  # one row: the name and the button
    screenshot("closed")

    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(sections).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="People", exact=True).first).to_be_focused()
    screenshot("open")
    page.keyboard.press("Escape")
    expect(sections).to_be_hidden()
    expect(menu).to_be_focused()

    page.set_viewport_size({"width": 1280, "height": 800})
    expect(menu).to_be_hidden()
    expect(sections).to_be_visible()
    assert console_errors == []


def test_printing_hides_the_edit_tools_and_shows_the_permanent_link(
    page, console_errors
):
    page.goto(PROFILE)
    expect(page.get_by_role("link", name="Edit this page")).to_be_visible()
    expect(page.locator(".permalink")).to_be_hidden()
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="Edit this page")).to_be_hidden()
    expect(page.locator(".permalink")).to_be_visible()
    expect(page.locator(".permalink")).to_contain_text(
        "Permanent link: http://localhost"
    )
    assert console_errors == []


def test_the_contents_lead_to_the_reading_and_the_references(page, console_errors):
    page.goto(PROFILE)
    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name="References").click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#references-heading")
    expect(page.get_by_role("heading", name="References")).to_be_in_viewport()
    contents.get_by_role("link", name="Spiralist Reading").click()
    expect(page.get_by_role("heading", name="Spiralist Reading")).to_be_in_viewport()
    assert console_errors == []

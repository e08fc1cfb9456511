"""A reader with a keyboard asks who wrote a page, reads who wrote each
paragraph, and follows one to the change that brought it, on a phone and on
a desktop."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.wiki.history_helpers import make_moderator, person_with_history


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.textContent.trim()")


def tab_to(page, text: str, limit: int = 100) -> None:
    """Press Tab until the focused element reads ``text``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == text:
            return
    raise AssertionError(f"{text!r} not reached in {limit} presses of Tab")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_keyboard_reader_sees_who_wrote_each_paragraph_and_opens_its_change(
    page, console_errors, transactional_db, screenshot, width
):
    moderator = make_moderator("mod")
    alice = UserFactory(username="alice")
    ada, (first, second) = person_with_history(
        "Ada Lovelace wrote what is called the first computer program, for "
        "the Analytical Engine.\n\nShe worked with Charles Babbage.",
        "Ada Lovelace wrote what is called the first computer program, for "
        "the Analytical Engine.\n\nShe worked with Charles Babbage, whose "
        "engine she described in her notes of 1843.",
        authors=[moderator, alice],
    )
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(ada.get_absolute_url())

    tab_to(page, "Who wrote this?")
    outline = page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle"
    )
    assert outline == "solid"  # the focus is visible
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/people/ada-lovelace/attribution/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who wrote Ada Lovelace")
    notes = page.locator(".attribution-note")
    expect(notes).to_have_count(2)
    expect(notes.first).to_contain_text("By mod, approved by mod")
    expect(notes.nth(1)).to_contain_text("By alice, approved by alice")
    # Nothing is wider than the screen; on a phone the note is below its text.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    text_box = page.locator(".attributed-text").nth(1).bounding_box()
    note_box = notes.nth(1).bounding_box()
    if width == 390:
        assert note_box["y"] >= text_box["y"] + text_box["height"]
    else:
        assert note_box["x"] >= text_box["x"] + text_box["width"]
    assert Axe().run(page).response["violations"] == []
    screenshot(f"{width}")

    tab_to(page, f"Changes in revision {second.pk}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(rf"/diff/\?from={first.pk}&to={second.pk}$", page.url)
    changes = page.locator(".field-changes")
    expect(changes.locator("ins", has_text="described in her notes")).to_be_visible()
    screenshot(f"{width}-diff")

    page.go_back()
    tab_to(page, "Hide paragraph authors")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/people/ada-lovelace/")
    assert console_errors == []

"""A reader with a keyboard follows a long list from a profile to its "see
all" page and jumps through its pages by number, on a phone and on a desktop."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.wiki.bounded_corpus import build_hub

SIZE = 150  # co-authors of the hub person


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.textContent.trim()")


def tab_to(page, text: str, limit: int = 200) -> None:
    """Press Tab until the focused element reads ``text``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == text:
            return
    raise AssertionError(f"{text!r} not reached in {limit} presses of Tab")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_keyboard_reader_follows_see_all_and_jumps_to_a_page(
    page, console_errors, settings, transactional_db, screenshot, width
):
    settings.LINEAGE_NAV_PAGE_SIZE = 10  # 150 co-authors: 15 pages
    build_hub(SIZE)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/people/hub-person/")

    tab_to(page, f"See all {SIZE} co-authors")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/people/hub-person/coauthors/")
    assert page.title() == "Co-authors · Hub Person · Lineage"
    assert page.locator("h1").inner_text() == "Co-authors: Hub Person"
    assert page.locator(".list-summary").inner_text() == (
        f"{SIZE} co-authors; 1–10 shown."
    )

    # The page links come before the list: the 15th page is a few Tabs away.
    tab_to(page, "15", limit=30)
    outline = page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle"
    )
    assert outline == "solid"  # the focus is visible
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/people/hub-person/coauthors/?page=15")
    assert page.title() == "Co-authors · Hub Person · page 15 · Lineage"
    assert page.locator(".list-summary").inner_text() == (
        f"{SIZE} co-authors; 141–150 shown."
    )
    listed = page.locator("ol.nav-list li > a").all_inner_texts()
    assert listed == [f"Member {n:04d}" for n in range(140, 150)]
    numbers = page.locator("nav[aria-label='Pages, above the list'] .page-numbers li")
    assert numbers.all_inner_texts() == ["1", "…", "13", "14", "15"]

    # Back to the middle by number, then to the profile by the breadcrumb.
    tab_to(page, "13", limit=30)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".list-summary").inner_text() == (
        f"{SIZE} co-authors; 121–130 shown."
    )
    numbers = page.locator("nav[aria-label='Pages, below the list'] .page-numbers li")
    assert numbers.all_inner_texts() == ["1", "…", "11", "12", "13", "14", "15"]
    # Nothing is wider than the screen, the page links included.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert Axe().run(page).response["violations"] == []
    screenshot(f"{width}")

    page.keyboard.press("Home")
    page.evaluate("() => document.activeElement.blur()")
    tab_to(page, "Hub Person")  # the breadcrumb back to the profile
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/people/hub-person/$", page.url)
    assert console_errors == []

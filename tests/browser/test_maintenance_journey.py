"""A reader with a keyboard meets a "citation needed" marker on a page, follows
it to the maintenance page's explanation, and reads the maintenance lists,
on a phone and on a desktop."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from sources.models import Source
from sources.services import source_publish
from tests.factories import PersonFactory, SourceFactory, UserFactory
from wiki.services import page_publish


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.textContent.trim()")


def tab_to(page, text: str, limit: int = 200) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == text:
            return
    raise AssertionError(f"{text!r} not reached in {limit} presses of Tab")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_keyboard_reader_follows_citation_needed_to_the_maintenance_page(
    page, console_errors, transactional_db, screenshot, width
):
    SourceFactory(key="a2019", title="A study")
    nowhere = Source(key="nowhere2020", title="A source cited nowhere", year=2020)
    source_publish(source=nowhere, user=UserFactory(), summary="Add")
    ada = PersonFactory(title="Ada Example", slug="ada-example", summary="A person.")
    ada.body = (
        "Ada wrote the first program.[@a2019]\n\n"
        "She also predicted music by machine.[@?]\n\n"
        "Her notes ran longer than the paper.[@ghost2021]"
    )
    page_publish(page=ada, user=UserFactory(), summary="New page")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/people/ada-example/")

    marker = page.locator("sup.cite-needed a")
    assert marker.inner_text() == "[citation needed]"
    footer = page.locator(".page-coverage")
    assert footer.inner_text() == (
        "1 of 3 paragraphs cite a source (33%); 1 claim marked citation needed"
        " · About citation coverage"
    )
    assert Axe().run(page).response["violations"] == []
    screenshot(f"page-{width}")

    tab_to(page, "[citation needed]")
    outline = page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle"
    )
    assert outline == "solid"  # the focus is visible
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/maintenance/#citation-needed")
    assert page.title() == "Maintenance · Lineage"
    needed = page.locator("section[aria-labelledby='citation-needed'] li")
    assert needed.all_inner_texts() == ["Ada Example 1 claim marked [citation needed]"]
    unknown = page.locator("section[aria-labelledby='unknown-keys'] li")
    assert unknown.all_inner_texts() == [
        "[@ghost2021] on Ada Example · Create the source ghost2021"
    ]
    uncited = page.locator("section[aria-labelledby='uncited-sources'] li")
    assert uncited.all_inner_texts() == ["nowhere2020 A source cited nowhere"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert Axe().run(page).response["violations"] == []
    screenshot(f"maintenance-{width}")

    tab_to(page, "Create the source ghost2021")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # A reader is asked to log in first, and comes back to the form after.
    assert page.url.endswith("/accounts/login/?next=/sources/new/%3Fkey%3Dghost2021")
    assert console_errors == []

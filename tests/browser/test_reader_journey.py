"""A reader's journey through the seed: every step is a click on a visible link."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("seeded")


def title_is(page, title: str):
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(rf"^\s*{re.escape(title)}\s*$")
    )


def group(page, name: str):
    """A navigation group ("Co-authors (9)") or any other labelled section."""
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(name)}\b"))


def test_home_to_profile_to_coauthor_to_work_and_back_through_what_links_here(
    page, console_errors, screenshot
):
    page.goto("/")
    featured = group(page, "Featured profile")
    featured.get_by_role("link", name="Alec Radford", exact=True).click()

    expect(page).to_have_url(re.compile(r"/people/alec-radford/$"))
    title_is(page, "Alec Radford")
    coauthors = group(page, "Co-authors")
    expect(coauthors.get_by_role("heading")).to_have_text("Co-authors (9)")
    # Each co-author comes with the works they share.
    expect(
        coauthors.get_by_role("listitem").filter(has_text="Ilya Sutskever")
    ).to_have_text(re.compile(r"Ilya Sutskever\s+GPT$"))
    coauthors.get_by_role("link", name="Ilya Sutskever", exact=True).click()

    expect(page).to_have_url(re.compile(r"/people/ilya-sutskever/$"))
    title_is(page, "Ilya Sutskever")
    expect(group(page, "Works").get_by_role("link")).to_have_text(["GPT"])
    group(page, "Co-authors").get_by_role("link", name="Alec Radford").click()

    expect(page).to_have_url(re.compile(r"/people/alec-radford/$"))
    works = group(page, "Works")
    expect(works.get_by_role("link")).to_have_text(
        ["CLIP", "GPT-2", "GPT", "PPO", "DCGAN"]  # newest first
    )
    works.get_by_role("link", name="CLIP", exact=True).click()

    expect(page).to_have_url(re.compile(r"/works/clip/$"))
    title_is(
        page, "Learning Transferable Visual Models From Natural Language Supervision"
    )
    expect(page.get_by_role("complementary")).to_contain_text("Alec Radford")
    expect(group(page, "Cited by").get_by_role("link")).to_have_text(["Alec Radford"])
    # Alec's page links to CLIP twice, by its short and its full title: one entry.
    links_here = group(page, "What links here")
    expect(links_here.get_by_role("heading")).to_have_text("What links here (1)")
    expect(links_here.get_by_role("link")).to_have_text(["Alec Radford"])
    screenshot("work")
    links_here.get_by_role("link", name="Alec Radford").click()

    expect(page).to_have_url(re.compile(r"/people/alec-radford/$"))
    title_is(page, "Alec Radford")
    assert console_errors == []


def test_a_citation_jumps_to_its_reference_and_the_reference_jumps_back(
    page, console_errors
):
    page.goto("/people/alec-radford/")
    body = page.locator(".body")
    citation = body.locator("sup.cite").filter(
        has=page.locator('a[href="#ref-radford2021learning"]')
    )
    expect(citation).to_have_text("[6]")
    reference = page.locator("#ref-radford2021learning")
    expect(reference).not_to_be_in_viewport()

    citation.get_by_role("link").click()

    expect(page).to_have_url(re.compile(r"#ref-radford2021learning$"))
    expect(reference).to_be_in_viewport()
    expect(page.locator("li:target")).to_have_id("ref-radford2021learning")
    expect(reference).to_contain_text(
        "Learning Transferable Visual Models From Natural Language Supervision"
    )
    # The targeted reference is highlighted, so the eye finds it.
    expect(reference).to_have_css("outline-style", "solid")
    expect(reference.get_by_role("link", name="About this source")).to_have_attribute(
        "href", "/sources/radford2021learning/"
    )

    reference.get_by_role("link", name="Back to where it is cited").click()

    expect(page).to_have_url(re.compile(r"#cite-radford2021learning-1$"))
    expect(citation).to_be_in_viewport()
    expect(page.locator("sup:target")).to_have_id("cite-radford2021learning-1")
    expect(reference).not_to_be_in_viewport()
    assert console_errors == []


def test_tab_reaches_the_skip_link_first_and_focus_is_visible(
    page, console_errors, screenshot
):
    page.goto("/people/alec-radford/")
    skip = page.get_by_role("link", name="Skip to content")

    page.keyboard.press("Tab")

    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    expect(skip).to_have_css("outline-style", "solid")
    screenshot("skip-link")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#content$"))
    page.keyboard.press("Tab")

    # Focus continues inside the main content, on the breadcrumbs, past the header.
    home = page.get_by_role("navigation", name="Breadcrumbs").get_by_role(
        "link", name="Home"
    )
    expect(home).to_be_focused()
    expect(home).to_have_css("outline-style", "solid")
    assert console_errors == []

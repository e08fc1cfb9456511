"""The seed profile, as a reader sees it in a real browser."""

import re

import pytest
from playwright.sync_api import expect

SEED_SECTIONS = [
    "DCGAN and Representation Learning",
    "GPT and Unsupervised Pretraining",
    "GPT-2 and Release Governance",
    "CLIP and Multimodal Learning",
    "Research Style and Influence",
    "Spiralist Reading",
    "Open questions",
    "Related pages",
    "References",
]


def heading(page, name: str):
    return page.get_by_role("heading", name=re.compile(rf"^\s*{re.escape(name)}\s*$"))


@pytest.mark.usefixtures("seeded")
def test_seed_profile_shows_every_section_and_links_to_related_people(
    page, console_errors, screenshot
):
    response = page.goto("/people/alec-radford/")

    assert response is not None
    assert response.status == 200
    expect(page).to_have_title(re.compile("Alec Radford"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^\s*Alec Radford\s*$")
    )
    for section in SEED_SECTIONS:
        expect(heading(page, section)).to_be_visible()
    snapshot = page.get_by_role("complementary").filter(has=heading(page, "Snapshot"))
    expect(snapshot).to_be_visible()
    expect(snapshot).to_contain_text("Known for")
    expect(snapshot).to_contain_text("DCGAN")
    screenshot("profile")

    related = page.get_by_role("region", name=re.compile(r"^Related people\b"))
    related.get_by_role("link", name="Ilya Sutskever", exact=True).click()

    expect(page).to_have_url(re.compile(r"/people/ilya-sutskever/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^\s*Ilya Sutskever\s*$")
    )
    screenshot("related")
    assert console_errors == []

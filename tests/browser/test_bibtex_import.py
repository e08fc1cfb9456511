"""A moderator imports a pasted bibliography with the keyboard alone: the
preview first, then the import, then the new source with its downloads."""

import pytest
from playwright.sync_api import expect

from sources.models import Source
from tests.browser.conftest import save_screenshot
from tests.browser.test_accessibility import axe
from tests.browser.test_contributing import demo_accounts

pytestmark = pytest.mark.usefixtures("seeded")
__all__ = ["demo_accounts"]  # a fixture, used by name

WIDTHS = {"phone": 390, "desktop": 1280}
BIBLIOGRAPHY = """@article{vaswani2017attention,
  author = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki and others},
  title = {Attention Is All You Need},
  booktitle = {Advances in Neural Information Processing Systems},
  year = 2017,
  eprint = {1706.03762},
  archivePrefix = {arXiv}
}
@misc{radford2019language,
  title = {Language Models are Unsupervised Multitask Learners}
}
@misc{brown2020language,
  author = {Brown, Tom B. and Mann, Benjamin and others},
  title = {Language Models are Few-Shot Learners},
  year = 2020,
  doi = {10.48550/arXiv.2005.14165}
}
"""


def tab_to(page, target, limit: int = 80) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user does."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def shoot(page, name: str) -> None:
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        save_screenshot(page, f"bibtex-import-{name}-{label}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_moderator_previews_then_imports_a_pasted_bibliography_by_keyboard(
    page, demo_accounts, console_errors
):
    page.goto("/accounts/login/")
    form = page.locator("#login-form")
    tab_to(page, form.get_by_label("Username"))
    page.keyboard.type("moderator")
    page.keyboard.press("Tab")
    page.keyboard.type("lineage-moderator")
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("moderator")

    page.goto("/sources/")
    tab_to(page, page.get_by_role("link", name="Import BibTeX"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Import sources from BibTeX"
    )
    tab_to(page, page.get_by_label("BibTeX"))
    page.keyboard.type(BIBLIOGRAPHY)
    tab_to(page, page.get_by_role("button", name="Preview"))
    page.keyboard.press("Enter")

    rows = page.locator(".import-rows > li")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Will be created")
    expect(rows.nth(0)).to_contain_text("Ashish Vaswani, Noam Shazeer, Niki Parmar")
    expect(rows.nth(0)).to_contain_text("1706.03762")
    expect(rows.nth(1)).to_contain_text("Matches an existing source")
    expect(rows.nth(1).get_by_role("link")).to_have_attribute(
        "href", "/sources/radford2019language/"
    )
    expect(rows.nth(2)).to_contain_text("10.48550/arXiv.2005.14165")
    assert Source.objects.filter(key="vaswani2017attention").exists() is False
    assert axe.run(page).response["violations"] == []
    shoot(page, "preview")

    tab_to(page, page.get_by_label("Edit summary"))
    page.keyboard.type("Two papers the profile should cite")
    tab_to(page, page.get_by_role("button", name="Import 2 sources"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text(
        "Imported 2 sources as one revision."
    )
    shoot(page, "imported")

    page.goto("/sources/vaswani2017attention/")
    expect(page.locator(".reference")).to_contain_text(
        "Vaswani, A., Shazeer, N., Parmar, N., et al. (2017). "
        "Attention Is All You Need."
    )
    expect(
        page.locator(".reference").get_by_role(
            "link", name="https://arxiv.org/abs/1706.03762"
        )
    ).to_be_visible()
    expect(page.get_by_role("link", name="BibTeX")).to_have_attribute(
        "href", "/sources/vaswani2017attention/cite.bib"
    )
    shoot(page, "source")

    page.goto("/people/alec-radford/")
    references = page.locator("section.references")
    expect(references.get_by_role("link", name="BibTeX")).to_have_attribute(
        "href", "/people/alec-radford/references.bib"
    )
    expect(references.get_by_role("link", name="CSL-JSON")).to_have_attribute(
        "href", "/people/alec-radford/references.json"
    )
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        references.screenshot(
            path=str(save_screenshot(page, f"bibtex-import-references-{label}"))
        )
    assert console_errors == []

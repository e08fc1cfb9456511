"""axe-core finds nothing to fix on the main page types, in light and dark mode.

axe runs with its default rule set (WCAG 2.x A and AA plus best practices such as
landmarks and heading order).  The script ships with ``axe-playwright-python``;
nothing is fetched from the network.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

PAGES = {  # name: (url, status)
    "home": ("/", 200),
    "profile": ("/people/alec-radford/", 200),
    "index": ("/people/", 200),
    "work": ("/works/clip/", 200),
    "source": ("/sources/radford2021learning/", 200),
    # Cheap to check too: the other page types a reader meets.
    "work index": ("/works/", 200),
    "source index": ("/sources/", 200),
    "theme": ("/themes/zero-shot-behavior/", 200),
    "organization": ("/organizations/openai/", 200),
    "wanted": ("/wanted/", 200),
    "search results": ("/search/?q=radford", 200),
    "not found": ("/people/alec-radfrod/", 404),
}

axe = Axe()
SHOWN = 5  # elements shown per violation


def report(name: str, url: str, violations: list[dict]) -> str:
    lines = [f"{name} ({url}):"]
    for violation in violations:
        lines.append(
            f"  {violation['id']} ({violation['impact']}): {violation['help']}"
            f"\n    {violation['helpUrl']}"
        )
        nodes = violation["nodes"]
        for node in nodes[:SHOWN]:
            lines.append(f"    - {' '.join(map(str, node['target']))}")
            lines.append(f"      {node['html'][:160]}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"      {line}" for line in summary.splitlines()[1:])
        if len(nodes) > SHOWN:
            lines.append(f"    … and {len(nodes) - SHOWN} more")
    return "\n".join(lines)


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_reports_no_violations(page, console_errors, scheme):
    page.emulate_media(color_scheme=scheme)
    failures = []
    for name, (url, status) in PAGES.items():
        response = page.goto(url)
        assert response is not None and response.status == status, url
        violations = axe.run(page).response["violations"]
        if violations:
            failures.append(report(name, url, violations))
    assert not failures, f"axe violations ({scheme}):\n" + "\n".join(failures)
    # Chromium logs the not-found page's own 404 status as a console error.
    assert [e for e in console_errors if "status of 404" not in e] == []


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_reports_no_violations_with_suggestions_open(page, console_errors, scheme):
    """The header's combobox with its listbox showing and an option active."""
    page.emulate_media(color_scheme=scheme)
    page.goto("/")
    page.locator("#site-search-q").click()
    page.keyboard.type("radf")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(listbox.get_by_role("option").first).to_have_attribute(
        "aria-selected", "true"
    )
    violations = axe.run(page).response["violations"]
    assert not violations, report("suggestions open", page.url, violations)
    assert console_errors == []

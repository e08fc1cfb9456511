"""Every page type at phone and desktop widths, in dark mode and in print.

Screenshots land in test-artifacts/ (git-ignored) for a person to look at; the
assertions are what a reader would notice: nothing runs off the side of a phone,
dark mode is dark, print drops the site chrome.
"""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from wiki.models import Theme
from wiki.services import page_publish

pytestmark = pytest.mark.usefixtures("seeded")

PAGE_TYPES = {  # name: (url, status)
    "home": ("/", 200),
    "profile": ("/people/alec-radford/", 200),
    "people": ("/people/", 200),
    "work": ("/works/clip/", 200),
    "theme": ("/themes/zero-shot-behavior/", 200),
    "organization": ("/organizations/openai/", 200),
    "source": ("/sources/radford2021learning/", 200),
    "wanted": ("/wanted/", 200),
    "history": ("/people/alec-radford/history/", 200),
    "changes": ("/changes/", 200),
    "not-found": ("/people/alec-radfrod/", 404),
    "long-title": ("/themes/long-title/", 200),
}
VIEWPORTS = {"phone": (360, 740), "desktop": (1280, 800)}

LONG_TITLE = (
    "Supercalifragilisticexpialidociousnessdeterminationalisationism and a very "
    "long theme title that keeps going well past one line"
)
LONG_BODY = """\
A stub that stresses the layout: [[Backpropagation]], [[Noise-contrastive estimation]]
and [[Backpropagation|backprop]] have no page yet.

See https://example.org/a/very/long/path/without/any/break/points/at/all/index.html
and `a_very_long_inline_code_identifier_that_does_not_wrap_anywhere_at_all()`.

| Year | Paper | Venue |
| --- | --- | --- |
| 2021 | Learning Transferable Visual Models From Natural Language Supervision | arXiv |
"""

# Elements wider than the viewport that make the page scroll sideways (content in
# its own scrolling box, such as a wide table, is fine).
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll('*')]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && !scrolls(el))
    .slice(0, 8)
    .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
         + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
}"""


def publish_stress_page():
    """A theme with a very long title, red links, a long URL and a table."""
    user = get_user_model().objects.create_user("screenshots")
    theme = Theme(title=LONG_TITLE, slug="long-title", body=LONG_BODY)
    page_publish(page=theme, user=user, summary="layout stress")


@pytest.mark.parametrize("device", VIEWPORTS)
def test_every_page_type_fits_the_screen(page, screenshot, console_errors, device):
    publish_stress_page()
    width, height = VIEWPORTS[device]
    page.set_viewport_size({"width": width, "height": height})
    overflowing = {}
    for name, (url, status) in PAGE_TYPES.items():
        response = page.goto(url)
        assert response is not None and response.status == status, url
        screenshot(name)
        if wide := page.evaluate(OVERFLOW_JS):
            overflowing[name] = wide
    assert overflowing == {}, f"sideways scrolling at {width}px: {overflowing}"
    assert [e for e in console_errors if "status of 404" not in e] == []


@pytest.mark.parametrize("device", VIEWPORTS)
def test_dark_mode_is_dark(page, screenshot, device):
    width, height = VIEWPORTS[device]
    page.set_viewport_size({"width": width, "height": height})
    page.emulate_media(color_scheme="dark")
    for name in ("home", "profile", "work"):
        page.goto(PAGE_TYPES[name][0])
        expect(page.locator("body")).to_have_css("background-color", "rgb(21, 22, 23)")
        screenshot(name)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_print_is_black_on_white_without_the_site_chrome(page, screenshot, scheme):
    page.set_viewport_size({"width": 800, "height": 1100})
    page.goto("/people/alec-radford/")
    page.emulate_media(media="print", color_scheme=scheme)
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Contents")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#ref-radford2021learning")).to_be_visible()
    # Paper is white whatever the screen's colour scheme: no dark panels.
    expect(page.locator("body")).to_have_css("background-color", "rgb(255, 255, 255)")
    snapshot = page.get_by_role("complementary")
    expect(snapshot).to_have_css("color", "rgb(0, 0, 0)")
    expect(snapshot).to_have_css("background-color", "rgb(255, 255, 255)")
    screenshot("profile")

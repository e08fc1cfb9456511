"""Link previews in Chromium (static/js/previews.js): a reader hovers a link or
tabs to it and sees where it leads without leaving the page."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("seeded")

PROFILE = "/people/alec-radford/"
GPT2_LEDE = "The 2019 GPT-2 paper: a larger language model"
CITATION = ".article .body sup.cite > a"


def card(page):
    return page.get_by_role("tooltip")


def boxes_overlap(a, b) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def tab_to(page, selector: str, presses: int = 120):
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        index = page.evaluate(
            "s => [...document.querySelectorAll(s)].indexOf(document.activeElement)",
            selector,
        )
        if index >= 0:
            return page.locator(selector).nth(index)
    raise AssertionError(f"Tab never reached {selector}")


def test_hovering_a_wikilink_shows_the_pages_lede_beside_it(page, console_errors):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(PROFILE)
    link = page.locator('.article .body a.wikilink[href="/works/gpt-2/"]').first
    link.hover()
    expect(card(page)).to_be_visible()
    expect(card(page)).to_contain_text("Language Models are Unsupervised")
    expect(card(page)).to_contain_text("work · Paper · OpenAI · 2019")
    expect(card(page)).to_contain_text(GPT2_LEDE)
    expect(link).to_have_attribute("aria-describedby", "link-preview")
    assert not boxes_overlap(card(page).bounding_box(), link.bounding_box())
    page.screenshot(path="test-artifacts/previews-1280.png")

    page.mouse.move(5, 5)  # away from the link and the card
    expect(card(page)).to_be_hidden()
    expect(link).not_to_have_attribute("aria-describedby", "link-preview")
    assert console_errors == []


def test_tabbing_to_a_citation_shows_its_full_reference_and_escape_closes_it(
    page, console_errors
):
    page.goto(PROFILE)
    marker = tab_to(page, CITATION)
    expect(marker).not_to_have_attribute("title", "")  # the native title is gone
    assert marker.get_attribute("title") is None
    reference_id = marker.get_attribute("href")[1:]
    reference = page.locator(f'[id="{reference_id}"] .reference')
    expect(card(page)).to_be_visible()
    expect(card(page)).to_contain_text(reference.inner_text())
    expect(card(page)).to_contain_text("Reference " + marker.inner_text())
    expect(marker).to_have_attribute("aria-describedby", "link-preview")

    page.keyboard.press("Escape")
    expect(card(page)).to_be_hidden()
    expect(marker).to_be_focused()  # focus never moved
    page.keyboard.press("Tab")  # on to the next link: its own card, or none
    expect(marker).not_to_have_attribute("aria-describedby", "link-preview")
    assert console_errors == []


def test_related_pages_preview_on_keyboard_focus_too(page, console_errors):
    page.goto(PROFILE)
    link = tab_to(page, ".article .navigation .nav-list a")
    expect(link).to_have_text("Ilya Sutskever")  # the first related person
    expect(card(page).locator(".preview-title")).to_have_text("Ilya Sutskever")
    expect(card(page).locator(".preview-kind")).to_have_text("person")
    expect(card(page).locator(".preview-lede")).to_have_text(
        "Co-author of OpenAI's 2018 GPT paper, Improving Language Understanding "
        "by Generative Pre-Training."
    )
    assert console_errors == []


def test_with_reduced_motion_the_card_appears_without_a_transition(
    page, console_errors
):
    page.goto(PROFILE)
    page.locator(CITATION).first.hover()
    expect(card(page)).to_be_visible()
    assert card(page).evaluate("e => getComputedStyle(e).transitionDuration") == "0.15s"

    page.emulate_media(reduced_motion="reduce")
    page.goto(PROFILE)
    page.locator(CITATION).first.hover()
    expect(card(page)).to_be_visible()
    assert card(page).evaluate("e => getComputedStyle(e).transitionDuration") == "0s"
    assert console_errors == []


def test_on_a_phone_the_card_stays_on_screen(page, console_errors):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(PROFILE)
    link = page.locator('.article .body a.wikilink[href="/works/clip/"]').first
    link.scroll_into_view_if_needed()
    link.hover()
    expect(card(page)).to_contain_text("CLIP")
    box = card(page).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert not boxes_overlap(box, link.bounding_box())
    page.screenshot(path="test-artifacts/previews-390.png")
    assert console_errors == []


def test_a_tap_on_a_touch_screen_just_follows_the_link(
    chromium, live_server, console_errors
):
    context = chromium.new_context(
        base_url=live_server.url,
        has_touch=True,
        is_mobile=True,
        viewport={"width": 390, "height": 800},
    )
    page = context.new_page()
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/preview/" in r.url else None)
    page.goto(PROFILE)
    link = page.locator('.article .body a.wikilink[href="/works/gpt-2/"]').first
    link.scroll_into_view_if_needed()
    link.tap()
    expect(page).to_have_url(f"{live_server.url}/works/gpt-2/")
    assert asked == []
    context.close()


def settled(page):
    """Wait for the open card to finish fading in: axe measures contrast
    with the opacity the card has at that moment."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.preview-card.is-open')]"
        ".some(e => getComputedStyle(e).opacity === '1')"
    )


def test_axe_finds_nothing_with_a_card_open(page, console_errors):
    page.goto(PROFILE)
    tab_to(page, ".article .body a.wikilink")
    expect(card(page)).to_be_visible()
    settled(page)
    violations = Axe().run(page).response["violations"]
    assert violations == [], [v["id"] for v in violations]
    page.keyboard.press("Escape")
    page.locator(CITATION).first.hover()
    expect(card(page)).to_contain_text("Reference")
    settled(page)
    violations = Axe().run(page).response["violations"]
    assert violations == [], [v["id"] for v in violations]
    assert console_errors == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_career_timeline_reads_as_a_list_of_years(page, console_errors, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(PROFILE)
    page.get_by_role("navigation", name="Contents").get_by_role(
        "link", name="Career timeline"
    ).click()
    timeline = page.get_by_role("region", name="Career timeline")
    expect(timeline).to_be_in_viewport()
    entries = timeline.get_by_role("listitem")
    expect(entries).to_have_count(6)
    expect(entries.first).to_have_text("2015 DCGAN work")
    box = timeline.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    timeline.screenshot(path=f"test-artifacts/timeline-{width}.png")
    assert console_errors == []


def test_a_click_opens_no_card_even_where_the_pointer_stays(page, console_errors):
    page.goto(PROFILE)
    link = page.locator('.article .body a.wikilink[href="/works/gpt-2/"]').first
    with page.context.expect_page() as opened:
        link.click(modifiers=["Control"])  # a new tab: this page stays as it was
    opened.value.close()
    page.wait_for_timeout(800)  # past the hover delay
    expect(card(page)).to_be_hidden()
    assert console_errors == []

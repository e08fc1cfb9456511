"""A reader sees the network of the seed profile drawn, opens a page from it
with a click, and a keyboard reader gets the same pages as a list."""

import pytest
from axe_playwright_python.sync_playwright import Axe

ALEC = "/people/alec-radford/"

# Every CSP violation the page meets, whether or not the console reports it.
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.textContent.trim()")


def tab_to(page, text: str, limit: int = 300) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == text:
            return
    raise AssertionError(f"{text!r} not reached in {limit} presses of Tab")


def drawn_graph(page):
    view = page.locator(".graph-view")
    view.scroll_into_view_if_needed()
    page.wait_for_selector(".graph-view[data-drawn-nodes]")
    # Cytoscape keeps the canvas's place on screen, measured when it drew,
    # until a scroll event says otherwise; that event comes with the next
    # frame, so a click before it lands where the canvas was.
    page.evaluate(
        """() => new Promise(
          (done) => requestAnimationFrame(() => requestAnimationFrame(done)))"""
    )
    return view


# A point of a node's dot, or of its label clear of the dot, that Cytoscape's
# own hit test gives to the node, in the viewport's coordinates (or null).
# The layout is not seeded, so another node's dot or label (labels take
# clicks too) may lie over part of this one: a click there opens that page.
POINT_ON_NODE = """([title, part]) => {
  const view = document.querySelector(".graph-view");
  const cy = view.lineageGraph;
  const node = cy.nodes().filter((n) => n.data("label") === title)[0];
  const dot = node.renderedBoundingBox({includeLabels: false});
  const area = part === "dot" ? dot : node.renderedBoundingBox({includeNodes: false});
  const box = view.querySelector(".graph-canvas").getBoundingClientRect();
  const pan = cy.pan(), zoom = cy.zoom();
  const cx = (dot.x1 + dot.x2) / 2, cy_ = (dot.y1 + dot.y2) / 2;
  const points = [];
  for (let y = area.y1 + 1; y < area.y2 - 1; y += 2) {
    for (let x = area.x1 + 1; x < area.x2 - 1; x += 2) {
      const onDot = x > dot.x1 - 2 && x < dot.x2 + 2
        && y > dot.y1 - 2 && y < dot.y2 + 2;
      if (part === "label" && onDot) continue;
      points.push([x, y]);
    }
  }
  // Nearest the dot's centre first, for the dot; for the label, its far end.
  const far = (p) => Math.hypot(p[0] - cx, p[1] - cy_);
  points.sort((a, b) => part === "dot" ? far(a) - far(b) : far(b) - far(a));
  for (const [x, y] of points) {
    const hit = cy.renderer().findNearestElement(
      (x - pan.x) / zoom, (y - pan.y) / zoom, true, false);
    if (hit && hit.same(node)) return {x: box.left + x, y: box.top + y};
  }
  return null;
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_seed_profile_draws_its_network_and_a_click_opens_a_page(
    page, console_errors, seeded, screenshot, width
):
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(ALEC)
    view = drawn_graph(page)
    data = page.evaluate(f"() => fetch('{ALEC}graph.json').then(r => r.json())")
    assert int(view.get_attribute("data-drawn-nodes")) == len(data["nodes"]) == 32
    assert view.locator(".graph-canvas canvas").count() >= 1
    assert view.locator(".graph-legend li").all_inner_texts() == [
        "Themes",
        "People",
        "Organizations",
        "Works",
    ]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert Axe().run(page).response["violations"] == []
    screenshot(f"{width}")

    point = page.evaluate(POINT_ON_NODE, ["OpenAI", "dot"])
    assert point is not None, "OpenAI's dot lies under other nodes"
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    assert page.url.endswith("/organizations/openai/")
    assert page.evaluate("() => window.cspViolations") == []
    drawn_graph(page)  # the organization's own network
    assert page.evaluate("() => window.cspViolations") == []
    assert console_errors == []


@pytest.mark.parametrize("width", [390, 1280])
def test_a_keyboard_reader_gets_the_network_as_a_list(
    page, console_errors, seeded, screenshot, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(ALEC)
    tab_to(page, "Pages one and two steps from Alec Radford, as a list")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"{ALEC}network/")
    assert page.title() == "Network · Alec Radford · Lineage"
    drawn_graph(page)
    groups = page.locator("section.network-step").first.locator("h3")
    assert groups.all_inner_texts() == [
        "People (9)",
        "Organizations (1)",
        "Works (5)",
        "Themes (16)",
    ]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert Axe().run(page).response["violations"] == []
    screenshot(f"{width}")
    page.evaluate("() => window.scrollTo(0, 0)")
    # The drawing takes no focus: the list comes next.
    tab_to(page, "Tim Salimans")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/people/tim-salimans/")
    assert console_errors == []


def test_the_wheel_scrolls_past_the_drawing_and_zooms_it_with_ctrl(
    page, console_errors, seeded
):
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(ALEC)
    view = drawn_graph(page)
    zoom = "() => document.querySelector('.graph-view').lineageGraph.zoom()"
    before = page.evaluate(zoom)
    box = view.locator(".graph-canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    scrolled = page.evaluate("() => window.scrollY")
    page.mouse.wheel(0, 300)
    page.wait_for_function(f"() => window.scrollY > {scrolled}")
    assert page.evaluate(zoom) == before
    page.wait_for_timeout(400)  # Cytoscape leaves the wheel alone 250 ms after a scroll
    box = view.locator(".graph-canvas").bounding_box()  # moved up with the page
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    page.wait_for_function(f"() => ({zoom[6:]}) > {before}")
    assert console_errors == []


def test_a_click_on_a_label_opens_its_page(page, console_errors, seeded):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(ALEC)
    drawn_graph(page)
    # Labels take clicks only with text-events on: without it no point of the
    # label clear of the dot is the node's.
    point = page.evaluate(POINT_ON_NODE, ["OpenAI", "label"])
    assert point is not None, "no point of the label, clear of the dot, takes a click"
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    assert page.url.endswith("/organizations/openai/")
    assert console_errors == []

"""Properties of the renderer and its parsers, for any text (hypothesis).

Whatever an author types, ``render()`` returns, and what it returns holds only
the tags and attributes the sanitiser allows, with no script, event handler or
``javascript:`` link; the wikilink and citation parsers never raise.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings as site_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sources.citations import CITATION, parse_items
from wiki.html_balance import balance
from wiki.links import WIKILINK, normalize_title
from wiki.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render, sanitize

BOUNDED = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

MARKDOWNISH = [
    "[", "]", "[[", "]]", "|", "@", "[@", "*", "**", "_", "`", "```", "-", "- ",
    ">", "> ", " ", "  ", "    ", "\n", "\n\n", "<", ">", '"', "'", "(", ")", "!",
    "#", "1. ", "=", "---", "\\", "&", ";", ":", "a", "b", "Alec Radford", "key1",
    ", p. 5", "https://example.org", "x.png",
]  # fmt: skip
HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:",
    "<a href='javascript:alert(1)'>", "[x](javascript:alert(1))", "<div>", "</div>",
    "<b>", "</b>", "<!--", "-->", "<p", "onclick=", '" onmouseover="x',
    "<svg onload=alert(1)>", "<iframe src=//e.org>", "<style>", "data:text/html,",
    "<table><tr><td>", "<a href=//e.org>", "<span class='wikilink-missing x'>",
]  # fmt: skip


def tokens(alphabet: list[str], max_size: int = 80):
    return st.lists(st.sampled_from(alphabet), max_size=max_size).map("".join)


ANY_TEXT = st.one_of(
    st.text(max_size=300),
    tokens(MARKDOWNISH),
    tokens(MARKDOWNISH + HOSTILE),
)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))


def assert_sanitised(html: str) -> None:
    assert "<script" not in html.lower()
    parser = _Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.elements:
        assert tag in ALLOWED_TAGS, tag
        allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            assert not name.startswith("on"), name
            assert name in allowed or (tag == "a" and name == "rel"), (tag, name)
            if name in ("href", "src"):
                scheme = re.match(r"\s*([a-zA-Z][\w+.-]*):", value or "")
                assert scheme is None or scheme.group(1).lower() in (
                    "http",
                    "https",
                    "mailto",
                ), value


@pytest.mark.django_db
@BOUNDED
@given(text=ANY_TEXT)
def test_any_text_renders_to_sanitised_html(text):
    rendered = render(text)
    assert_sanitised(rendered.html)
    assert_sanitised(rendered.toc_html)


@pytest.mark.django_db
@BOUNDED
@given(texts=st.lists(tokens(MARKDOWNISH + HOSTILE, 40), min_size=2, max_size=4))
def test_several_texts_render_together_to_sanitised_html(texts):
    rendered = render(*texts)
    assert len(rendered.more_html) == len(texts) - 1
    for html in [rendered.html, *rendered.more_html]:
        assert_sanitised(html)


@BOUNDED
@given(html=tokens(HOSTILE + MARKDOWNISH + ["<ul><li>", "</li>", "<em>", "</em>"]))
def test_any_html_is_sanitised(html):
    assert_sanitised(sanitize(html))


def _nesting(html: str) -> int:
    depth = deepest = 0
    for match in re.finditer(r"<(/?)([a-z0-9]+)[^>]*>", html):
        if match.group(2) in ("br", "img", "hr"):
            continue
        depth += -1 if match.group(1) else 1
        assert depth >= 0, html
        deepest = max(deepest, depth)
    assert depth == 0, html
    return deepest


@BOUNDED
@given(html=tokens(HOSTILE + ["<ul>", "<li>", "</ul>", "<td>", "<tr>", "<p>", "x"]))
def test_balanced_html_is_well_nested_and_no_deeper_than_asked(html):
    assert _nesting(balance(html, tags=ALLOWED_TAGS, max_depth=5)) <= 5


@pytest.mark.django_db
@BOUNDED
@given(text=tokens(["[[", "]]", "|", "[", "]", "a", "B c", " ", "\n", "*", "`"]))
def test_wikilinks_in_any_text_link_inside_the_site_or_stay_text(text):
    rendered = render(text)
    assert_sanitised(rendered.html)
    for href in re.findall(r'class="wikilink[^"]*" href="([^"]*)"', rendered.html):
        assert href.startswith("/"), href
    for title in rendered.data.get("wikilink", {}).get("titles", []):
        assert title == " ".join(title.split()) and 0 < len(title) <= 255
        assert normalize_title(title) == normalize_title(title.upper())


@BOUNDED
@given(text=st.text(max_size=400))
def test_the_wikilink_pattern_matches_bounded_titles(text):
    for match in re.finditer(WIKILINK, text):
        assert 1 <= len(match.group(1)) <= 255
        assert len(match.group(0)) <= 4 + 255 + 1 + 255


@pytest.mark.django_db
@BOUNDED
@given(text=tokens(["[@", "[", "]", "@", ";", ",", " p. 5", "key", "x_y", " ", "*"]))
def test_citations_in_any_text_render_to_sanitised_html(text):
    rendered = render(text)
    assert_sanitised(rendered.html)
    for key in rendered.data.get("citation", {}).get("unknown", []):
        assert re.fullmatch(r"[A-Za-z][\w:.-]{0,99}", key), key


@BOUNDED
@given(
    inner=st.one_of(st.text(max_size=300), tokens(["@", "a", ";", ",", " ", "p. 5"]))
)
def test_the_citation_parser_returns_well_formed_items_or_none(inner):
    items = parse_items(inner)
    if items is not None:
        assert items
        for key, locator in items:
            assert re.fullmatch(r"[A-Za-z][\w:.-]{0,99}", key), key
            assert locator == " ".join(locator.split()) and len(locator) <= 100


@BOUNDED
@given(text=st.text(max_size=400))
def test_the_citation_pattern_matches_bounded_groups(text):
    for match in re.finditer(CITATION, text):
        assert len(match.group(1)) <= 301


NESTING_UNITS = ["- ", "* ", "1. ", "> ", "> - ", "- > ", "*a ", "<div>", "<ul><li>"]


@pytest.mark.django_db
@settings(BOUNDED, max_examples=40)
@given(
    unit=st.sampled_from(NESTING_UNITS),
    depth=st.integers(min_value=1, max_value=1500),
    tail=st.sampled_from(["x", "", "b*" * 50, "\n\n    - y"]),
)
def test_nesting_of_any_depth_renders_without_recursion_error(unit, depth, tail):
    rendered = render(unit * depth + tail)
    assert_sanitised(rendered.html)
    assert (
        _nesting(rendered.html) <= 4 * site_settings.LINEAGE_MARKDOWN_MAX_NESTING + 32
    )

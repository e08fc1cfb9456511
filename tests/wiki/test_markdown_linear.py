"""The linear-time Markdown machinery renders what Python-Markdown renders.

``wiki/markdown_linear.py`` and ``wiki/markdown_blocks.py`` replace parts of
Python-Markdown, and ``wiki/html_balance.py`` rewrites HTML before nh3; these
tests compare them with the originals on generated input (hypothesis) and pin
the cases where they differ on purpose.
"""

import markdown
import nh3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.htmlparser import HTMLExtractor
from markdown.inlinepatterns import DelimiterProcessor

from wiki.html_balance import balance
from wiki.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from wiki.markdown_linear import LinearExtension

EXTENSIONS = ["tables", "fenced_code", "sane_lists", "smarty", "toc"]
BOUNDED = settings(max_examples=300, deadline=None, database=None)

INLINE = [
    "a", "b", " ", "\n", "*", "**", "***", "_", "__", "`", "``", "\\", "[", "]",
    "(", ")", "!", "<", ">", '"', "'", "-", "--", ".", "...", "&", "amp;", "#",
    "|", ":", "@", "[[", "]]", "[@", "http://x", "<b>", "</b>", "b_c", "(<u>)",
]  # fmt: skip
BLOCKS = [
    "# a", "## b", "a", "b", "---", "===", "***", "- ", "* ", "1. ", "> ", "    ",
    "  ", "\n", "\n", "\n\n", "[x]: /u", "[x]", "| a | b |", "|---|---|", "| c |",
    "```", "~~~", "<div>", "</div>", "*x*", "`y`", "e\n==",
]  # fmt: skip


class UpstreamLostItsPlace(Exception):
    """Python-Markdown 3.11 re-computed a cached emphasis match's offset wrongly."""


def python_markdown(text: str) -> str:
    """Stock Python-Markdown; raises UpstreamLostItsPlace where it goes wrong."""
    handle = DelimiterProcessor.handleMatch
    cached = DelimiterProcessor.get_cached_result
    close = HTMLExtractor.close

    def watched_handle(self, m, data):
        had = bool(self.regions)
        result = handle(self, m, data)
        if not had and self.regions:
            self.batch = data
        return result

    def watched_cached(self, pos, data):
        old = self.regions[self.cache_index][0]
        shift = len(data) - len(self.batch)
        offset = pos - self.cache_pos if pos != self.cache_pos else pos - old
        if offset != shift or data[old + shift :] != self.batch[old:]:
            raise UpstreamLostItsPlace
        return cached(self, pos, data)

    def watched_close(self):
        if self.rawdata.strip("<&"):
            raise UpstreamLostItsPlace
        return close(self)

    DelimiterProcessor.handleMatch = watched_handle
    DelimiterProcessor.get_cached_result = watched_cached
    HTMLExtractor.close = watched_close
    try:
        return markdown.markdown(text, extensions=EXTENSIONS)
    finally:
        DelimiterProcessor.handleMatch = handle
        DelimiterProcessor.get_cached_result = cached
        HTMLExtractor.close = close


def linear_markdown(text: str) -> str:
    return markdown.markdown(text, extensions=[*EXTENSIONS, LinearExtension()])


def same_as_python_markdown(text: str) -> None:
    try:
        expected = python_markdown(text)
    except UpstreamLostItsPlace:
        return
    assert linear_markdown(text) == expected


def tokens(alphabet: list[str], max_size: int = 30):
    return st.lists(st.sampled_from(alphabet), max_size=max_size).map("".join)


@BOUNDED
@given(text=tokens(INLINE))
def test_inline_markup_renders_as_python_markdown_renders_it(text):
    same_as_python_markdown(text)


@BOUNDED
@given(text=tokens(["*", "_", "a", " ", "**", "***", "\n", "b_c", "`"]))
def test_emphasis_renders_as_python_markdown_renders_it(text):
    same_as_python_markdown(text)


@BOUNDED
@given(text=tokens(["[", "]", "(", ")", '"', "'", " ", "a", "!", "<", ">", "\\"]))
def test_links_and_images_render_as_python_markdown_renders_them(text):
    same_as_python_markdown(text)


@BOUNDED
@given(
    text=st.lists(
        st.tuples(st.sampled_from(BLOCKS), st.sampled_from(["", "\n", "\n", " "])),
        max_size=20,
    ).map(lambda parts: "".join(a + b for a, b in parts))
)
def test_blocks_render_as_python_markdown_renders_them(text):
    same_as_python_markdown(text)


HTML_LINES = [
    "<div>\n", "</div>\n", "<div class='x'>\n", "text\n", "\n", "<!-- c -->\n",
    "<hr>\n", "<p>para</p>\n", "*em*\n", "<span>", "</span>", "<!-- in -->",
    "<?php x ?>\n", "<!DOCTYPE html>\n", "<![CDATA[x]]>\n", "  <div>\n", "<b>",
    "</b>", "<table>\n<tr><td>c</td></tr>\n</table>\n", "\n\n", "<a href='/x'>",
    "</a>", "<?x", "<!x>", "</x", ">", "&amp;", "&#1;",
]  # fmt: skip


@BOUNDED
@given(text=tokens(HTML_LINES, 25))
def test_raw_html_is_set_aside_as_python_markdown_sets_it_aside(text):
    same_as_python_markdown(text)


def test_a_start_tag_with_a_bare_lt_in_it_is_text():
    # Python-Markdown reads "<div <>" as a <div> with an attribute "<"; so does
    # no browser, and reading past a bare "<" made hostile text quadratic.
    assert python_markdown("<div <>") == "<div <>"
    assert linear_markdown("<div <>") == "<p>&lt;div &lt;&gt;</p>"


@pytest.mark.parametrize(
    "text",
    [
        "\\\\`code`",  # a code span right after escaped backslashes
        "a''",  # a closing quote right after another
        '[a](b"c( xyz',  # Python-Markdown's own reading of an unclosed title
        "# a\n# b\n---\nc\n===\n    code\n[r]: /x\n> q",
        "- a\nb\nc\n    - d\n    e",
    ],
)
def test_edge_cases_render_as_python_markdown_renders_them(text):
    same_as_python_markdown(text)


def test_emphasis_after_a_cached_match_keeps_the_text_after_it():
    # Python-Markdown 3.11: "<p>**x <em>a</em> snake<em>c</em>se <em>b</em></p>"
    assert (
        linear_markdown("**x *a* snake_case *b*")
        == "<p>**x <em>a</em> snake_case <em>b</em></p>"
    )


def test_lists_nested_past_the_limit_keep_their_deeper_markers_as_text():
    html = markdown.markdown(
        "- - - - x\n\n> > > y", extensions=[LinearExtension(max_nesting=2)]
    )
    assert html == (
        "<ul>\n<li>\n<ul>\n<li>- - x</li>\n</ul>\n</li>\n</ul>\n"
        "<blockquote>\n<blockquote>\n<p>&gt; y</p>\n</blockquote>\n</blockquote>"
    )


def test_elements_nested_past_the_limit_become_their_text():
    html = markdown.markdown(
        "*a " * 3 + "b" + "*" * 3, extensions=[LinearExtension(max_nesting=1)]
    )
    assert html == "<p><em>a <em>a <em>a b</em></em></em></p>"
    html = markdown.markdown(
        "*a " * 6 + "b" + "*" * 6, extensions=[LinearExtension(max_nesting=1)]
    )
    assert html == "<p><em>a <em>a <em>a a a a b</em></em></em></p>"


# The sanitiser's input, balanced -------------------------------------------


def nh3_clean(html: str) -> str:
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, strip_comments=True
    )


PHRASING = ["b", "i", "em", "strong", "span", "code", "sup", "sub", "q", "abbr", "a"]
TEXT = st.sampled_from(["a", "b c", " ", "&amp;", "x &lt; y", "\n", "it's"])


def phrasing(depth: int = 0):
    if depth > 4:
        return TEXT
    element = st.builds(
        lambda tag, content: f"<{tag}>{content}</{tag}>",
        st.sampled_from([t for t in PHRASING if t != "a" or depth == 0]),
        st.deferred(lambda: phrasing(depth + 1)),
    )
    void = st.sampled_from(["<br>", '<img src="x.png" alt="y">', "<br />"])
    return st.lists(st.one_of(TEXT, void, element), max_size=3).map("".join)


def flow(depth: int = 0):
    inline = phrasing(depth + 1)
    inner = inline if depth > 3 else st.deferred(lambda: flow(depth + 1))
    content = st.one_of(inline, inner)
    block = st.one_of(
        st.builds(lambda c: f"<p>{c}</p>", inline),
        st.builds(lambda c: f"<h2>{c}</h2>", inline),
        st.builds(lambda c: f"<pre>{c}</pre>", inline),
        st.builds(lambda c: f"<div>{c}</div>", content),
        st.builds(lambda c: f"<blockquote>{c}</blockquote>", content),
        st.builds(
            lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>",
            st.lists(content, max_size=3),
        ),
        st.builds(
            lambda pairs: (
                "<dl>"
                + "".join(f"<dt>{a}</dt><dd>{b}</dd>" for a, b in pairs)
                + "</dl>"
            ),
            st.lists(st.tuples(inline, content), max_size=2),
        ),
        st.builds(
            lambda caption, rows: (
                f"<table>{caption}<tbody>"
                + "".join(
                    "<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows
                )
                + "</tbody></table>"
            ),
            st.sampled_from(["", "<caption>c</caption>"]),
            st.lists(st.lists(content, min_size=1, max_size=2), min_size=1, max_size=2),
        ),
    )
    return st.lists(block, max_size=3).map("".join)


@BOUNDED
@given(html=flow())
def test_well_formed_html_is_sanitised_as_nh3_alone_sanitises_it(html):
    balanced = balance(html, tags=ALLOWED_TAGS, max_depth=100)
    assert nh3_clean(balanced) == nh3_clean(html)


@pytest.mark.parametrize(
    ("html", "balanced"),
    [
        ("<p>a<div>b</div>", "<p>a</p><div>b</div>"),
        ("<li>a<li>b", "<li>a</li><li>b</li>"),
        ("<table><td>x</table>", "<table><tbody><tr><td>x</td></tr></tbody></table>"),
        ("</p>", "<p></p>"),
        ("a</br>b", "a<br>b"),
        ("<b title=1><p>x</p>", '<b title="1"><p>x</p></b>'),
        ("<script>x</script><textarea><b></textarea>", "&lt;b&gt;"),
        ("<!-- c -->x<?pi?><!DOCTYPE html>", "x"),
    ],
)
def test_html_is_balanced_as_a_browser_would_close_it(html, balanced):
    assert balance(html, tags=ALLOWED_TAGS, max_depth=10) == balanced


def test_html_nested_past_the_depth_keeps_the_text_of_the_deeper_tags():
    html = "<div>" * 5 + "x" + "</div>" * 5
    assert balance(html, tags=ALLOWED_TAGS, max_depth=3) == (
        "<div>" * 3 + "x" + "</div>" * 3
    )

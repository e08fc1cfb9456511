"""The scanner of the output-safety test finds what it must (it can fail)."""

import markdown
import pytest

from tests.security.checker import unsafe_feed, unsafe_json, unsafe_markup
from tests.security.payloads import PAYLOADS

UNSAFE = [
    "<script>alert(1)</script>",
    '<script src="https://evil.example/x.js"></script>',
    '<script type="application/ld+json">{"a": "</script>"}</script>',
    '<script type="application/ld+json">{not json}</script>',
    "<img src=x onerror=alert(1)>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" &#14; javascript:alert(1)">x</a>',
    '<a href="data:text/html,x">x</a>',
    '<form action="vbscript:x"></form>',
    '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    '<iframe src="/x"></iframe>',
    '<object data="/x"></object>',
    '<embed src="/x">',
    '<base href="/x">',
    '<meta http-equiv="Refresh" content="0;url=/">',
    "<style>body{}</style>",
    '<div style="width:expression(alert(1))">x</div>',
    '<iframe srcdoc="x"></iframe>',
]
SAFE = [
    '<script src="/static/js/site.js" defer></script>',
    '<script type="application/ld+json">{"name": "\\u003c/script\\u003e"}</script>',
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    '<a href="https://example.org/?q=javascript:alert(1)">x</a>',
    '<img src="data:image/png;base64,AAAA" alt="">',
    '<input value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">',
]


@pytest.mark.parametrize("html", UNSAFE)
def test_the_scanner_finds_executable_markup(html):
    assert unsafe_markup(html) != []


@pytest.mark.parametrize("html", SAFE)
def test_the_scanner_passes_escaped_text_and_the_sites_own_scripts(html):
    assert unsafe_markup(html) == []


def test_the_scanner_finds_the_payloads_left_unescaped_or_unsanitised():
    """Each payload as a template would print it unescaped, or (Markdown ones)
    as Python-Markdown renders it without the site's sanitiser: found, but
    for the few a browser would not run either (as the comments say)."""
    missed = {
        p.number
        for p in PAYLOADS
        if not unsafe_markup(f"<p>{p.text}</p>")
        and not unsafe_markup(markdown.markdown(p.text))
        and not unsafe_markup(f"<input value='{p.text}'>")
        and not unsafe_markup(f'<input value="{p.text}">')
        and not unsafe_markup(f"<input value={p.text}>")
    }
    # 5: a NUL in the tag name; 35: backticks quote only in old IE; 44: the
    # handler is inside src's value; 45, 49-53: encoded forms a browser shows as
    # text; 73: CDATA is a comment in HTML; 78, 89: Markdown that
    # Python-Markdown itself does not make a link of.
    assert missed == {5, 35, 44, 45, 49, 50, 51, 52, 53, 73, 78, 89}


def test_a_feed_with_markup_in_its_html_or_badly_formed_is_found():
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        '<summary type="html">{}</summary></entry></feed>'
    )
    assert unsafe_feed(atom.format("&lt;p&gt;ok&lt;/p&gt;").encode()) == []
    assert unsafe_feed(atom.format("&lt;img src=x onerror=alert(1)&gt;").encode())
    assert unsafe_feed(b"<feed><entry></feed>")
    assert unsafe_json(b"{") and unsafe_json(b'{"a": "<b>"}') == []

"""What in a page could run a script: the raw-HTML half of the output-safety test.

``unsafe_markup(html)`` lists every piece of executable markup in a document:
a script that is not the site's own (a file under /static/, or a JSON data
block that parses and cannot end its element early), an event-handler
attribute, a script URL (javascript:, vbscript:, data: documents) in any
attribute that loads or navigates, an element that embeds or redirects
(iframe, object, embed, base, meta refresh, style, template...), and a style
attribute with a CSS expression or a script URL.  Attribute values are read as
a browser reads them: entities decoded, then tabs, line breaks and leading
control characters and spaces ignored.
"""

import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

# The site's scripts: its static files, and the admin's translation catalogue.
SITE_SCRIPT_PREFIXES = ("/static/", "/admin/jsi18n/")
JSON_SCRIPT_TYPES = {"application/ld+json", "application/json"}
URL_ATTRIBUTES = {
    "action",
    "background",
    "data",
    "formaction",
    "href",
    "lowsrc",
    "poster",
    "src",
    "xlink:href",
    "xml:base",
}
FORBIDDEN_ELEMENTS = {
    "applet",
    "base",
    "embed",
    "frame",
    "frameset",
    "iframe",
    "object",
    "style",
}
# Browsers drop tabs and line breaks anywhere in a URL, and leading C0 controls
# and spaces, before they read its scheme.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_SCRIPT_SCHEME = re.compile(
    r"^(?:javascript|vbscript|livescript|data:(?!image/(?:png|gif|jpe?g|webp)[;,]))",
    re.I,
)
_CSS_DANGER = re.compile(r"expression\s*\(|url\s*\(\s*['\"]?\s*(?:java|vb)script", re.I)


def script_url(value: str) -> bool:
    """Whether a browser would run ``value`` (an attribute already entity-decoded)
    as script, or load it as a document, when it follows or loads it."""
    url = _URL_IGNORED.sub("", value).lstrip(
        "\x00\x01\x02\x03\x04\x05\x06\x07"
        "\x08\x0b\x0c\x0e\x0f\x10\x11\x12"
        "\x13\x14\x15\x16\x17\x18\x19\x1a"
        "\x1b\x1c\x1d\x1e\x1f "
    )
    return bool(_SCRIPT_SCHEME.match(url))


class _Scanner(HTMLParser):
    def __init__(self):
        # Entities in text stay as written; attribute values are always decoded.
        super().__init__(convert_charrefs=False)
        self.problems: list[str] = []
        self._script: dict | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._check_element(tag, attrs, self.get_starttag_text())
        if tag == "script":
            self._script, self._script_text = dict(attrs), []

    def handle_startendtag(self, tag, attrs):
        self._check_element(tag, attrs, self.get_starttag_text())
        if tag == "script":
            self._check_script(dict(attrs), "")

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self._check_script(self._script, "".join(self._script_text))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script_text.append(data)

    def _check_element(self, tag, attrs, source):
        shown = (source or f"<{tag}>")[:120]
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}> element: {shown}")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"event handler {name}=: {shown}")
            elif name in URL_ATTRIBUTES and script_url(value):
                self.problems.append(f"script URL in {name}=: {shown}")
            elif name == "srcdoc":
                self.problems.append(f"srcdoc=: {shown}")
            elif name == "style" and _CSS_DANGER.search(value):
                self.problems.append(f"script in style=: {shown}")
        attributes = {name: (value or "") for name, value in attrs}
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            self.problems.append(f"meta refresh: {shown}")
        if tag == "link" and script_url(attributes.get("href", "")):
            self.problems.append(f"script URL in a link: {shown}")

    def _check_script(self, attrs, text):
        src = attrs.get("src")
        kind = (attrs.get("type") or "").lower()
        if src is not None:
            if not src.startswith(SITE_SCRIPT_PREFIXES) or text.strip():
                self.problems.append(f"script not the site's own: src={src!r}")
            return
        if kind not in JSON_SCRIPT_TYPES:
            self.problems.append(f"inline script: {text[:120]!r}")
            return
        if re.search(r"</|<!--", text):
            self.problems.append(f"a data block could end early: {text[:120]!r}")
        try:
            json.loads(text)
        except ValueError:
            self.problems.append(f"a data block is not JSON: {text[:120]!r}")


def unsafe_markup(html: str) -> list[str]:
    """Every piece of markup in ``html`` that could run a script."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    if scanner._script is not None:
        scanner.problems.append("a script element is never closed")
    return scanner.problems


ATOM = "{http://www.w3.org/2005/Atom}"


def unsafe_feed(xml: bytes) -> list[str]:
    """Problems in an Atom feed: not well-formed, or an entry whose HTML
    (summary or content of type html) carries executable markup."""
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as error:
        return [f"the feed is not well-formed XML: {error}"]
    problems = []
    for element in root.iter():
        if element.tag in (f"{ATOM}summary", f"{ATOM}content", f"{ATOM}title"):
            if element.get("type") in ("html", "xhtml"):
                problems += unsafe_markup(element.text or "")
            elif list(element):
                problems.append(f"markup inside a text element {element.tag}")
        if element.tag == f"{ATOM}link" and script_url(element.get("href", "")):
            problems.append(f"script URL in a feed link: {element.get('href')}")
    return problems


def unsafe_json(body: bytes) -> list[str]:
    """Problems in a JSON response: not JSON."""
    try:
        json.loads(body)
    except ValueError as error:
        return [f"not JSON: {error}"]
    return []

"""The one Markdown renderer: page bodies, previews, diffs and the admin all use it.

Markdown (tables, heading ids, a table of contents, plus the inline syntaxes
apps register: ``[[wikilinks]]``, ``[@citations]``), then an allow-list
sanitiser.  Nothing a user typed reaches a page except through ``render()``.
"""

import html as html_lib
import logging
import re
import secrets
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from html import escape
from typing import Any

import markdown
import nh3
from django.conf import settings
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from wiki import external, registry
from wiki.html_balance import balance
from wiki.markdown_linear import LinearExtension

logger = logging.getLogger(__name__)

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href"},
    "abbr": set(),
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
}
# Classes the renderer itself emits, with those the registered syntaxes emit
# (wiki.registry.html_classes); any other class a user writes is dropped, so
# raw HTML cannot pass itself off as a red link or a citation.
CORE_CLASSES = frozenset(
    {"toc", "wikilink", "wikilink-missing", "wikilink-ambiguous", "codehilite"}
)
CORE_CLASS_PATTERN = re.compile(r"^footnote[\w-]*$")
ALLOWED_ID = re.compile(r"^[\w-]{1,120}$")
EXTERNAL_REL = "nofollow ugc noopener"
_ANCHOR = re.compile(r"<a(\s[^>]*)?>")
_ATTR = re.compile(r'\s([\w-]+)="([^"]*)"')


@dataclass
class Rendered:
    html: str
    toc_html: str
    headings: list[dict] = field(default_factory=list)
    syntax_state: dict[str, Any] = field(default_factory=dict)
    more_html: list[str] = field(default_factory=list)

    @property
    def data(self) -> dict[str, Any]:
        """The summaries the syntaxes keep of this render (stored with the page)."""
        summaries = {}
        for syntax in registry.inline_syntaxes():
            if syntax.summarize and syntax.name in self.syntax_state:
                summaries[syntax.name] = syntax.summarize(
                    self.syntax_state[syntax.name]
                )
        for name, summary in registry.render_summaries().items():
            summaries[name] = summary(self.html)
        return summaries


class _SyntaxProcessor(InlineProcessor):
    def __init__(self, syntax: registry.InlineSyntax, states: dict[str, Any], md):
        super().__init__(syntax.pattern, md)
        self.syntax = syntax
        self.states = states

    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        element = self.syntax.render(m, self.states[self.syntax.name], self.md)
        if element is None:
            return None, None, None
        return element, m.start(0), m.end(0)


class _SyntaxExtension(Extension):
    def __init__(self, states: dict[str, Any], **kwargs):
        self.states = states
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        for syntax in registry.inline_syntaxes():
            md.inlinePatterns.register(
                _SyntaxProcessor(syntax, self.states, md), syntax.name, syntax.priority
            )


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        allowed = CORE_CLASSES | registry.html_classes()
        kept = [
            name
            for name in value.split()
            if name in allowed or CORE_CLASS_PATTERN.match(name)
        ]
        return " ".join(kept) or None
    if attribute == "id":
        return value if ALLOWED_ID.match(value) else None
    if element == "img" and attribute == "src":
        return external.image_source(value)  # None for a host readers may not call
    return value


def _set_link_rel(html: str) -> str:
    """Mark links that leave the site nofollow ugc noopener (and nothing else)."""

    def fix(match: re.Match) -> str:
        attrs = [(k, v) for k, v in _ATTR.findall(match.group(1) or "") if k != "rel"]
        href = dict(attrs).get("href", "")
        if external.leaves_site(html_lib.unescape(href)):
            attrs.append(("rel", EXTERNAL_REL))
        return "<a" + "".join(f' {k}="{v}"' for k, v in attrs) + ">"

    return _ANCHOR.sub(fix, html)


def sanitize(html: str) -> str:
    """Clean HTML against the allow-list; the last step of every render.

    The HTML is first balanced (``wiki.html_balance``) so that nh3 parses it in
    linear time whatever raw HTML an author wrote.
    """
    cleaned = nh3.clean(
        balance(html, tags=ALLOWED_TAGS, max_depth=_max_html_depth()),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
    return _set_link_rel(cleaned)


def _max_html_depth() -> int:
    # Markdown's own elements nest at most 4 x the nesting limit (DepthGuard);
    # raw HTML may add a little.
    return 4 * settings.LINEAGE_MARKDOWN_MAX_NESTING + 32


def _markdown(states: dict[str, Any]) -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            "tables",
            "fenced_code",
            "sane_lists",
            "smarty",
            "toc",
            _SyntaxExtension(states),
            LinearExtension(max_nesting=settings.LINEAGE_MARKDOWN_MAX_NESTING),
        ],
        extension_configs={"toc": {"toc_depth": "2-4", "anchorlink": False}},
        output_format="html",
    )


def render(text: str, *more: str) -> Rendered:
    """Render Markdown to sanitised HTML, with a table of contents.

    Further texts (e.g. a page's interpretive reading) render as one document
    with the first, so citation numbers run on; their HTML is in ``more_html``.
    Takes time linear in the length of the texts (``wiki.markdown_linear``).
    """
    sentinel = f"lineage-part-{secrets.token_hex(8)}"
    texts = [text or ""] + [t or "" for t in more]
    whole = f"\n\n<div>{sentinel}</div>\n\n".join(texts)
    states: dict[str, Any] = {}
    # Text over the limits is refused by the forms; text stored before them
    # still renders, looking up no more than the limit allows.
    looked_up = settings.LINEAGE_MARKDOWN_MAX_LINKS * len(texts)
    for syntax in registry.inline_syntaxes():
        matches = list(re.finditer(syntax.pattern, whole))
        states[syntax.name] = syntax.prepare(matches[:looked_up])
    md = _markdown(states)
    try:
        parts = md.convert(whole).split(f"<div>{sentinel}</div>")
        if len(parts) != len(texts):  # a text swallowed the separator (open fence)
            parts = [md.reset().convert(t) for t in texts]
    except RecursionError:  # pragma: no cover (nesting is bounded; a last resort)
        logger.exception("Markdown nested too deeply to render; shown as text")
        return Rendered(
            html=_as_text(texts[0]),
            toc_html="",
            syntax_state=states,
            more_html=[_as_text(t) for t in texts[1:]],
        )
    headings = _flatten(getattr(md, "toc_tokens", []))
    return Rendered(
        html=sanitize(parts[0].strip()),
        toc_html=sanitize(md.toc) if headings else "",
        headings=headings,
        syntax_state=states,
        more_html=[sanitize(part.strip()) for part in parts[1:]],
    )


def limit_problems(text: str, *, nesting: bool = True) -> list[str]:
    """What in ``text`` goes past the limits on a Markdown field, for its author.

    The limits are in the settings (``LINEAGE_MAX_BODY_CHARS``,
    ``LINEAGE_MARKDOWN_MAX_LINKS``, ``LINEAGE_MARKDOWN_MAX_NESTING``) and the
    README; checking them takes time linear in the text and no query.
    """
    size = settings.LINEAGE_MAX_BODY_CHARS
    if len(text) > size:
        return [
            f"This text is too long: keep it to {size:,} characters or fewer "
            f"(it has {len(text):,})."
        ]
    problems = []
    most = settings.LINEAGE_MARKDOWN_MAX_LINKS
    links = sum(
        1
        for syntax in registry.inline_syntaxes()
        for _ in re.finditer(syntax.pattern, text)
    )
    if links > most:
        problems.append(
            f"This text has {links:,} [[links]] and [@citations]; a field may have "
            f"at most {most:,}. Link a page once where it matters, or split the text."
        )
    if nesting and (line := too_deep_line(text)) is not None:
        deepest = settings.LINEAGE_MARKDOWN_MAX_NESTING
        shown = line if len(line) <= 40 else line[:40] + "…"
        problems.append(
            f"Lists and quotes may nest {deepest} levels deep; this line goes "
            f"deeper: “{shown}”. Deeper markers would show as plain text."
        )
    return problems


def too_deep_line(text: str) -> str | None:
    """The first line of ``text`` whose lists and quotes nest past the limit.

    Lines are read as the renderer reads them (fenced code and raw HTML set
    aside), by running only Markdown's preprocessors.
    """
    md = _markdown({})
    lines = text.split("\n")
    for preprocessor in md.preprocessors:
        lines = preprocessor.run(lines)
    return md.preprocessors["nesting_limit"].first


def _as_text(text: str) -> str:
    paragraphs = (p.strip() for p in text.split("\n\n"))
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p)


def _flatten(tokens: list[dict]) -> list[dict]:
    flat = []
    for token in tokens:
        flat.append({"level": token["level"], "id": token["id"], "name": token["name"]})
        flat.extend(_flatten(token.get("children", [])))
    return flat


def markdownify(text: str) -> str:
    """The django-markdownx preview function (MARKDOWNX_MARKDOWNIFY_FUNCTION)."""
    return render(text).html


def element(tag: str, text: str | None = None, **attrs: str) -> etree.Element:
    """Build an element for an inline syntax's output."""
    el = etree.Element(tag)
    for key, value in attrs.items():
        el.set(key.rstrip("_").replace("_", "-"), value)
    if text is not None:
        el.text = text
    return el

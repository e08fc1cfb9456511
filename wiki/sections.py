"""Sections of a page's body, numbered as MediaWiki numbers them.

Section 0 is the text before the first heading; section N runs from the Nth
heading to the next heading of the same or a higher level, so it holds its
subsections.  Headings are found as the renderer (Python-Markdown) finds them
at the top level of the text: lines beginning with ``#`` and setext headings
(a block's first line underlined with ``===`` or ``---``), never inside a
fenced code block.  Headings inside quotes, lists or raw HTML are not section
boundaries; when the rendered page shows headings the text does not (or the
other way round), ``edit_links`` adds no links rather than wrong ones.
"""

import copy
import re
from bisect import bisect_right
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from itertools import pairwise

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe

_ATX = re.compile(r"^(#{1,6})(.*?)#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)[ ]*$")
_FENCE = re.compile(r"^(`{3,}|~{3,})")
_INDENTED = re.compile(r"^(?: {4}|\t)")


class SectionMissing(Exception):
    """The body has no section with that number (any more)."""


@dataclass(frozen=True)
class Heading:
    line: int  # index of the heading's first line
    level: int
    title: str


def _lines(text: str) -> list[str]:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _fenced_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines inside fenced code blocks, fences included.

    As in Python-Markdown, a fence opens only where a matching fence (the same
    characters, as many) closes it; otherwise it is text.  Where each fence
    could close is found once, so a run of fences that never close costs
    time linear in the text.
    """
    closers: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        bare = line.rstrip()
        if _FENCE.fullmatch(bare):
            closers.setdefault(bare, []).append(index)
    inside: set[int] = set()
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if match:
            places = closers.get(match.group(1), [])
            after = bisect_right(places, index)
            if after < len(places):
                close = places[after]
                inside.update(range(index, close + 1))
                index = close + 1
                continue
        index += 1
    return inside


def headings(text: str) -> list[Heading]:
    """The top-level headings of Markdown ``text``, in order."""
    lines = _lines(text)
    fenced = _fenced_lines(lines)
    found = []
    for index, line in enumerate(lines):
        if index in fenced:
            continue
        atx = _ATX.match(line)
        if atx:
            found.append(Heading(index, len(atx.group(1)), atx.group(2).strip()))
            continue
        if index == 0 or not _SETEXT.match(line):
            continue
        above = lines[index - 1]
        starts_block = index == 1 or not lines[index - 2].strip()
        if (
            above.strip()
            and starts_block
            and index - 1 not in fenced
            and not _ATX.match(above)
            and not _INDENTED.match(above)
        ):
            level = 1 if line.lstrip().startswith("=") else 2
            found.append(Heading(index - 1, level, above.strip()))
    return found


_LIST_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d+[.)])[ \t]")
_QUOTE = re.compile(r"^ {0,3}>")


def blocks(text: str) -> list[str]:
    """The top-level blocks of Markdown ``text``, in order, each without its
    lines' trailing spaces: the runs of lines between blank lines.

    A fenced code block is one block, blank lines and all; a block that
    continues the one before it across a blank line (indented: a list item's
    next paragraph or code; a list item after a list; a quote after a quote)
    is part of it, as the renderer reads them.  So each block renders on its
    own as it does in the whole text.
    """
    lines = [line.rstrip() for line in _lines(text)]
    fenced = _fenced_lines(lines)
    runs: list[list[str]] = []
    current: list[str] = []
    blank_before = False
    for index, line in enumerate(lines):
        if line or index in fenced:
            if current and blank_before:
                runs.append(current)
                current = []
            current.append(line)
            blank_before = False
        else:
            blank_before = True
    if current:
        runs.append(current)
    found: list[list[str]] = []
    for run in runs:
        head = run[0]
        if found and (
            _INDENTED.match(head)
            or (_LIST_ITEM.match(head) and _LIST_ITEM.match(found[-1][0]))
            or (_QUOTE.match(head) and _QUOTE.match(found[-1][0]))
        ):
            found[-1] += ["", *run]
        else:
            found.append(run)
    return ["\n".join(run) for run in found]


def _bounds(lines: list[str], found: list[Heading], number: int) -> tuple[int, int]:
    if number == 0:
        return 0, found[0].line if found else len(lines)
    if not 1 <= number <= len(found):
        raise SectionMissing(f"The page has no section {number}.")
    heading = found[number - 1]
    end = next((h.line for h in found[number:] if h.level <= heading.level), len(lines))
    return heading.line, end


def section_text(text: str, number: int) -> str:
    """The Markdown of section ``number``, without the blank lines that end it."""
    lines = _lines(text)
    start, end = _bounds(lines, headings(text), number)
    return "\n".join(lines[start:end]).strip("\n")


def section_title(text: str, number: int) -> str:
    found = headings(text)
    if number == 0:
        return ""
    _bounds(_lines(text), found, number)
    return found[number - 1].title


def replace_section(text: str, number: int, new: str) -> str:
    """``text`` with section ``number`` replaced by ``new`` (which may add or
    remove headings, as in MediaWiki); the rest is kept byte for byte."""
    lines = _lines(text)
    start, end = _bounds(lines, headings(text), number)
    before, after = lines[:start], lines[end:]
    body = _lines(new)
    while body and not body[0].strip():
        body.pop(0)
    body = _without_trailing_blanks(body)
    if body:
        # The blank lines that ended the section (and the text's final
        # newline) stay; the next heading needs one to start a block.
        old = lines[start:end]
        trailing = len(old) - len(_without_trailing_blanks(old))
        if any(line.strip() for line in after):
            trailing = max(trailing, 1)
        body += [""] * trailing
    return "\n".join(before + body + after)


def _without_trailing_blanks(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return lines[:end]


def _parts(text: str) -> tuple[list[str], list[Heading]]:
    """``text`` cut at every heading: the part before the first heading, then
    one part per heading (its line and its own text, without subsections)."""
    lines = _lines(text)
    found = headings(text)
    cuts = [0, *(h.line for h in found), len(lines)]
    parts = ["\n".join(lines[a:b]).strip("\n") for a, b in pairwise(cuts)]
    return parts, found


def _span(found: list[Heading], number: int) -> int:
    """How many parts section ``number`` covers (itself and its subsections)."""
    if number == 0:
        return 1
    level = found[number - 1].level
    end = next(
        (i for i in range(number, len(found)) if found[i].level <= level),
        len(found),
    )
    return end - number + 1


def merge_section(*, base: str, current: str, number: int, new: str) -> str | None:
    """Apply an edit of section ``number`` of ``base`` to ``current``.

    It applies when the section (its own text and each of its subsections)
    is on the page unchanged, once, and still a whole section, wherever the
    page's other edits moved it: the result is ``current`` with it replaced.
    Otherwise the section changed on both sides: a conflict (None).
    """
    base_parts, base_found = _parts(base)
    if not 0 <= number <= len(base_found):
        raise SectionMissing(f"The page had no section {number}.")
    wanted = base_parts[number : number + _span(base_found, number)]
    current_parts, current_found = _parts(current)
    if number == 0:
        return (
            replace_section(current, 0, new) if current_parts[0] == wanted[0] else None
        )
    places = [
        place
        for place in range(1, len(current_parts) - len(wanted) + 1)
        if current_parts[place : place + len(wanted)] == wanted
        and _span(current_found, place) == len(wanted)
    ]
    if len(places) != 1:
        return None
    return replace_section(current, places[0], new)


class SectionForm(forms.Form):
    """One section of the body, in the page form's own body field (its widget
    with the live preview, its checks), so it reads as the body does."""

    def __init__(self, *args, body_field: forms.Field, title: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = copy.deepcopy(body_field)
        field.label = f"Section “{title}”" if title else "Introduction"
        self.fields["body"] = field


# -- edit links on the rendered page ------------------------------------------------


class _TopHeadings(HTMLParser):
    """Finds the top-level headings with an id in rendered HTML, by offset."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=False)
        self.html = html
        self.line_starts = [0]
        for match in re.finditer("\n", html):
            self.line_starts.append(match.end())
        self.depth = 0
        self.open: tuple[str, int, str] | None = None
        self.found: list[tuple[int, int, str]] = []  # start, end, text
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if self.depth == 0 and re.fullmatch(r"h[1-6]", tag) and dict(attrs).get("id"):
            self.open = (tag, self._offset(), dict(attrs)["id"])
            self.text = []
        if tag not in ("br", "hr", "img"):
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in ("br", "hr", "img"):
            return
        self.depth -= 1
        if self.depth == 0 and self.open and tag == self.open[0]:
            end = self._offset() + len(f"</{tag}>")
            self.found.append((self.open[1], end, "".join(self.text).strip()))
            self.open = None

    def handle_data(self, data):
        if self.open:
            self.text.append(data)

    def handle_entityref(self, name):
        self.handle_data(unescape(f"&{name};"))

    def handle_charref(self, name):
        self.handle_data(unescape(f"&#{name};"))


def edit_links(html: str, *, text: str, url: str) -> str:
    """``html`` (a rendered body) with an edit link beside each heading that
    starts a section of ``text``: ``url?section=N``.

    Unchanged when the rendered headings do not match the text's one for one.
    """
    found = _TopHeadings(html).found
    if not found or len(found) != len(headings(text)):
        return html
    out, position = [], 0
    for number, (start, end, title) in enumerate(found, start=1):
        out.append(html[position:start])
        out.append(
            format_html(
                '<div class="section-heading">{}<span class="section-edit">'
                '<a href="{}?section={}">edit<span class="visually-hidden"> '
                "section: {}</span></a></span></div>",
                mark_safe(html[start:end]),  # noqa: S308 (sanitised body HTML)
                url,
                number,
                title,
            )
        )
        position = end
    out.append(html[position:])
    return "".join(out)

"""Python-Markdown's raw-HTML block extraction, with its searches bounded.

Before parsing Markdown, Python-Markdown sets aside blocks of raw HTML with
``HTMLExtractor``, built on the standard library's ``html.parser`` (Python
3.13.0 here).  Several of its steps search from a ``<`` to the end of the text
and are taken again at the next ``<``, so hostile text costs n²: the match of a
start tag runs on through ``<a <a <a ...`` (3.5 s for 20 KB), and the searches
for a ``>`` after ``</a``, ``<?`` or ``<!DOCTYPE``, for the end of a marked
section, for a blank line after a block, or for an inline tag's end after a
comment all go to the end of the text each time.

``LinearHtmlBlockPreprocessor`` runs an extractor whose steps stop at the
next ``<`` outside a quoted value (a start tag with a bare ``<`` in it is not
one, as Markdown's inline HTML pattern already holds) and remember what they
found, so each part of the text is searched a bounded number of times.  The
rest is Python-Markdown's and the standard library's code, as the comments
say; for text without such malformed tags the blocks found are the same.
"""

import heapq
import re
from bisect import bisect_left
from collections import Counter, defaultdict

from markdown import htmlparser as markdown_htmlparser
from markdown.htmlparser import HTMLExtractor
from markdown.preprocessors import HtmlBlockPreprocessor

_stdlib = markdown_htmlparser.htmlparser  # Markdown's own copy of html.parser

# Markdown's ``locatestarttagend_tolerant`` (its version of html.parser's),
# without a bare ``<`` in the tag name, an attribute name or an unquoted value.
_START_TAG_END = re.compile(
    r"""
  <[a-zA-Z][^`\t\n\r\f />\x00<]*     # tag name
  (?:[\s/]*                          # optional whitespace before attribute name
    (?:(?<=['"\s/])[^`\s/><][^\s/=><]*  # attribute name
      (?:\s*=+\s*                    # value indicator
        (?:'[^']*'                   # LITA-enclosed value
          |"[^"]*"                   # LIT-enclosed value
          |(?!['"])[^`>\s<]*         # bare value
         )
         (?:\s*,)*                   # possibly followed by a comma
       )?(?:\s|/(?!>))*
     )*
   )?
  \s*                                # trailing whitespace
""",
    re.VERBOSE,
)
# Markdown's ``blank_line_re`` without ``^``, to match at a position.
_BLANK_LINE = re.compile(r"([ ]*\n){2}")
_NEVER = float("inf")
# Every end tag, at every "<" (they may overlap): its name, and the rest to ">".
_END_TAG = re.compile(r"(?=</\s*([^\s>]*)(\s*>))")
_MARKED_SECTION_CLOSE = {
    "cdata": re.compile(r"]\s*]\s*>"),
    "ms": re.compile(r"]\s*>"),
}


class _CountedList(list):
    """A list of tag names that knows, without a scan, which names it holds."""

    def __init__(self, items=()):
        super().__init__(items)
        self.counts = Counter(self)
        self.fresh = list(self.counts)  # names added since last asked

    def append(self, item) -> None:
        super().append(item)
        self.counts[item] += 1
        if self.counts[item] == 1:
            self.fresh.append(item)

    def pop(self, index: int = -1):
        item = super().pop(index)
        self.counts[item] -= 1
        if not self.counts[item]:
            del self.counts[item]
        return item

    def __contains__(self, item) -> bool:
        return item in self.counts


class _LinearHTMLExtractor(HTMLExtractor):
    # HTMLExtractor assigns plain lists to these; they are kept counted.
    @property
    def stack(self):
        return self._stack

    @stack.setter
    def stack(self, value):
        self._stack = _CountedList(value)

    @property
    def inline_stack(self):
        return self._inline_stack

    @inline_stack.setter
    def inline_stack(self, value):
        self._inline_stack = _CountedList(value)

    def reset(self):
        self._gt_positions: tuple[str | None, list[int]] = (None, [])
        self._close_heap: list[tuple[int, int, str]] = []
        self._close_heap_text: str | None = None
        self._close_tracked: dict[str, int] = {}
        self._end_tags_text: str | None = None
        self._blank_line: tuple[str | None, int, int] = (None, 0, 0)
        self._no_section_close: dict[str, tuple[str | None, int]] = {}
        self._linear_starttag_text: str | None = None
        super().reset()

    # Searches, remembered ---------------------------------------------------

    def _gt_after(self, pos: int) -> int:
        """``self.rawdata.find(">", pos)``, from one index of the ``>``."""
        rawdata = self.rawdata
        text, positions = self._gt_positions
        if text is not rawdata:
            positions = [m.start() for m in re.finditer(">", rawdata)]
            self._gt_positions = (rawdata, positions)
        at = bisect_left(positions, pos)
        return positions[at] if at < len(positions) else -1

    def _no_close_after(self, key: str, regex: re.Pattern, pos: int):
        """``regex.search(self.rawdata, pos)``, or None as remembered."""
        rawdata = self.rawdata
        searched, since = self._no_section_close.get(key, (None, 0))
        if searched is rawdata and pos >= since:
            return None
        match = regex.search(rawdata, pos)
        if match is None:
            self._no_section_close[key] = (rawdata, pos)
        return match

    def _as_data_to_next_tag(self, i: int) -> int:
        """What ``goahead`` does at the end with an unterminated construct."""
        rawdata = self.rawdata
        gt = self._gt_after(i + 1)
        if gt >= 0:
            k = gt + 1
        else:
            k = rawdata.find("<", i + 1)
            if k < 0:
                k = i + 1
        self.handle_data(rawdata[i:k])
        return k

    # html.parser / HTMLExtractor, with the searches above --------------------

    def check_for_whole_start_tag(self, i):
        rawdata = self.rawdata
        m = _START_TAG_END.match(rawdata, i)
        j = m.end()
        next = rawdata[j : j + 1]
        if next == ">":
            return j + 1
        if next == "/":
            if rawdata.startswith("/>", j):
                return j + 2
            if rawdata.startswith("/", j):
                return -1
            return j if j > i else i + 1
        if next == "":
            return -1
        if next in "abcdefghijklmnopqrstuvwxyz=/ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            return -1
        return j if j > i else i + 1

    def get_starttag_text(self) -> str:
        return self._linear_starttag_text

    def parse_starttag(self, i: int) -> int:
        # HTMLExtractor.parse_starttag, each match bounded by the tag's end.
        if self.rawdata[i : i + 3] == "</>":
            self.handle_data(self.rawdata[i : i + 3])
            return i + 3
        self._linear_starttag_text = None
        endpos = self.check_for_whole_start_tag(i)
        if endpos < 0:
            self.handle_data(self.rawdata[i : i + 1])
            return i + 1
        rawdata = self.rawdata
        self._linear_starttag_text = rawdata[i:endpos]
        attrs = []
        match = _stdlib.tagfind_tolerant.match(rawdata, i + 1, endpos)
        k = match.end()
        self.lasttag = tag = match.group(1).lower()
        while k < endpos:
            m = _stdlib.attrfind_tolerant.match(rawdata, k, endpos)
            if not m:
                break
            attrname, rest, attrvalue = m.group(1, 2, 3)
            if not rest:
                attrvalue = None
            elif (
                attrvalue[:1] == "'" == attrvalue[-1:]
                or attrvalue[:1] == '"' == attrvalue[-1:]
            ):
                attrvalue = attrvalue[1:-1]
            if attrvalue:
                attrvalue = _stdlib.unescape(attrvalue)
            attrs.append((attrname.lower(), attrvalue))
            k = m.end()
        end = rawdata[k:endpos].strip()
        if end not in (">", "/>"):
            self.handle_data(rawdata[i:endpos])
            return endpos
        if end.endswith("/>"):
            self.handle_startendtag(tag, attrs)
        else:
            if tag in self.CDATA_CONTENT_ELEMENTS:
                self.set_cdata_mode(tag)
            self.handle_starttag(tag, attrs)
        return endpos

    def parse_endtag(self, i):
        # Markdown's _HTMLParser.parse_endtag around html.parser's.
        rawdata = self.rawdata
        start = rawdata[i : i + 3]
        c = ord(start[-1])
        is_data = len(start) < 3 or not (65 <= c <= 90 or 97 <= c <= 122)
        pos = -1 if is_data else self._stdlib_parse_endtag(i)
        if pos == -1:
            self.handle_data(rawdata[i : i + 2])
            return i + 2
        return pos

    def _stdlib_parse_endtag(self, i):
        rawdata = self.rawdata
        gt = self._gt_after(i + 1)
        if gt < 0:
            return -1
        gtpos = gt + 1
        match = _stdlib.endtagfind.match(rawdata, i, gtpos)
        if not match:
            if self.cdata_elem is not None:
                self.handle_data(rawdata[i:gtpos])
                return gtpos
            namematch = _stdlib.tagfind_tolerant.match(rawdata, i + 2, gtpos)
            if not namematch:
                if rawdata[i : i + 3] == "</>":
                    return i + 3
                return self.parse_bogus_comment(i)
            tagname = namematch.group(1).lower()
            gtpos = self._gt_after(namematch.end())
            self.handle_endtag(tagname)
            return gtpos + 1
        elem = match.group(1).lower()
        if self.cdata_elem is not None and elem != self.cdata_elem:
            self.handle_data(rawdata[i:gtpos])
            return gtpos
        self.handle_endtag(elem)
        self.clear_cdata_mode()
        return gtpos

    def parse_bogus_comment(self, i: int, report: int = 0) -> int:
        pos = self._gt_after(i + 2)
        if pos == -1:
            return -1
        self.handle_empty_tag(self.rawdata[i : pos + 1], is_block=False)
        return pos + 1

    def parse_pi(self, i: int) -> int:
        if not (self.at_line_start() or self.intail):
            self.handle_data("<?")
            return i + 2
        # html.parser's parse_pi, with Markdown's "?>" as its end.
        match = self._no_close_after("pi", _stdlib.piclose, i + 2)
        if match is None:
            return self._as_data_to_next_tag(i)
        self.handle_pi(self.rawdata[i + 2 : match.start()])
        return match.end()

    def parse_html_declaration(self, i: int) -> int:
        if not (self.at_line_start() or self.intail):
            self.handle_data("<!")
            return i + 2
        rawdata = self.rawdata
        if rawdata[i : i + 4] == "<!--":
            return self.parse_comment(i)
        if rawdata[i : i + 3] == "<![":
            if rawdata[i : i + 9] != "<![CDATA[":
                result = self.parse_bogus_comment(i)
                if result == -1:
                    self.handle_data(rawdata[i : i + 1])
                    return i + 1
                return result
            return self._parse_marked_section(i)
        if rawdata[i : i + 9].lower() == "<!doctype":
            gtpos = self._gt_after(i + 9)
            if gtpos == -1:
                return self._as_data_to_next_tag(i)
            self.handle_decl(rawdata[i + 2 : gtpos])
            return gtpos + 1
        result = self.parse_bogus_comment(i)
        return self._as_data_to_next_tag(i) if result == -1 else result

    def _parse_marked_section(self, i: int) -> int:
        # _markupbase.ParserBase.parse_marked_section for "<![CDATA[".
        rawdata = self.rawdata
        section, j = self._scan_name(i + 3, i)
        if j < 0:
            return self._as_data_to_next_tag(i)
        if section in {"temp", "cdata", "ignore", "include", "rcdata"}:
            match = self._no_close_after("cdata", _MARKED_SECTION_CLOSE["cdata"], i + 3)
        else:
            match = self._no_close_after("ms", _MARKED_SECTION_CLOSE["ms"], i + 3)
        if not match:
            return self._as_data_to_next_tag(i)
        self.unknown_decl(rawdata[i + 3 : match.start(0)])
        return match.end(0)

    def _blank_line_follows(self, length: int) -> bool:
        """``blank_line_re.match(rawdata[here + length:])``, without the copy."""
        return bool(
            _BLANK_LINE.match(self.rawdata, self.line_offset + self.offset + length)
        )

    def handle_endtag(self, tag: str):
        text = self.get_endtag_text(tag)
        if self.inraw:
            self._cache.append(text)
            if tag in self.stack:
                while self.stack:
                    if self.stack.pop() == tag:
                        break
            if len(self.stack) == 0:
                if self._blank_line_follows(len(text)):
                    self._cache.append("\n")
                else:
                    self.intail = True
                self.inraw = False
                self.cleandoc.append(self.md.htmlStash.store("".join(self._cache)))
                self.cleandoc.append("\n\n")
                self._cache = []
        else:
            self.cleandoc.append(text)
            self.close_inline_tag(tag)

    def handle_empty_tag(self, data: str, is_block: bool):
        if self.inraw or self.intail:
            self._cache.append(data)
        elif self.at_line_start() and is_block:
            if self._blank_line_follows(len(data)):
                data += "\n"
            else:
                self.intail = True
            item = self.cleandoc[-1] if self.cleandoc else ""
            if not item.endswith("\n\n") and item.endswith("\n"):
                self.cleandoc.append("\n")
            self.cleandoc.append(self.md.htmlStash.store(data))
            self.cleandoc.append("\n\n")
        else:
            self.cleandoc.append(data)

    def inline_close_follows(self, text: str) -> bool:
        """Whether an open inline tag closes after ``text``, in this paragraph.

        HTMLExtractor searches the rest of the paragraph once per open tag at
        every comment; here the nearest close of any open tag is kept in a heap.
        """
        if not self.inline_stack:
            return False
        rawdata = self.rawdata
        start = self.line_offset + self.offset + len(text)
        end = self._paragraph_end(start)
        heap, tracked = self._close_heap, self._close_tracked
        if self._close_heap_text is not rawdata:
            heap.clear()
            tracked.clear()
            self._close_heap_text = rawdata
        for name in self.inline_stack.fresh:
            if name in self.inline_stack and name not in tracked:
                self._track_close(name, start)
        self.inline_stack.fresh.clear()
        while heap:
            found, found_end, name = heap[0]
            if tracked.get(name) != found or name not in self.inline_stack:
                heapq.heappop(heap)
                if tracked.get(name) == found:
                    del tracked[name]
                continue
            if found < start:
                heapq.heappop(heap)
                self._track_close(name, start)
                continue
            return found_end <= end
        return False

    def _paragraph_end(self, start: int) -> int:
        """Where the first blank line at or after ``start`` is (remembered)."""
        rawdata = self.rawdata
        text, since, found = self._blank_line
        if text is not rawdata or since > start or found < start:
            blank = markdown_htmlparser.inner_blank_line_re.search(rawdata, start)
            found = blank.start() if blank else len(rawdata)
            self._blank_line = (rawdata, start, found)
        return found

    def _track_close(self, name: str, start: int) -> None:
        """Put the first ``</name>`` from ``start`` in the heap (or note none)."""
        found, found_end = self._next_close(name, start)
        self._close_tracked[name] = found
        heapq.heappush(self._close_heap, (found, found_end, name))

    def _next_close(self, name: str, start: int) -> tuple[int, int]:
        """Where the first ``</name>`` at or after ``start`` is, and ends."""
        rawdata = self.rawdata
        if self._end_tags_text is not rawdata:
            self._end_tags = defaultdict(lambda: ([], []))
            for tag in _END_TAG.finditer(rawdata):
                starts, ends = self._end_tags[tag.group(1).lower()]
                starts.append(tag.start())
                ends.append(tag.end(1) + len(tag.group(2)))
            self._end_tags_text = rawdata
        starts, ends = self._end_tags.get(name, ((), ()))
        at = bisect_left(starts, start)
        if at == len(starts):
            return _NEVER, _NEVER
        return starts[at], ends[at]


class LinearHtmlBlockPreprocessor(HtmlBlockPreprocessor):
    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        parser = _LinearHTMLExtractor(self.md)
        parser.feed(source)
        parser.close()
        return "".join(parser.cleandoc).split("\n")

"""Well-nested, depth-bounded HTML for the sanitiser to parse in linear time.

nh3 parses HTML as browsers do (html5ever).  On hostile markup that costs
more than linear time: every open element is searched at each tag
("<div>" * 40000), and a formatting element left open by one paragraph is
re-opened in every later one ('<b title="1"><b title="2">...' followed by
paragraphs), so the output grows too.

``balance()`` re-writes the HTML that Markdown produced (its own tags and the
raw HTML an author wrote) before nh3 sees it: only the tags the sanitiser
allows, each closed explicitly and in order where a browser would close it
implicitly, nesting at most ``max_depth`` deep (deeper tags are dropped, their
text kept), comments and unknown tags removed as nh3 removes them.  For
well-formed markup nh3's output is unchanged; for markup that is not, it is
still sanitised by nh3, and costs linear time.
"""

import re

VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "wbr"})
FORMATTING = frozenset(
    {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike"}
    | {"strong", "tt", "u"}
)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
SPECIAL = (
    frozenset(
        {"address", "article", "aside", "blockquote", "body", "br", "button"}
        | {"caption", "center", "col", "colgroup", "dd", "details", "dir", "div"}
        | {"dl", "dt", "fieldset", "figcaption", "figure", "footer", "form"}
        | {"header", "hgroup", "hr", "html", "img", "li", "listing", "main"}
        | {"menu", "nav", "ol", "p", "pre", "search", "section", "summary"}
        | {"table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
    )
    | HEADINGS
)
CLOSES_P = (
    frozenset(
        {"address", "article", "aside", "blockquote", "center", "details"}
        | {"dialog", "dir", "div", "dl", "fieldset", "figcaption", "figure"}
        | {"footer", "header", "hgroup", "hr", "main", "menu", "nav", "ol", "p"}
        | {"pre", "listing", "search", "section", "summary", "table", "ul"}
    )
    | HEADINGS
)
SCOPE = frozenset({"caption", "html", "table", "td", "th"})  # "has in scope"
LIST_SCOPE = SCOPE | {"ol", "ul"}
TABLE_SCOPE = frozenset({"html", "table"})
SECTIONS = frozenset({"tbody", "thead", "tfoot"})
CELLS = frozenset({"td", "th"})
TABLE_PARTS = SECTIONS | CELLS | {"tr", "caption"}
MARKERS = frozenset({"caption", "td", "th"})  # formatting does not leak past
# Their content is text to the parser; nh3 drops the first two with it.
DROPPED_WITH_CONTENT = frozenset({"script", "style"})
RAW_TEXT = frozenset(
    {"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript"}
)
ESCAPABLE_RAW_TEXT = frozenset({"textarea", "title"})
MAX_ATTRIBUTES = 64

_SPACE = "\t\n\f\r "
_TAG_NAME = re.compile(r"[^\t\n\f\r />]*")
_SKIP = re.compile(r"[\t\n\f\r /]*")
_SPACES = re.compile(r"[\t\n\f\r ]*")
_ATTR_NAME = re.compile(r"[^\t\n\f\r />][^\t\n\f\r />=]*")
_UNQUOTED = re.compile(r"[^\t\n\f\r >]*")
_COMMENT_END = re.compile(r"--!?>")


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Balancer:
    def __init__(self, html: str, tags, max_depth: int):
        self.html = html
        self.tags = tags
        self.max_depth = max_depth
        self.out: list[str] = []
        self.stack: list[str] = []

    # Output -------------------------------------------------------------------

    def _open(self, name: str, attrs: list[tuple[str, str]]) -> None:
        if name not in VOID and len(self.stack) >= self.max_depth:
            return  # too deep: the tag goes, its content stays
        rendered = "".join(
            f' {key}="{value.replace(chr(34), "&quot;")}"' for key, value in attrs
        )
        self.out.append(f"<{name}{rendered}>")
        if name not in VOID:
            self.stack.append(name)

    def _close_through(self, index: int) -> None:
        """Close the open elements down to and including ``stack[index]``."""
        while len(self.stack) > index:
            self.out.append(f"</{self.stack.pop()}>")

    def _find(self, names, boundaries) -> int:
        """The index of the innermost open element named in ``names``, or -1
        if a ``boundaries`` element (or none) comes first."""
        for index in range(len(self.stack) - 1, -1, -1):
            name = self.stack[index]
            if name in names:
                return index
            if name in boundaries:
                return -1
        return -1

    def _table_context(self) -> tuple[int, str]:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index] in TABLE_PARTS or self.stack[index] == "table":
                return index, self.stack[index]
        return -1, ""

    # Tree building (the parts of HTML's "in body" and table rules that close
    # elements without an end tag, done with end tags) ----------------------

    def _close_p(self) -> None:
        found = self._find({"p"}, SCOPE)
        if found != -1:
            self._close_through(found)

    def start(self, name: str, attrs: list[tuple[str, str]]) -> None:
        if name == "image":
            name = "img"
        if name not in self.tags:
            return
        if name in TABLE_PARTS or name == "table":
            if not self._start_table_part(name):
                return
        else:
            if name == "li":
                self._close_item({"li"})
            elif name in ("dd", "dt"):
                self._close_item({"dd", "dt"})
            if name in CLOSES_P or name in ("li", "dd", "dt"):
                self._close_p()
            if name in HEADINGS and self.stack and self.stack[-1] in HEADINGS:
                self._close_through(len(self.stack) - 1)
            if name == "a":
                found = self._find({"a"}, MARKERS)
                if found != -1:
                    self._close_through(found)
        self._open(name, attrs)

    def _close_item(self, names) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            node = self.stack[index]
            if node in names:
                self._close_through(index)
                return
            if node in SPECIAL and node not in ("address", "div", "p"):
                return

    def _start_table_part(self, name: str) -> bool:
        """Close what a table part closes, open what it implies; False: ignore."""
        while True:
            index, context = self._table_context()
            if name == "table":
                if context in ("table", "tr") or context in SECTIONS:
                    self._close_through(self._find({"table"}, TABLE_SCOPE))
                    continue
                self._close_p()
                return True
            if index == -1:
                return False  # a table part outside a table is ignored
            if context in CELLS or context == "caption":
                # A cell or caption ends where another part of the table starts.
                self._close_through(index)
                continue
            if context == "tr":
                if name in CELLS:
                    self._close_through(index + 1)
                    return True
                self._close_through(index)
                continue
            if context in SECTIONS:
                if name == "tr":
                    self._close_through(index + 1)
                    return True
                if name in CELLS:
                    self._close_through(index + 1)
                    self._open("tr", [])
                    return True
                self._close_through(index)
                continue
            # context == "table"
            self._close_through(index + 1)
            if name == "caption" or name in SECTIONS:
                return True
            self._open("tbody", [])
            if name in CELLS:
                self._open("tr", [])
            return True

    def end(self, name: str) -> None:
        if name == "br":
            if "br" in self.tags:
                self._open("br", [])
            return
        if name not in self.tags:
            return
        if name == "p":
            found = self._find({"p"}, SCOPE)
            if found == -1:
                self._open("p", [])
                self._close_through(len(self.stack) - 1)
            else:
                self._close_through(found)
            return
        if name == "li":
            found = self._find({"li"}, LIST_SCOPE)
        elif name in HEADINGS:
            found = self._find(HEADINGS, SCOPE)
        elif name in TABLE_PARTS or name == "table":
            found = self._find({name}, TABLE_SCOPE)
        elif name in SPECIAL or name in FORMATTING:
            found = self._find({name}, SCOPE)
        else:  # an ordinary element closes only if no special one is inside it
            found = self._find({name}, SPECIAL)
        if found != -1:
            self._close_through(found)

    # Reading the HTML ---------------------------------------------------------

    def text(self, text: str) -> None:
        if text:
            self.out.append(text)

    def run(self) -> str:
        html = self.html
        size = len(html)
        pos = 0
        while pos < size:
            lt = html.find("<", pos)
            if lt == -1:
                self.text(html[pos:])
                break
            self.text(html[pos:lt])
            pos = self._markup(lt)
        self._close_through(0)
        return "".join(self.out)

    def _markup(self, lt: int) -> int:
        """Read the markup at ``lt`` (a "<"); return where the text resumes."""
        html = self.html
        following = html[lt + 1 : lt + 2]
        if following == "!":
            if html.startswith("<!--", lt):
                if html.startswith(">", lt + 4) or html.startswith("->", lt + 4):
                    return html.find(">", lt + 4) + 1
                end = _COMMENT_END.search(html, lt + 4)
                return len(html) if end is None else end.end()
            close = html.find(">", lt)
            return len(html) if close == -1 else close + 1  # doctype, bogus
        if following == "?":
            close = html.find(">", lt)
            return len(html) if close == -1 else close + 1
        if following == "/":
            if html.startswith(">", lt + 2):
                return lt + 3
            letter = html[lt + 2 : lt + 3]
            if not (letter.isascii() and letter.isalpha()):
                close = html.find(">", lt)
                return len(html) if close == -1 else close + 1
            tag = self._tag(lt + 2)
            if tag is None:
                return len(html)
            name, _, end = tag
            self.end(name)
            return end
        if following.isascii() and following.isalpha():
            tag = self._tag(lt + 1)
            if tag is None:
                return len(html)
            name, attrs, end = tag
            if name in RAW_TEXT or name in ESCAPABLE_RAW_TEXT or name == "plaintext":
                return self._raw_text(name, end)
            self.start(name, attrs)
            return end
        self.out.append("&lt;")
        return lt + 1

    def _tag(self, pos: int):
        """Read a tag's name and attributes; None if the HTML ends inside it."""
        html = self.html
        size = len(html)
        name_match = _TAG_NAME.match(html, pos)
        name = name_match.group().lower()
        pos = name_match.end()
        attrs: dict[str, str] = {}
        while True:
            pos = _SKIP.match(html, pos).end()
            if pos >= size:
                return None
            if html[pos] == ">":
                return name, list(attrs.items()), pos + 1
            key_match = _ATTR_NAME.match(html, pos)
            key = key_match.group().lower()
            pos = _SPACES.match(html, key_match.end()).end()
            value = ""
            if html.startswith("=", pos):
                pos = _SPACES.match(html, pos + 1).end()
                quote = html[pos : pos + 1]
                if quote in ('"', "'"):
                    close = html.find(quote, pos + 1)
                    if close == -1:
                        return None
                    value = html[pos + 1 : close]
                    pos = close + 1
                else:
                    unquoted = _UNQUOTED.match(html, pos)
                    value = unquoted.group()
                    pos = unquoted.end()
            if key not in attrs and len(attrs) < MAX_ATTRIBUTES:
                attrs[key] = value

    def _raw_text(self, name: str, pos: int) -> int:
        """Text up to the element's end tag: dropped, or kept as text."""
        html = self.html
        if name == "plaintext":
            end = content_end = len(html)
        else:
            closing = re.compile(rf"</{name}(?=[{_SPACE}/>])", re.IGNORECASE)
            found = closing.search(html, pos)
            if found is None:
                end = content_end = len(html)
            else:
                content_end = found.start()
                close = html.find(">", found.end())
                end = len(html) if close == -1 else close + 1
        if name not in DROPPED_WITH_CONTENT:
            content = html[pos:content_end]
            if name in ESCAPABLE_RAW_TEXT:
                self.out.append(content.replace("<", "&lt;").replace(">", "&gt;"))
            else:
                self.out.append(_escape_text(content))
        return end


def balance(html: str, *, tags, max_depth: int) -> str:
    """``html`` with only ``tags``, well nested, at most ``max_depth`` deep."""
    return _Balancer(html, frozenset(tags), max_depth).run()

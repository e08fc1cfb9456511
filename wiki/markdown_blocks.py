"""Python-Markdown's block parser, made linear in the size of a block.

Python-Markdown parses a block (the lines between blank lines) by letting a
processor take what it recognises at the start or in the middle of the block
and handing the rest back as a new block: a heading, a rule, a setext
heading, a code block, a link definition.  Each time, the rest is copied, and
the next processors search the whole of it again (for a heading on any line,
a rule on any line, a quote on any line) or split it into lines (tables).  A
block of n such lines costs n²: 100 KB of ``# a`` lines took a minute.

Here the rest of a block is a view of the block it came from, and those
searches remember where they found (or did not find) a match, so a block is
read a bounded number of times.  Processors that take a whole block (lists,
tables, paragraphs, quotes) get it as a string, exactly as before.  The
parse itself, and so the output, is Python-Markdown's.
"""

import re
import xml.etree.ElementTree as etree
from itertools import chain

from markdown import util
from markdown.blockprocessors import (
    BlockQuoteProcessor,
    CodeBlockProcessor,
    EmptyBlockProcessor,
    HashHeaderProcessor,
    HRProcessor,
    ListIndentProcessor,
    OListProcessor,
    ParagraphProcessor,
    ReferenceProcessor,
    SetextHeaderProcessor,
    UListProcessor,
)
from markdown.extensions.sane_lists import SaneOListProcessor, SaneUListProcessor
from markdown.extensions.tables import PIPE_LEFT, PIPE_NONE, PIPE_RIGHT, TableProcessor

_NON_SPACE = re.compile(r"\S")


class _View:
    """``root[start:end]`` without copying it; views start at a line start."""

    __slots__ = ("root", "start", "end", "_text")

    def __init__(self, root: str, start: int, end: int):
        self.root = root
        self.start = start
        self.end = end
        self._text = None

    def text(self) -> str:
        if self._text is None:
            if self.start == 0 and self.end == len(self.root):
                self._text = self.root
            else:
                self._text = self.root[self.start : self.end]
        return self._text

    def __len__(self) -> int:
        return self.end - self.start

    def line_end(self, pos: int) -> int:
        """The end of the line at ``pos`` (a newline's position, or the end)."""
        found = self.root.find("\n", pos, self.end)
        return self.end if found == -1 else found

    def has_text(self, start: int, end: int) -> bool:
        """``bool(root[start:end].strip())``."""
        return _NON_SPACE.search(self.root, start, end) is not None


def _view(root, start: int, end: int):
    if isinstance(root, _View):
        return _View(root.root, start, end)
    return _View(root, start, end)


def _as_view(block) -> _View:
    return block if isinstance(block, _View) else _View(block, 0, len(block))


class _Blocks:
    """The blocks left to parse, first one last: ``pop(0)`` and ``insert(0)``
    cost O(1) (on a list they move every other block)."""

    __slots__ = ("_reversed",)

    def __init__(self, blocks):
        self._reversed = list(reversed(blocks))

    def __len__(self) -> int:
        return len(self._reversed)

    def __bool__(self) -> bool:
        return bool(self._reversed)

    def __iter__(self):
        return reversed(self._reversed)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            return self._reversed[-1 - index]
        return self._reversed[len(self._reversed) - 1 - index]

    def __setitem__(self, index: int, value) -> None:
        if index < 0:
            self._reversed[-1 - index] = value
        else:
            self._reversed[len(self._reversed) - 1 - index] = value

    def pop(self, index: int = -1):
        if index == 0:
            return self._reversed.pop()
        if index == -1:
            return self._reversed.pop(0)
        return self._reversed.pop(len(self._reversed) - 1 - index)

    def insert(self, index: int, value) -> None:
        if index == 0:
            self._reversed.append(value)
        else:
            self._reversed.insert(len(self._reversed) - index, value)


class _Searches:
    """Leftmost matches of a pattern in views, remembered between views.

    After a match at ``q`` is found searching from ``p``, any search from
    ``p..q`` in the same string (up to the same end) finds ``q`` again.
    """

    def __init__(self):
        self._memo: dict = {}

    def search(self, regex: re.Pattern, view: _View):
        key = (id(regex), id(view.root), view.end)
        memo = self._memo.get(key)
        if memo is not None:
            root, since, found = memo
            if (
                root is view.root
                and since <= view.start
                and (found is None or found.start() >= view.start)
            ):
                return found
        found = regex.search(view.root, view.start, view.end)
        self._memo[key] = (view.root, view.start, found)
        return found


def _multiline(regex: re.Pattern) -> re.Pattern:
    """``regex`` with ``^`` matching at a view's start (a line start)."""
    return re.compile(regex.pattern, regex.flags | re.MULTILINE)


def _always(processor, parent, view) -> bool:
    return True


class LinearBlockParsing:
    """Replaces ``md.parser.parseBlocks`` (see the module docstring)."""

    def __init__(self, parser):
        self.parser = parser
        self.searches = _Searches()
        self._patterns: dict[int, re.Pattern] = {}
        self._hr_match: dict[int, re.Match] = {}
        self._dispatch = {
            EmptyBlockProcessor: (self._empty_test, self._empty_run),
            ListIndentProcessor: (self._indent_test, None),
            CodeBlockProcessor: (self._indent_test, self._code_run),
            TableProcessor: (self._table_test, None),
            HashHeaderProcessor: (self._hash_test, self._hash_run),
            SetextHeaderProcessor: (self._setext_test, self._setext_run),
            HRProcessor: (self._hr_test, self._hr_run),
            BlockQuoteProcessor: (self._quote_test, self._quote_run),
            OListProcessor: (self._list_test, None),
            UListProcessor: (self._list_test, None),
            SaneOListProcessor: (self._list_test, None),
            SaneUListProcessor: (self._list_test, None),
            ReferenceProcessor: (_always, self._reference_run),
            ParagraphProcessor: (_always, None),
        }

    def install(self) -> None:
        self.parser.parseBlocks = self.parse_blocks

    def _handlers(self, processor):
        # Only Python-Markdown's own processors: a subclass may test or run
        # differently, and then gets the block as a string.
        return self._dispatch.get(type(processor))

    def _pattern(self, regex: re.Pattern) -> re.Pattern:
        key = id(regex)
        if key not in self._patterns:
            self._patterns[key] = _multiline(regex)
        return self._patterns[key]

    def parse_blocks(self, parent, blocks) -> None:
        blocks = blocks if isinstance(blocks, _Blocks) else _Blocks(blocks)
        processors = list(self.parser.blockprocessors)
        handlers = [self._handlers(p) for p in processors]
        while blocks:
            block = blocks[0]
            view = block if isinstance(block, _View) else None
            for processor, handler in zip(processors, handlers, strict=True):
                if handler is None:
                    if isinstance(block, _View):
                        blocks[0] = block = block.text()
                    if not processor.test(parent, block):
                        continue
                    outcome = processor.run(parent, blocks)
                else:
                    test, run = handler
                    if view is None:
                        view = _View(block, 0, len(block))
                    if not test(processor, parent, view):
                        continue
                    if run is None:  # it takes the whole block: give it text
                        blocks[0] = view.text()
                        outcome = processor.run(parent, blocks)
                    else:
                        blocks[0] = view
                        outcome = run(processor, parent, blocks)
                if outcome is not False:
                    break
                if not blocks:
                    break
                block = blocks[0]
                view = block if isinstance(block, _View) else None

    # Tests on views -------------------------------------------------------

    def _empty_test(self, processor, parent, view: _View) -> bool:
        return not len(view) or view.root[view.start] == "\n"

    def _indent_test(self, processor, parent, view: _View) -> bool:
        head = view.root[view.start : min(view.start + processor.tab_length, view.end)]
        if not isinstance(processor, ListIndentProcessor):
            return head == " " * processor.tab_length
        return processor.test(parent, head)

    def _list_test(self, processor, parent, view: _View) -> bool:
        return bool(self._pattern(processor.RE).match(view.root, view.start, view.end))

    def _setext_test(self, processor, parent, view: _View) -> bool:
        return bool(processor.RE.match(view.root, view.start, view.end))

    def _hash_test(self, processor, parent, view: _View) -> bool:
        return bool(self.searches.search(self._pattern(processor.RE), view))

    def _hr_test(self, processor, parent, view: _View) -> bool:
        match = self.searches.search(processor.SEARCH_RE, view)
        if match:
            self._hr_match[id(processor)] = match
            processor.match = match
            return True
        return False

    def _quote_test(self, processor, parent, view: _View) -> bool:
        return (
            bool(self.searches.search(self._pattern(processor.RE), view))
            and not util.nearing_recursion_limit()
        )

    def _table_test(self, processor, parent, view: _View) -> bool:
        # TableProcessor.test, reading only the lines it looks at.
        root, end = view.root, view.end

        def rows():
            pos = view.start
            while True:
                stop = view.line_end(pos)
                yield root[pos:stop].strip(" ")
                if stop >= end:
                    return
                pos = stop + 1

        lines = rows()
        header0 = next(lines)
        second = next(lines, None)
        if second is None:
            return False
        processor.border = PIPE_NONE
        if header0.startswith("|"):
            processor.border |= PIPE_LEFT
        if processor.RE_END_BORDER.search(header0) is not None:
            processor.border |= PIPE_RIGHT
        row = processor._split_row(header0)
        row0_len = len(row)
        is_table = row0_len > 1
        if not is_table and row0_len == 1 and processor.border:
            for candidate in chain([second], lines):
                is_table = candidate.startswith("|")
                if not is_table:
                    is_table = processor.RE_END_BORDER.search(candidate) is not None
                if not is_table:
                    break
        if is_table:
            row = processor._split_row(second)
            is_table = (len(row) == row0_len) and set("".join(row)) <= set("|:- ")
            if is_table:
                processor.separator = row
        return is_table

    # Runs on views ----------------------------------------------------------

    def _empty_run(self, processor, parent, blocks) -> None:
        view = _as_view(blocks.pop(0))
        filler = "\n\n"
        if len(view):
            filler = "\n"
            if len(view) > 1:
                blocks.insert(0, _view(view, view.start + 1, view.end))
        sibling = processor.lastChild(parent)
        if (
            sibling is not None
            and sibling.tag == "pre"
            and len(sibling)
            and sibling[0].tag == "code"
        ):
            sibling[0].text = util.AtomicString(f"{sibling[0].text}{filler}")

    def _detab(self, processor, view: _View) -> tuple[str, int]:
        """``detab``: the code lines' text, and where the rest starts."""
        length = processor.tab_length
        indent = " " * length
        lines = []
        pos = view.start
        root = view.root
        while True:
            stop = view.line_end(pos)
            if root.startswith(indent, pos, stop):
                lines.append(root[pos + length : stop])
            elif not view.has_text(pos, stop):
                lines.append("")
            else:
                return "\n".join(lines), pos
            if stop >= view.end:
                return "\n".join(lines), view.end
            pos = stop + 1

    def _code_run(self, processor, parent, blocks) -> None:
        sibling = processor.lastChild(parent)
        view = _as_view(blocks.pop(0))
        code_text, rest = self._detab(processor, view)
        if (
            sibling is not None
            and sibling.tag == "pre"
            and len(sibling)
            and sibling[0].tag == "code"
        ):
            code = sibling[0]
            code.text = util.AtomicString(
                f"{code.text}\n{util.code_escape(code_text.rstrip())}\n"
            )
        else:
            pre = etree.SubElement(parent, "pre")
            code = etree.SubElement(pre, "code")
            code.text = util.AtomicString(f"{util.code_escape(code_text.rstrip())}\n")
        if rest < view.end:
            blocks.insert(0, _view(view, rest, view.end))

    def _hash_run(self, processor, parent, blocks) -> None:
        view = _as_view(blocks.pop(0))
        m = self.searches.search(self._pattern(processor.RE), view)
        if m:
            if m.start() > view.start:
                self.parser.parseBlocks(parent, [_view(view, view.start, m.start())])
            h = etree.SubElement(parent, f"h{len(m.group('level'))}")
            h.text = m.group("header").strip()
            if m.end() < view.end:
                after = _view(view, m.end(), view.end)
                if self.parser.state.isstate("looselist"):
                    after = processor.looseDetab(after.text())
                blocks.insert(0, after)

    def _setext_run(self, processor, parent, blocks) -> None:
        view = _as_view(blocks.pop(0))
        first_end = view.line_end(view.start)
        second_end = view.line_end(first_end + 1)
        level = 1 if view.root.startswith("=", first_end + 1) else 2
        h = etree.SubElement(parent, f"h{level}")
        h.text = view.root[view.start : first_end].strip()
        if second_end < view.end:
            blocks.insert(0, _view(view, second_end + 1, view.end))

    def _hr_run(self, processor, parent, blocks) -> None:
        view = _as_view(blocks.pop(0))
        match = self._hr_match.pop(id(processor))
        before_end = match.start()
        while before_end > view.start and view.root[before_end - 1] == "\n":
            before_end -= 1
        if before_end > view.start:
            self.parser.parseBlocks(parent, [_view(view, view.start, before_end)])
        etree.SubElement(parent, "hr")
        after = match.end()
        while after < view.end and view.root[after] == "\n":
            after += 1
        if after < view.end:
            blocks.insert(0, _view(view, after, view.end))

    def _quote_run(self, processor, parent, blocks) -> None:
        view = _as_view(blocks.pop(0))
        m = self.searches.search(self._pattern(processor.RE), view)
        self.parser.parseBlocks(parent, [_view(view, view.start, m.start())])
        # The rest of BlockQuoteProcessor.run: the quote takes the whole rest.
        rest = view.root[m.start() : view.end]
        block = "\n".join(processor.clean(line) for line in rest.split("\n"))
        sibling = processor.lastChild(parent)
        if sibling is not None and sibling.tag == "blockquote":
            quote = sibling
        else:
            quote = etree.SubElement(parent, "blockquote")
        self.parser.state.set("blockquote")
        self.parser.parseChunk(quote, block)
        self.parser.state.reset()

    def _reference_run(self, processor, parent, blocks):
        view = _as_view(blocks.pop(0))
        regex = processor.RE
        m = self.searches.search(regex, view)
        if not m:
            blocks.insert(0, view)
            return False
        root = view.root
        start = end = m.start()
        for m in regex.finditer(root, start, view.end):
            if m.start() > start and (
                root[end : m.start()].strip("\n") or "\n" in m.group()
            ):
                break
            id = m.group(1).strip().lower()
            link = m.group(2).lstrip("<").rstrip(">")
            title = m.group(5) or m.group(6)
            self.parser.md.references[id] = (link, title)
            end = m.end()
        if view.has_text(end, view.end):
            after = end
            while after < view.end and root[after] == "\n":
                after += 1
            blocks.insert(0, _view(view, after, view.end))
        if view.has_text(view.start, start):
            before_end = start
            while before_end > view.start and root[before_end - 1] == "\n":
                before_end -= 1
            blocks.insert(0, _view(view, view.start, before_end))
        return True


def _list_items(processor, block: str) -> list[str]:
    """``OListProcessor.get_items``, gathering each item's lines before joining
    them (joining line by line copies a long item once per line)."""
    items: list[list[str]] = []
    indent = " " * processor.tab_length
    for line in block.split("\n"):
        m = processor.CHILD_RE.match(line)
        if m:
            if not items and processor.TAG == "ol":
                processor.STARTSWITH = re.match(r"(\d+)", m.group(1)).group()
            items.append([m.group(3)])
        elif processor.INDENT_RE.match(line):
            if items[-1][0].startswith(indent):
                items[-1].append(line)
            else:
                items.append([line])
        else:
            items[-1].append(line)
    return ["\n".join(item) for item in items]


def install(md) -> None:
    """Make ``md``'s block parser linear (see the module docstring)."""
    LinearBlockParsing(md.parser).install()
    for processor in md.parser.blockprocessors:
        if type(processor) in (
            OListProcessor,
            UListProcessor,
            SaneOListProcessor,
            SaneUListProcessor,
        ):
            processor.get_items = lambda block, p=processor: _list_items(p, block)

"""Python-Markdown in linear time and bounded depth (``LinearExtension``).

Python-Markdown applies each inline pattern to a paragraph by searching from
the last match, re-building the whole paragraph string around every match,
and several of its patterns scan to the end of the paragraph from every
candidate (the text of ``[`` up to its ``]``, the target of ``](``, the close
of a code span, the next emphasis delimiter).  A paragraph of n characters
with n candidates therefore costs n²: ``"[" * 4000`` took four seconds.

This module keeps Python-Markdown's behaviour and replaces those parts:

- ``LinearInlineProcessor`` (the "inline" and "smarty" tree processors) sweeps
  each pattern over an unchanging string and joins the result once.  A match
  sees the text exactly as Python-Markdown would have shown it: the only
  difference, a placeholder instead of the previous match just before the
  search position, matters only to look-behind assertions, which are
  evaluated at that one position as Python-Markdown would have.
- The ``[`` patterns find the closing bracket and the end of ``(target)``
  from tables built once per string; code spans find their closing run of
  backticks from an index of runs; emphasis jumps between delimiters.

The extension also installs the linear block parsing of
``wiki/markdown_blocks.py`` and raw-HTML extraction of ``wiki/markdown_html.py``,
and bounds nesting: ``NestingLimiter`` turns list and quote markers past the
limit into text before the (recursive) block parser sees them, and
``DepthGuard`` turns elements nested past four times that into their text
before the (recursive) tree processors and serializer see them.

Behaviour is checked against Python-Markdown itself by
``tests/wiki/test_markdown_linear.py``; where Python-Markdown 3.11 loses its
place after a cached emphasis match (``**x *a* snake_case *b*`` renders
"snake<em>c</em>se"), this module renders what it meant.
"""

import re
import xml.etree.ElementTree as etree
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from typing import Any

from markdown import util
from markdown.blockprocessors import HRProcessor
from markdown.extensions import Extension
from markdown.extensions.smarty import SubstituteTextPattern
from markdown.inlinepatterns import (
    BacktickInlineProcessor,
    DelimiterProcessor,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    InlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
    dequote,
)
from markdown.preprocessors import HtmlBlockPreprocessor, Preprocessor
from markdown.treeprocessors import Treeprocessor

from wiki import markdown_blocks
from wiki.markdown_html import LinearHtmlBlockPreprocessor

# Inline markup nests this deep at most (a link in emphasis in a link ...);
# deeper text is left as it is rather than recursing further.
MAX_INLINE_DEPTH = 40

_PLACEHOLDER_END = util.ETX  # the last character of every inline placeholder
_TICK = re.compile(r"(\\\\)?`")  # a backtick, with no escaped backslashes (group 1)


class _BridgeMatch:
    """A match found in a short copy of the text, with positions of the text."""

    def __init__(self, match: re.Match, shift: int):
        self._match = match
        self._shift = shift
        self.lastgroup = match.lastgroup
        self.re = match.re

    def group(self, *groups):
        return self._match.group(*groups)

    def groups(self, default=None):
        return self._match.groups(default)

    def start(self, group=0):
        start = self._match.start(group)
        return start if start < 0 else start + self._shift

    def end(self, group=0):
        end = self._match.end(group)
        return end if end < 0 else end + self._shift


def _bridge_match(regex: re.Pattern, data: str, pos: int, width: int):
    """Match ``regex`` at ``pos`` as if a placeholder ended just before it."""
    bridge = _PLACEHOLDER_END + data[pos : pos + width]
    match = regex.match(bridge, 1)
    return None if match is None else _BridgeMatch(match, pos - 1)


def _has_lookbehind(regex: re.Pattern) -> bool:
    return "(?<" in regex.pattern or r"\b" in regex.pattern or r"\B" in regex.pattern


class LinearInlineProcessor(Treeprocessor):
    """Python-Markdown's ``treeprocessors.InlineProcessor``, in linear time.

    The algorithm and its results are Python-Markdown's; the string
    re-building, the list scans (``list.index``, ``list.pop(0)``, inserting
    children one by one) and the string concatenations are replaced.
    """

    def __init__(self, md, patterns=None):
        self.md = md
        self.inlinePatterns = patterns if patterns is not None else md.inlinePatterns
        self.ancestors: list[str] = []
        self.stashed_nodes: dict[str, Any] = {}
        self.parent_map: dict = {}
        self._boundary_width: dict[int, int] = {}

    # Placeholders -----------------------------------------------------------

    def _stash(self, node) -> str:
        key = f"{len(self.stashed_nodes):04d}"
        self.stashed_nodes[key] = node
        return util.INLINE_PLACEHOLDER % key

    # Applying the patterns to a string --------------------------------------

    def _handle_inline(self, data: str, pattern_index: int = 0, depth: int = 0):
        if isinstance(data, util.AtomicString) or depth > MAX_INLINE_DEPTH:
            return data
        patterns = self._patterns
        if not self._any_from(pattern_index).search(data):
            return data  # most text nodes: no pattern can match anywhere
        for index in range(pattern_index, len(patterns)):
            if self._regexes[index].search(data) is not None:
                data = self._sweep(patterns[index], data, index, depth)
        return data

    def _any_from(self, pattern_index: int) -> re.Pattern:
        """One expression matching wherever any pattern from the index could."""
        union = self._unions.get(pattern_index)
        if union is None:
            regexes = [p.getCompiledRegExp() for p in self._patterns[pattern_index:]]
            try:
                union = re.compile(
                    "|".join(f"(?:{r.pattern})" for r in regexes) or "(?!)",
                    re.DOTALL | re.UNICODE,
                )
                if any(r.flags & ~(re.DOTALL | re.UNICODE) for r in regexes):
                    raise re.error("flags differ")
            except re.error:
                union = re.compile("")  # always matches: apply every pattern
            self._unions[pattern_index] = union
        return union

    def _boundary_handler(self, pattern):
        """How to match ``pattern`` right after one of its own matches."""
        key = id(pattern)
        if key in self._boundary_width:
            return self._boundary_width[key]
        regex = pattern.getCompiledRegExp()
        if hasattr(pattern, "boundary_match") or not _has_lookbehind(regex):
            width = 0
        elif isinstance(pattern, SubstituteTextPattern):
            from re import _parser  # the width of what the pattern can match

            width = _parser.parse(regex.pattern, regex.flags).getwidth()[1] + 8
            if width > 100:  # a copy per match would be quadratic again
                raise TypeError(f"{pattern.type()} matches too much to bridge")
        else:
            raise TypeError(
                f"{pattern.type()} looks behind its match; give it a boundary_match()"
            )
        self._boundary_width[key] = width
        return width

    def _first_match(self, pattern, regex, src: str, pos: int, boundary: int):
        """The first match from ``pos`` that ``pattern`` accepts, handled."""
        if pos == boundary and pos < len(src):
            # Python-Markdown sees a placeholder before ``pos``; our ``src``
            # still has the previous match there.
            width = self._boundary_handler(pattern)
            here = NotImplemented
            if hasattr(pattern, "boundary_match"):
                here = pattern.boundary_match(src, pos)
            elif width:
                here = _bridge_match(regex, src, pos, width)
            if here is not NotImplemented:
                if here is not None:
                    node, start, end = pattern.handleMatch(here, src)
                    if start is not None and end is not None:
                        return node, start, end
                    pos = max(here.end(0), pos + 1)
                else:
                    pos += 1
        for match in regex.finditer(src, pos):
            node, start, end = pattern.handleMatch(match, src)
            if start is not None and end is not None:
                return node, start, end
        return None

    def _sweep(self, pattern, data: str, pattern_index: int, depth: int) -> str:
        for exclude in pattern.ANCESTOR_EXCLUDES:
            if exclude.lower() in self.ancestors:
                return data
        if not isinstance(pattern, InlineProcessor):
            raise TypeError(f"{pattern.type()} is an old-style Pattern")
        if pattern.getCompiledRegExp().search(data) is None:
            return data
        saved = pattern.sweep_enter() if hasattr(pattern, "sweep_enter") else None
        try:
            return self._sweep_string(pattern, data, pattern_index, depth)
        finally:
            if saved is not None:
                pattern.sweep_exit(saved)

    def _sweep_string(self, pattern, data: str, pattern_index: int, depth: int) -> str:
        """Apply ``pattern`` to ``data`` from left to right, once."""
        regex = pattern.getCompiledRegExp()
        if regex.search(data) is None:
            return data
        keeps_boundary = hasattr(pattern, "sweep_boundary")
        src = data
        size = len(src)
        out: list[str] = []
        emitted = pos = 0
        boundary = -1
        while pos <= size:
            if keeps_boundary:
                pattern.sweep_boundary = boundary
            found = self._first_match(pattern, regex, src, pos, boundary)
            if found is None:
                break
            node, start, end = found
            if end < 0:
                end += size
            if node is None:
                pos = end
                continue
            if start < emitted or end < start:
                raise AssertionError(f"{pattern.type()} matched out of order")
            if not isinstance(node, str) and not isinstance(
                node.text, util.AtomicString
            ):
                for child in [node, *node]:
                    if child.text:
                        self.ancestors.append(child.tag.lower())
                        child.text = self._handle_inline(
                            child.text, pattern_index + 1, depth + 1
                        )
                        self.ancestors.pop()
                    if child.tail:
                        child.tail = self._handle_inline(
                            child.tail, pattern_index, depth + 1
                        )
            out.append(src[emitted:start])
            out.append(self._stash(node))
            emitted = pos = boundary = end
        if keeps_boundary:
            pattern.sweep_boundary = -1
        if not out:
            return data
        out.append(src[emitted:])
        return "".join(out)

    # Turning placeholders back into elements --------------------------------

    def _process_placeholders(self, data, parent, is_text: bool = True):
        """Python-Markdown's ``__processPlaceholders``: text and elements."""
        result: list[tuple[Any, list[str]]] = []
        pending: list[str] = []

        def commit() -> None:
            if not pending:
                return
            if result:
                target, attr = result[-1][0], "tail"
            else:
                target, attr = parent, "text" if is_text else "tail"
            existing = getattr(target, attr)
            if not existing and len(pending) == 1:
                setattr(target, attr, pending[0])
            else:
                setattr(target, attr, (existing or "") + "".join(pending))
            pending.clear()

        prefix = util.INLINE_PLACEHOLDER_PREFIX
        start = 0
        while data:
            index = data.find(prefix, start)
            if index == -1:
                text = data[start:]
                if isinstance(data, util.AtomicString):
                    text = util.AtomicString(text)
                if text:
                    pending.append(text)
                break
            match = util.INLINE_PLACEHOLDER_RE.search(data, index)
            key, end = (match.group(1), match.end()) if match else (None, index + 1)
            if key in self.stashed_nodes:
                node = self.stashed_nodes.get(key)
                if index > 0 and data[start:index]:
                    pending.append(data[start:index])
                if isinstance(node, str):
                    pending.append(node)
                    start = end
                    continue
                self._expand_element(node)
                start = end
                commit()
                result.append((node, self.ancestors[:]))
            else:
                end = index + len(prefix)
                if data[start:end]:
                    pending.append(data[start:end])
                start = end
        commit()
        return result

    def _expand_text(self, subnode, is_text: bool) -> list:
        if is_text:
            text, subnode.text = subnode.text, None
        else:
            text, subnode.tail = subnode.tail, None
        return [node for node, _ in self._process_placeholders(text, subnode, is_text)]

    def _expand_element(self, node) -> None:
        """Expand placeholders in a stashed element's text, tail and children."""
        children = list(node)
        front: list = []
        after: dict[int, list] = {}
        for child in [node, *children]:
            if child.tail and child.tail.strip():
                nodes = self._expand_text(child, is_text=False)
                if child is node:
                    front = nodes + front
                elif nodes:
                    after[id(child)] = nodes
            if child.text and child.text.strip():
                nodes = self._expand_text(child, is_text=True)
                if child is node:
                    front = nodes + front
                elif nodes:
                    child[:0] = nodes
        if front or after:
            rebuilt = list(front)
            for child in children:
                rebuilt.append(child)
                rebuilt.extend(after.get(id(child), ()))
            node[:] = rebuilt

    # The tree walk ----------------------------------------------------------

    def _build_ancestors(self, parent, parents: list[str]) -> None:
        ancestors = []
        while parent is not None:
            ancestors.append(parent.tag.lower())
            parent = self.parent_map.get(parent)
        ancestors.reverse()
        parents.extend(ancestors)

    def run(self, tree, ancestors=None):
        self.stashed_nodes = {}
        self._patterns = list(self.inlinePatterns)
        self._regexes = [pattern.getCompiledRegExp() for pattern in self._patterns]
        self._unions: dict[int, re.Pattern] = {}
        tree_parents = [] if ancestors is None else ancestors[:]
        self.parent_map = {c: p for p in tree.iter() for c in p}
        stack = deque([(tree, tree_parents)])
        self._build_ancestors(tree, tree_parents)
        while stack:
            current, parents = stack.popleft()
            self.ancestors = parents
            if current is not tree:
                self.ancestors.append(current.tag.lower())
            insert_queue = []
            # Python-Markdown walks the children while inserting the elements
            # found in their tails right after them; those are walked too.
            to_visit = deque(current)
            children = []
            while to_visit:
                child = to_visit.popleft()
                children.append(child)
                if child.text and not isinstance(child.text, util.AtomicString):
                    self.ancestors.append(child.tag.lower())
                    text, child.text = child.text, None
                    found = self._process_placeholders(self._handle_inline(text), child)
                    for node, _ in found:
                        self.parent_map[node] = child
                    stack.extend(found)
                    insert_queue.append((child, found))
                    self.ancestors.pop()
                if child.tail:
                    tail = self._handle_inline(child.tail)
                    dummy = etree.Element("d")
                    child.tail = None
                    found = self._process_placeholders(tail, dummy, False)
                    if dummy.tail:
                        child.tail = dummy.tail
                    for node, _ in found:
                        self.parent_map[node] = current
                    to_visit.extendleft(node for node, _ in reversed(found))
                if len(child):
                    self.parent_map[child] = current
                    stack.append((child, self.ancestors[:]))
            if len(children) != len(current):
                current[:] = children
            for element, found in insert_queue:
                if found:
                    element[:0] = [node for node, _ in found]
        return tree


# Code spans -----------------------------------------------------------------


class _TickRuns:
    """The maximal runs of backticks in a string, to pair code spans quickly."""

    def __init__(self, text: str):
        self.starts: list[int] = []
        self.lengths: list[int] = []
        by_length: dict[int, list[int]] = defaultdict(list)
        for run in re.finditer("`+", text):
            by_length[len(run.group())].append(len(self.starts))
            self.starts.append(run.start())
            self.lengths.append(len(run.group()))
        self.by_length = by_length
        # For each run, the first of the longest runs from it to the end.
        count = len(self.starts)
        self.longest_from = [0] * count
        best = -1
        for index in range(count - 1, -1, -1):
            if best < 0 or self.lengths[index] >= self.lengths[best]:
                best = index
            self.longest_from[index] = best

    def find(self, start: int, ticks: int) -> tuple[int, int | None]:
        """``BacktickInlineProcessor.find_code_spans`` after the opening run."""
        first = bisect_left(self.starts, start)
        same = self.by_length.get(ticks, ())
        at = bisect_left(same, first)
        if at < len(same):
            return start, self.starts[same[at]]
        if first < len(self.starts):
            longest = self.longest_from[first]
            length = self.lengths[longest]
            if 0 < length < ticks:
                return start - (ticks - length), self.starts[longest]
        return start + ticks, None


class _PerString:
    """A value computed once for the string a sweep is working on."""

    def __init__(self, build):
        self._build = build
        self._text = None
        self._value = None

    def __call__(self, text: str):
        if text is not self._text:
            self._value = self._build(text)
            self._text = text
        return self._value


class LinearBacktickProcessor(BacktickInlineProcessor):
    def __init__(self, pattern: str):
        super().__init__(pattern)
        self._runs = _PerString(_TickRuns)

    def find_code_spans(self, start: int, text: str):
        ticks = 0
        last = len(text)
        while start < last and text[start] == "`":
            ticks += 1
            start += 1
        return self._runs(text).find(start, ticks)

    def boundary_match(self, data: str, pos: int):
        # After escaped backslashes (the pattern's first group) a backtick
        # follows a placeholder, not the backslash that ``data`` still has.
        if data[pos - 1] == "\\" and data.startswith("`", pos):
            return _TICK.match(data, pos)
        return NotImplemented


# Links and images -----------------------------------------------------------


class _LinkIndex:
    """Brackets, parentheses and quotes of a string, for the ``[`` patterns."""

    def __init__(self, text: str):
        self.text = text
        # The ``]`` that closes each ``[`` (as Python-Markdown counts them).
        self.close: dict[int, int] = {}
        openers: list[int] = []
        for bracket in re.finditer(r"[\[\]]", text):
            if bracket.group() == "[":
                openers.append(bracket.start())
            elif openers:
                self.close[openers.pop()] = bracket.start()
        self._parens_built = False

    def _build_parens(self) -> None:
        text = self.text
        self.parens: list[int] = []
        depth = [0]  # depth[k]: "(" minus ")" before the k-th parenthesis
        for paren in re.finditer(r"[()]", text):
            self.parens.append(paren.start())
            depth.append(depth[-1] + (1 if paren.group() == "(" else -1))
        self.depth = depth
        # next_lower[k]: the first j > k with depth[j] < depth[k], or -1.
        self.next_lower = [-1] * len(depth)
        waiting: list[int] = []
        for j, value in enumerate(depth):
            while waiting and depth[waiting[-1]] > value:
                self.next_lower[waiting.pop()] = j
            waiting.append(j)
        self.quotes = [q.start() for q in re.finditer("[\"']", text)]
        self.quote_of = {"'": [], '"': []}
        for position in self.quotes:
            self.quote_of[text[position]].append(position)
        # ")" whose last character before it, other than a space, is a quote;
        # with that character's position.
        self.quoted_closers: list[int] = []
        self.before_closer: dict[int, int] = {}
        for closer in re.finditer(r"\)", text):
            position = closer.start() - 1
            while position >= 0 and text[position] == " ":
                position -= 1
            if position >= 0 and text[position] in "'\"":
                self.quoted_closers.append(closer.start())
                self.before_closer[closer.start()] = position
        self._parens_built = True

    def _next(self, positions: list[int], after: int) -> int:
        at = bisect_right(positions, after)
        return positions[at] if at < len(positions) else -1

    def scan_target(self, start: int):
        """``LinkInlineProcessor.getLink``'s scan of ``(target "title")``.

        ``start`` is just after the ``(`` and any whitespace.  Returns
        ``(href_end, title_span, index, handled)`` as the scan would find them.
        """
        if not self._parens_built:
            self._build_parens()
        text = self.text
        first = bisect_left(self.parens, start)
        lower = self.next_lower[first] if first < len(self.depth) else -1
        closer = self.parens[lower - 1] if lower > 0 else -1
        quote = self._next(self.quotes, start - 1)
        if quote == -1 or (closer != -1 and closer < quote):
            if closer == -1:
                return None, None, len(text), False
            return closer, None, closer + 1, True
        # A quote: from here a title may close the target.
        mark = text[quote]
        other = "'" if mark == '"' else '"'
        other_first = self._next(self.quote_of[other], quote)
        at = bisect_right(self.quoted_closers, quote)
        while at < len(self.quoted_closers):
            candidate = self.quoted_closers[at]
            before = self.before_closer[candidate]
            if before > quote:
                if text[before] == mark:
                    return quote, (quote + 1, before), candidate + 1, True
                if other_first != -1 and before > other_first:
                    return other_first, (other_first + 1, before), candidate + 1, True
            at += 1
        # No title closes it: the target ends where the parentheses open
        # before the quote are closed, counting either kind (as Python-Markdown
        # does, including its answer when that is an opening one).
        owed = 1 + self.depth[bisect_left(self.parens, quote)] - self.depth[first]
        settle = bisect_left(self.parens, quote) + owed - 1
        if settle >= len(self.parens):
            return None, None, len(text), False
        position = self.parens[settle]
        if text[position] == ")":
            return position, None, position + 1, True
        return len(text) - 2, None, -1, True


class _LinkMixin:
    """getText and getLink from the string's ``_LinkIndex``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One index per string for all the ``[`` patterns of a Markdown.
        md = self.md
        if not hasattr(md, "linear_link_index"):
            md.linear_link_index = _PerString(_LinkIndex)
        self._index = md.linear_link_index

    def text_end(self, data: str, index: int) -> int:
        """Where the ``]`` closing the ``[`` at ``index - 1`` is, or -1."""
        return self._index(data).close.get(index - 1, -1)

    def getText(self, data: str, index: int):  # noqa: N802 (Markdown's API)
        end = self.text_end(data, index)
        if end == -1:
            return "", len(data), False
        return data[index:end], end + 1, True

    def getLink(self, data: str, index: int):  # noqa: N802 (Markdown's API)
        href = ""
        title = None
        handled = False
        m = self.RE_LINK.match(data, pos=index)
        if m and m.group(1):
            href = m.group(1)[1:-1].strip()
            if m.group(2):
                title = m.group(2)[1:-1]
            index = m.end(0)
            handled = True
        elif m:
            start = m.end()
            href_end, title_span, index, handled = self._index(data).scan_target(start)
            if handled:
                href = data[start:href_end]
                if title_span is not None:
                    title = data[title_span[0] : title_span[1]]
        if title is not None:
            title = self.RE_TITLE_CLEAN.sub(" ", dequote(self.unescape(title.strip())))
        href = self.unescape(href).strip()
        return href, title, index, handled

    def boundary_match(self, data: str, pos: int):
        # Not after "!": a placeholder is not "!", and neither is the ")" or
        # "]" that ends one of these patterns' own matches.
        return NotImplemented


class LinearLinkProcessor(_LinkMixin, LinkInlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        end = self.text_end(data, m.end(0))
        if end == -1:
            return None, None, None
        href, title, index, handled = self.getLink(data, end + 1)
        if not handled:
            return None, None, None
        el = etree.Element("a")
        el.text = data[m.end(0) : end]
        el.set("href", href)
        if title is not None:
            el.set("title", title)
        return el, m.start(0), index


class LinearImageProcessor(_LinkMixin, ImageInlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        end = self.text_end(data, m.end(0))
        if end == -1:
            return None, None, None
        src, title, index, handled = self.getLink(data, end + 1)
        if not handled:
            return None, None, None
        el = etree.Element("img")
        el.set("src", src)
        if title is not None:
            el.set("title", title)
        el.set("alt", self.unescape(data[m.end(0) : end]))
        return el, m.start(0), index


class _ReferenceMixin(_LinkMixin):
    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        text_end = self.text_end(data, m.end(0))
        if text_end == -1:
            return None, None, None
        found = self.find_id(data, text_end + 1, m.end(0), text_end)
        if found is None:
            return None, None, None
        id, end = found
        id = self.NEWLINE_CLEANUP_RE.sub(" ", id)
        if id not in self.md.references:
            return None, m.start(0), end
        href, title = self.md.references[id]
        return self.makeTag(href, title, data[m.end(0) : text_end]), m.start(0), end

    def find_id(self, data, index, text_start, text_end):
        """``evalId``, taking the link text only when it is the id."""
        m = self.RE_LINK.match(data, pos=index)
        if not m:
            return None
        id = m.group(1).lower() or data[text_start:text_end].lower()
        return id, m.end(0)


class _ShortReferenceMixin(_ReferenceMixin):
    def find_id(self, data, index, text_start, text_end):
        return data[text_start:text_end].lower(), index


class LinearReferenceProcessor(_ReferenceMixin, ReferenceInlineProcessor):
    pass


class LinearImageReferenceProcessor(_ReferenceMixin, ImageReferenceInlineProcessor):
    pass


class LinearShortReferenceProcessor(
    _ShortReferenceMixin, ShortReferenceInlineProcessor
):
    pass


class LinearShortImageReferenceProcessor(
    _ShortReferenceMixin, ShortImageReferenceInlineProcessor
):
    pass


# Emphasis -------------------------------------------------------------------


class _CountedStack(deque):
    """A delimiter's stack that knows how many entries have each length.

    Entries are Python-Markdown's ``(start, end, ambiguous, original, current)``;
    the counts are kept by ``(current, original % 3)``, which is all the "rule
    of 3" asks of the entries below the top.
    """

    def __init__(self):
        super().__init__()
        self.counts: dict[tuple[int, int], int] = defaultdict(int)

    def append(self, entry):
        super().append(entry)
        self.counts[entry[-1], entry[3] % 3] += 1

    def pop(self):
        entry = super().pop()
        self.counts[entry[-1], entry[3] % 3] -= 1
        return entry

    def clear(self):
        super().clear()
        self.counts.clear()

    def has_partner_below_top(self, current: int, rule_of_3) -> bool:
        top = self[-1]
        for remainder in range(3):
            if rule_of_3(remainder, current):
                continue
            count = self.counts.get((current, remainder), 0)
            if top[-1] == current and top[3] % 3 == remainder:
                count -= 1
            if count > 0:
                return True
        return False


class LinearDelimiterProcessor(DelimiterProcessor):
    """Python-Markdown's emphasis (``*``, ``_``) processor, in linear time.

    ``handleMatch`` is Python-Markdown 3.11's, with three changes: the next
    delimiter is found by a regular expression instead of a character loop,
    the "rule of 3" asks ``_CountedStack`` instead of scanning the stack, and
    cached matches are returned at their own positions (Python-Markdown
    re-computes an offset that is wrong when another ``*`` or ``_`` lies
    between two cached matches).
    """

    sweep_boundary = -1

    @classmethod
    def replacing(cls, old: DelimiterProcessor, md) -> "LinearDelimiterProcessor":
        tokens = list(old.tokens)
        first = old.delimiters[tokens[0]]
        new = cls(tokens[0], ",".join(first.tags[: first.tag_count]), md)
        new.delimiters.clear()
        new.tokens.clear()
        for token in tokens:
            delim = old.delimiters[token]
            tags = ",".join(delim.tags[: delim.tag_count])
            new.add(token, tags, smart=delim.smart, double=delim.double)
        return new

    def add(self, token, tags, smart=False, double=False):
        super().add(token, tags, smart, double)
        self.delimiters[token].stack = _CountedStack()

    def reset(self):
        super().reset()
        self.stack = []

    def sweep_enter(self):
        saved = (
            self.regions,
            self.stack,
            self.cache_index,
            self.cache_pos,
            {token: d.stack for token, d in self.delimiters.items()},
        )
        self.regions, self.stack = [], []
        self.cache_index = self.cache_pos = 0
        for delim in self.delimiters.values():
            delim.stack = _CountedStack()
        return saved

    def sweep_exit(self, saved) -> None:
        self.regions, self.stack, self.cache_index, self.cache_pos, stacks = saved
        for token, stack in stacks.items():
            self.delimiters[token].stack = stack

    def increment_next_position(self, start: int, count: int) -> None:
        self.cache_index += count
        if self.cache_index >= len(self.regions):
            self.reset()

    def get_cached_result(self, pos: int, data: str):
        start, end = (
            self.regions[self.cache_index][0],
            self.regions[self.cache_index][3],
        )
        el, count = self._build_element(data, self.cache_index, 0)
        self.increment_next_position(start, count)
        return el, start, end

    def get_match(self, data: str, start: int):
        if start != self.sweep_boundary:
            return super().get_match(data, start)
        # A placeholder precedes ``start`` where Python-Markdown looks.
        for delim in self.delimiters.values():
            run = delim.bad.match(data, start)
            if run is None:
                continue
            m = _bridge_match(delim.boundary, data, start, run.end() - start + 2)
            if m is not None:
                return m
        return None

    def search(self, data: str, start: int):
        find = self.compiled_re.search
        found = find(data, start)
        while found is not None:
            i = found.start()
            d = self.delimiters[data[i]]
            m = d.boundary.match(data, i)
            if m is not None:
                if not d.stack and m.lastgroup[0] == "e":
                    found = find(data, i + 1)
                    continue
                return m
            found = find(data, i + 1)
        return None

    # Python-Markdown 3.11.3's DelimiterProcessor.handleMatch (BSD licence),
    # with the rule-of-3 scan replaced; see the class docstring.
    def handleMatch(self, m, data):  # noqa: C901, N802 (Markdown's API)
        if self.regions:
            return self.get_cached_result(m.start(0), data)

        m2 = self.get_match(data, m.start(0))
        if m2 is None or m2.lastgroup[0] == "e":
            if m2 is None:
                delim = self.delimiters[m.group(0)]
                m2 = delim.bad.match(data, m.start(0))
            return None, m2.start(0), m2.end(0)

        token = data[m.start(0)]
        delim = self.delimiters[token]
        stack = delim.stack

        start = m2.start(0)
        end = m2.end(0)
        length = end - start

        if delim.double and length < 2:
            return None, m.start(0), m.end(0)

        is_ambiguous = m2.lastgroup[0] != "s"
        stack.append((start, start + length, is_ambiguous, length, length))

        while any(d.stack for d in self.delimiters.values()):
            m2 = self.search(data, end)
            if m2 is None:
                break

            token = data[m2.start(0)]
            delim = self.delimiters[token]
            stack = delim.stack

            start = m2.start(0)
            end = m2.end(0)

            current = len(m2.group(0))

            is_start = m2.lastgroup[0] != "e"
            is_end = not is_start or m2.lastgroup[0] != "s"
            is_ambiguous = is_start and is_end

            last = stack[-1][-1] if stack else 0

            if (
                stack
                and is_ambiguous
                and current != last
                and self.rule_of_3(stack[-1][3], current)
                and stack.has_partner_below_top(current, self.rule_of_3)
            ):
                last = current

            if (
                stack
                and is_end
                and (
                    (
                        current > last
                        and (
                            not is_ambiguous
                            or not self.rule_of_3(stack[-1][3], current)
                        )
                    )
                    or current == last
                    or current >= 3
                )
            ):
                is_start = False

                original = current
                while stack and current and last <= current:
                    delimiter = stack.pop()

                    size = min(
                        delimiter[-1],
                        1
                        if delim.tag_count == 2 and delimiter[-1] == 3
                        else delim.max_size,
                    )
                    self.add_region(
                        delim,
                        delimiter[1] - size,
                        delimiter[1],
                        start,
                        start + size,
                        size,
                    )
                    start += size
                    current -= size
                    new = 0
                    if size < delimiter[-1] and (
                        not delim.double or (delimiter[-1] - size) != 1
                    ):
                        new = delimiter[-1] - size
                        stack.append(
                            (
                                delimiter[0],
                                delimiter[1] - size,
                                delimiter[2],
                                delimiter[3],
                                new,
                            )
                        )

                    if not stack:
                        if any(
                            d.stack for d in self.delimiters.values() if d is not delim
                        ):
                            delim.reset()
                            continue
                        is_end = False
                        break

                    last = stack[-1][-1]

                if original >= 3 and current and is_ambiguous:
                    delim.stack.append(
                        (
                            m2.start(0) + (original - current),
                            end,
                            False,
                            original,
                            current,
                        )
                    )
                    is_end = False

                else:
                    is_end = current and stack and last > current

            if stack and is_end and (last >= 3 or not is_ambiguous) and last > current:
                delimiter = stack.pop()

                while stack and delimiter[-1] != 3 and delimiter[2]:
                    delimiter = stack.pop()
                    last = delimiter[-1]

                if delimiter[2] and delimiter[-1] != 3:
                    if any(d.stack for d in self.delimiters.values() if d is not delim):
                        delim.reset()
                        continue
                    break

                is_start = False
                ds, de = delimiter[:2]
                while current and (not delim.double or current != 1):
                    size = min(
                        current,
                        1 if delim.tag_count == 2 and current == 3 else delim.max_size,
                    )
                    new = last - size
                    self.add_region(delim, ds + new, de, start, start + size, size)
                    start += size
                    current -= size
                    last -= size
                    de -= size
                if last and (not delim.double or last > 1):
                    stack.append((ds, de, False, delimiter[3], last))

            if is_start and (not delim.double or current != 1):
                stack.append((start, end, is_ambiguous, current, current))

        for delim in self.delimiters.values():
            self.stack.extend(delim.stack)
        self.stack.sort(key=lambda x: x[0])

        if self.regions:
            self.regions.sort(key=lambda x: x[0])
            start, end = self.regions[0][0], self.regions[0][3]
            el, count = self._build_element(data)
            self.increment_next_position(start, count)
            return el, start, end

        start = m.start(0)
        end = self.stack[-1][1] if self.stack else m.end(0)
        self.reset()
        return None, start, end


# Bounded nesting -------------------------------------------------------------

# A container marker at the start of a line: a quote, or a list item (with the
# spaces before it, which nest it further inside lists).
_CONTAINER = re.compile(r"( *)(>[ ]?|(?:[*+-]|\d+\.)[ ]+)")
_RULE = re.compile(HRProcessor.RE)


def line_depth(line: str, limit: int) -> tuple[int, re.Match | None]:
    """How deep the containers opened at the start of ``line`` nest, up to
    ``limit + 1``; and the marker that goes past ``limit``, if one does."""
    if _RULE.match(line):
        return 0, None  # "- - - -" is a rule, not lists
    depth = pos = 0
    while (marker := _CONTAINER.match(line, pos)) is not None:
        depth += len(marker.group(1)) // 4 + 1
        if depth > limit:
            return depth, marker
        pos = marker.end()
    return depth, None


class NestingLimiter(Preprocessor):
    """Quotes and lists nest at most ``limit`` deep; deeper markers are text.

    Python-Markdown parses each level of nesting recursively, so ``"- " * 500``
    exhausted the stack.  Runs after fenced code and raw HTML are set aside.
    """

    def __init__(self, md, limit: int):
        super().__init__(md)
        self.limit = limit
        self.flattened = 0
        self.first: str | None = None  # the first line made flatter

    def run(self, lines: list[str]) -> list[str]:
        self.flattened = 0
        self.first = None
        return [self.limit_line(line) for line in lines]

    def limit_line(self, line: str) -> str:
        _, marker = line_depth(line, self.limit)
        if marker is None:
            return line
        self.flattened += 1
        if self.first is None:
            self.first = line
        text = marker.group(2)
        at = text.index(".") if text[0].isdigit() else 0
        # The marker becomes text in the deepest container allowed.
        return line[: marker.start()] + text[:at] + "\\" + line[marker.start(2) + at :]


class DepthGuard(Treeprocessor):
    """Elements nest at most ``limit`` deep: deeper ones become their text.

    Emphasis can nest without bound (``"*a " * n + "b*" * n``); the tree
    processors and the serializer after this one recurse through the tree.
    """

    def __init__(self, md, limit: int):
        super().__init__(md)
        self.limit = limit
        self.flattened = 0

    def run(self, root):
        self.flattened = 0
        stack = [(root, 0)]
        while stack:
            element, depth = stack.pop()
            if depth >= self.limit and len(element):
                element.text = "".join(element.itertext())
                element[:] = []
                self.flattened += 1
                continue
            stack.extend((child, depth + 1) for child in element)


# Putting it together ----------------------------------------------------------

_REPLACEMENTS = {
    "backtick": (BacktickInlineProcessor, LinearBacktickProcessor),
    "reference": (ReferenceInlineProcessor, LinearReferenceProcessor),
    "link": (LinkInlineProcessor, LinearLinkProcessor),
    "image_link": (ImageInlineProcessor, LinearImageProcessor),
    "image_reference": (ImageReferenceInlineProcessor, LinearImageReferenceProcessor),
    "short_reference": (ShortReferenceInlineProcessor, LinearShortReferenceProcessor),
    "short_image_ref": (
        ShortImageReferenceInlineProcessor,
        LinearShortImageReferenceProcessor,
    ),
}


def priority_of(registry: util.Registry, name: str) -> float:
    return next(item.priority for item in registry._priority if item.name == name)


class LinearExtension(Extension):
    """Python-Markdown in linear time and bounded depth (see the docstrings).

    Load it after the other extensions, so that it finds what they added.
    ``max_nesting`` bounds quotes and lists; elements nest at most four times
    that deep.
    """

    def __init__(self, **kwargs):
        self.config = {"max_nesting": [16, "How deep quotes and lists may nest"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        nesting = self.getConfig("max_nesting")
        md.preprocessors.register(NestingLimiter(md, nesting), "nesting_limit", 15)
        md.treeprocessors.register(DepthGuard(md, 4 * nesting), "depth_guard", 19)
        patterns = md.inlinePatterns
        for name, (upstream, linear) in _REPLACEMENTS.items():
            if name in patterns and type(patterns[name]) is upstream:
                old = patterns[name]
                if linear is LinearBacktickProcessor:
                    new = linear(old.pattern)
                else:
                    new = linear(old.pattern, md)
                patterns.register(new, name, priority_of(patterns, name))
        if (
            "em_strong" in patterns
            and type(patterns["em_strong"]) is DelimiterProcessor
        ):
            patterns.register(
                LinearDelimiterProcessor.replacing(patterns["em_strong"], md),
                "em_strong",
                priority_of(patterns, "em_strong"),
            )
        markdown_blocks.install(md)
        if type(md.preprocessors["html_block"]) is HtmlBlockPreprocessor:
            md.preprocessors.register(
                LinearHtmlBlockPreprocessor(md),
                "html_block",
                priority_of(md.preprocessors, "html_block"),
            )
        for name in ("inline", "smarty"):
            if name in md.treeprocessors:
                old = md.treeprocessors[name]
                md.treeprocessors.register(
                    LinearInlineProcessor(md, old.inlinePatterns),
                    name,
                    priority_of(md.treeprocessors, name),
                )

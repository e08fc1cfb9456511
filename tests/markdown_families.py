"""Families of adversarial Markdown, for the renderer's timing test and benchmark.

Each family is a unit repeated (or a text generated) up to a size in characters.
Most are the shapes that made Python-Markdown, our inline syntaxes or the
sanitiser take quadratic time or recurse without bound.
"""

from collections.abc import Callable
from itertools import count


def _repeat(unit: str, tail: str = "") -> Callable[[int], str]:
    def text(size: int) -> str:
        body = (unit * (size // len(unit) + 1))[: size - len(tail)]
        return body + tail

    return text


def _numbered(template: str) -> Callable[[int], str]:
    def text(size: int) -> str:
        parts, length = [], 0
        for number in count():
            part = template.format(number)
            parts.append(part)
            length += len(part)
            if length >= size:
                return "".join(parts)[:size]

    return text


def _halves(first: str, second: str) -> Callable[[int], str]:
    return lambda size: _repeat(first)(size // 2) + _repeat(second)(size - size // 2)


def _ladder(line: Callable[[int], str]) -> Callable[[int], str]:
    """Lines nested one level deeper each, up to 40 levels, again and again."""

    def text(size: int) -> str:
        parts, length = [], 0
        for depth in count():
            part = line(depth % 40)
            parts.append(part)
            length += len(part)
            if length >= size:
                return "".join(parts)[:size]

    return text


# name -> text of a given size
FAMILIES: dict[str, Callable[[int], str]] = {
    "[ run": _repeat("["),
    "[[ run": _repeat("[["),
    "* run": _repeat("*"),
    "_ run": _repeat("_"),
    "backtick run": _repeat("`"),
    "nested list": _repeat("- ", "x"),
    "nested quote": _repeat("> ", "x"),
    "repeated word": _repeat("word "),
    "[@ run": _repeat("[@"),
    "[@? run": _repeat("[@?"),
    "@ run": _repeat("@"),
    "citation needed": _repeat("a[@?] "),
    "citation needed paragraphs": _repeat("a[@?]\n\n"),
    "[[a| run": _repeat("[[a|"),
    "[a]( run": _repeat("[a]("),
    "![ run": _repeat("!["),
    "[( run": _repeat("[ (]("),
    "[*_a run": _repeat("[*_a"),
    "unclosed code": _repeat("`a"),
    "code spans": _repeat("`a` "),
    "escaped ticks": _repeat("\\``"),
    "emphasis": _repeat("*a* "),
    "a*** run": _repeat("a***"),
    "rule of 3": _halves("*a ", "a**a"),
    "deep emphasis": _halves("*a ", "b*"),
    "wikilinks": _repeat("[[a]] "),
    "distinct wikilinks": _numbered("[[Page {}]] "),
    "citations": _repeat("[@a] "),
    "escapes": _repeat("\\* "),
    "smart quotes": _repeat("'a' "),
    "line breaks": _repeat("x  \n"),
    "entities": _repeat("&amp; "),
    "autolinks": _repeat("<http://a.b> "),
    "<> run": _repeat("<>"),
    "inline html": _repeat("<b>"),
    "html nesting": _repeat("<div>"),
    "formatting html": _numbered('<b title="{}">'),
    "comments": _repeat("<!--"),
    "open tag run": _repeat("<a "),
    "attribute run": _repeat("<a href="),
    "quoted attribute run": _repeat("<a b='>' "),
    "end tag run": _repeat("</a", ">"),
    "instruction lines": _repeat("\n<?x", ">"),
    "comments in tags": _numbered("<b{}><!---->"),
    "headings": _repeat("# a\n\n"),
    "heading lines": _repeat("# a\n"),
    "rule lines": _repeat("---\na\n"),
    "setext lines": _repeat("a\n===\n"),
    "code lines": _repeat("    a\n# h\n"),
    "list items": _repeat("- a\n"),
    "long list item": lambda size: "- a\n" + _repeat("b\n")(size - 4),
    "table rows": lambda size: (
        "| a | b |\n|---|---|\n" + _repeat("| x | y |\n")(size - 20)
    ),
    "list ladder": _ladder(lambda depth: " " * (4 * depth) + "- a\n"),
    "quote ladder": _ladder(lambda depth: "> " * depth + "a\n"),
}


def family_text(name: str, size: int) -> str:
    """The family's text, ``size`` characters long."""
    return FAMILIES[name](size)

"""Families of adversarial Markdown, for the renderer's timing test and benchmark.

Each family is a unit repeated (or a text generated) up to a size in characters.
Most are the shapes that made Python-Markdown, our inline syntaxes or the
sanitiser take quadratic time or recurse without bound.
"""

from collections.abc import Callable
from itertools import count


def _numbered(template: str) -> Callable[[], str]:
    numbers = count()
    return lambda: template.format(next(numbers))


def _staircase(line: Callable[[int], str]) -> Callable[[], str]:
    depths = count()
    return lambda: line(next(depths))


# name -> a unit of text (repeated) or a function giving the next unit
FAMILIES: dict[str, str | Callable[[], Callable[[], str]]] = {
    "[ run": "[",
    "[[ run": "[[",
    "* run": "*",
    "_ run": "_",
    "backtick run": "`",
    "nested list": "- ",
    "nested quote": "> ",
    "repeated word": "word ",
    "[@ run": "[@",
    "[[a| run": "[[a|",
    "[a]( run": "[a](",
    "![ run": "![",
    "[( run": "[ (](",
    "[*_a run": "[*_a",
    "unclosed code": "`a",
    "code spans": "`a` ",
    "escaped ticks": "\\``",
    "emphasis": "*a* ",
    "a*** run": "a***",
    "wikilinks": "[[a]] ",
    "distinct wikilinks": lambda: _numbered("[[Page {}]] "),
    "citations": "[@a] ",
    "escapes": "\\* ",
    "smart quotes": "'a' ",
    "line breaks": "x  \n",
    "entities": "&amp; ",
    "autolinks": "<http://a.b> ",
    "<> run": "<>",
    "inline html": "<b>",
    "html nesting": "<div>",
    "formatting html": lambda: _numbered('<b title="{}">'),
    "comments": "<!--",
    "headings": "# a\n\n",
    "table rows": "| a | b |\n|---|---|\n" + "| x | y |\n" * 20,
    "list ladder": lambda: _staircase(lambda depth: " " * (4 * (depth % 40)) + "- a\n"),
    "quote ladder": lambda: _staircase(lambda depth: "> " * (depth % 40) + "a\n"),
}


def family_text(name: str, size: int) -> str:
    """The family's text, ``size`` characters long."""
    unit = FAMILIES[name]
    if isinstance(unit, str):
        return (unit * (size // len(unit) + 1))[:size]
    next_unit = unit()
    parts, length = [], 0
    while length < size:
        part = next_unit()
        parts.append(part)
        length += len(part)
    return "".join(parts)[:size]

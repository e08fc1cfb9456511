"""Names that look alike: skeletons (after Unicode's UTS #39) and script mixing.

``аdmin`` with a Cyrillic "а" reads as ``admin``; so do ``ADMIN`` and
``admіn``.  Names are compared by skeletons: each character that imitates
another replaced by the one it imitates, using Unicode's list of confusables
(from ``confusable-homoglyphs``).
"""

import unicodedata
from functools import cache

from confusable_homoglyphs import categories, confusables

# Scripts a name may combine (UTS #39's "highly restrictive" level): Japanese,
# Chinese and Korean writing mix scripts by nature, and may add Latin letters.
SCRIPT_SETS = [
    {"LATIN", "HAN", "HIRAGANA", "KATAKANA"},
    {"LATIN", "HAN", "BOPOMOFO"},
    {"LATIN", "HAN", "HANGUL"},
]
_NEUTRAL = {"COMMON", "INHERITED"}  # digits, punctuation, combining marks
_DIRECTION_MARKS = str.maketrans("", "", "\u200e\u200f")


@cache
def _prototypes() -> dict[int, str]:
    """A translation table: each character that imitates another, mapped to
    the one it imitates.

    The data lists confusables both ways: a character with a single entry
    imitates that entry.  When two characters list only each other, both map
    to the same one of the pair, so either direction gives one skeleton.
    """
    data = confusables.confusables_data
    single = {
        char: entries[0]["c"].translate(_DIRECTION_MARKS)
        for char, entries in data.items()
        if len(char) == 1 and len(entries) == 1
    }
    table = {}
    for char, target in single.items():
        if single.get(target) == char:  # a pair that lists only each other
            target = min(char, target, key=lambda c: (not c.isascii(), c))
        if target != char:
            table[ord(char)] = target
    return table


@cache
def _ascii_prototypes() -> list[tuple[str, str]]:
    # Prototypes are never imitators themselves, so the order does not matter.
    return [(chr(code), target) for code, target in _prototypes().items() if code < 128]


def _skeleton(text: str) -> str:
    if text.isascii():  # most names: a few replacements, much faster than translate
        for char, target in _ascii_prototypes():
            text = text.replace(char, target)
        return text
    return text.translate(_prototypes())


def looks(name: str) -> set[tuple[str, str]]:
    """What ``name`` is compared by: two names are confusable if these meet.

    NFKC first (fullwidth and styled letters become plain ones), without
    invisible format characters.  Then two kinds of skeleton, each compared
    only with its own kind: with case folded before each character is
    mapped to the one it imitates (``ADMIN``, ``аdmin`` meet ``admin``), and
    with case kept, for the name as written, in capitals and capitalised
    (``Ian`` meets ``lan``, ``ADMlN`` meets ``ADMIN``), since a reader takes
    names that differ only in case for one.
    """
    text = name
    if not name.isascii():
        text = "".join(
            char
            for char in unicodedata.normalize("NFKC", name)
            if unicodedata.category(char) != "Cf"
        )
    folded = _skeleton(text.casefold()).casefold()
    return {
        ("folded", folded),
        *(("cased", _skeleton(form)) for form in (text, text.upper(), text.title())),
    }


def confusable(a: str, b: str) -> bool:
    return not looks(a).isdisjoint(looks(b))


def scripts(name: str) -> set[str]:
    """The scripts of the letters in ``name`` (digits and punctuation have none)."""
    return categories.unique_aliases(name) - _NEUTRAL


def mixes_scripts(name: str) -> bool:
    """Whether ``name`` mixes scripts that are not written together."""
    used = scripts(name)
    return len(used) > 1 and not any(used <= allowed for allowed in SCRIPT_SETS)

"""BibTeX in and out: reading a bibliography into sources, writing sources.

Reading uses bibtexparser (its splitter and name parser); LaTeX in text
fields (accents, ``\\&``) is decoded with pylatexenc, while URLs, DOIs and
arXiv ids are taken as typed (LaTeX would read their ``%`` as a comment).
Writing escapes LaTeX's special characters in text and gives authors as
"Family, Given and ...".
"""

import re
from dataclasses import dataclass, field

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
)
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from pylatexenc import latex2text

from sources.models import Source
from wiki.identifiers import SCHEMES
from wiki.text import clean_line, clean_title

# Limits of one import, stated on the import page.
MAX_CHARACTERS = 200_000
MAX_ENTRIES = 500
# Braces deeper than this in one field are refused (the LaTeX decoder recurses).
MAX_BRACE_DEPTH = 20
AUTHORS_MAX = Source._meta.get_field("authors").max_length
ET_AL = "et al."

# BibTeX entry types -> source types; anything else is "other" (or "web"
# when it has a URL and nothing else says what it is).
TYPE_OF_ENTRY = {
    "article": Source.Type.PAPER,
    "inproceedings": Source.Type.PAPER,
    "conference": Source.Type.PAPER,
    "incollection": Source.Type.PAPER,
    "techreport": Source.Type.REPORT,
    "report": Source.Type.REPORT,
    "book": Source.Type.BOOK,
    "inbook": Source.Type.BOOK,
    "online": Source.Type.WEB,
    "electronic": Source.Type.WEB,
    "www": Source.Type.WEB,
}
ENTRY_OF_TYPE = {
    Source.Type.PAPER: "article",
    Source.Type.PREPRINT: "misc",
    Source.Type.REPORT: "techreport",
    Source.Type.BOOK: "book",
    Source.Type.BLOG: "online",
    Source.Type.NEWS: "article",
    Source.Type.WEB: "online",
    Source.Type.OTHER: "misc",
}
# Where a source's publisher or venue is read from, first found wins, and
# where it is written, by entry type.
VENUE_FIELDS = ("journal", "booktitle", "publisher", "institution", "school")
# BibTeX has no entry type for a blog post, a news article, a preprint
# without an arXiv id or "other": biblatex's free ``entrysubtype`` field says
# which (biblatex-chicago's "newspaper" and "magazine" on ``@article``), so
# every type comes back as it went out.
SUBTYPE_OF_TYPE = {
    Source.Type.BLOG: "blog",
    Source.Type.NEWS: "newspaper",
    Source.Type.PREPRINT: "preprint",
    Source.Type.OTHER: "other",
}
TYPE_OF_SUBTYPE = {
    **{subtype: source_type for source_type, subtype in SUBTYPE_OF_TYPE.items()},
    "magazine": Source.Type.NEWS,
}
VENUE_OF_ENTRY = {"article": "journal", "techreport": "institution"}
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
MONTH_NAMES = [""] + [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
]  # fmt: skip


# -- reading ---------------------------------------------------------------------


@dataclass
class Malformed:
    """A part of the text the parser could not read."""

    line: int  # 1-based
    entry: str  # its first line, as typed
    reason: str


@dataclass
class ParsedEntry:
    """One entry of the file: the source it describes, or why it cannot be one."""

    line: int  # 1-based
    key: str
    source: Source | None = None
    refused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Parsed:
    entries: list[ParsedEntry]
    malformed: list[Malformed]
    too_many: bool = False


_DECODER = latex2text.LatexNodes2Text(
    latex_context=latex2text.get_default_latex_context_db()
)
# What this writer writes for ^ and ~, read back as typed.
_CARET = r"\textasciicircum{}"
_TILDE = r"\textasciitilde{}"
_BACKSLASH = r"\textbackslash{}"
_PLACEHOLDERS = {_CARET: "\ue000", _TILDE: "\ue001", _BACKSLASH: "\ue002"}
_RESTORE = {"\ue000": "^", "\ue001": "~", "\ue002": "\\"}


def _too_deep(value: str) -> bool:
    depth = 0
    for char in value:
        if char == "{":
            depth += 1
            if depth > MAX_BRACE_DEPTH:
                return True
        elif char == "}":
            depth -= 1
    return False


def decode_latex(value: str) -> str:
    """Text as a reader sees it: "{\\\"o}" is "ö", "\\&" is "&"."""
    for latex, mark in _PLACEHOLDERS.items():
        value = value.replace(latex, mark)
    text = _DECODER.latex_to_text(value)
    for mark, char in _RESTORE.items():
        text = text.replace(mark, char)
    return text


def _verbatim(value: str) -> str:
    """A URL or identifier: enclosing braces off, nothing decoded."""
    value = value.strip()
    while value.startswith("{") and value.endswith("}"):
        value = value[1:-1].strip()
    return value


def printed_name(raw: str) -> str:
    """One BibTeX name ("van Beethoven, Ludwig") as printed ("Ludwig van
    Beethoven")."""
    parts = parse_single_name_into_parts(raw, strict=True)
    words = [*parts.first, *parts.von, *parts.last]
    name = decode_latex(" ".join(words))
    if parts.jr:
        name += ", " + decode_latex(" ".join(parts.jr))
    return clean_line(name)


def printed_authors(raw: str) -> tuple[str, bool]:
    """The authors of a BibTeX ``author`` field as printed, "A, B et al.", and
    whether some were left out to fit the field."""
    names = split_multiple_persons_names(raw)
    others = bool(names) and names[-1].strip().lower() == "others"
    if others:
        names = names[:-1]
    room = AUTHORS_MAX - len(" " + ET_AL)
    printed, length = [], 0
    for index, name in enumerate(names):
        text = printed_name(name)
        length += len(text) + (2 if printed else 0)
        if length > (AUTHORS_MAX if index == len(names) - 1 and not others else room):
            return ", ".join(printed) + (" " if printed else "") + ET_AL, True
        printed.append(text)
    text = ", ".join(printed)
    if others:
        text = f"{text} {ET_AL}" if text else ET_AL
    return text, False


def _arxiv_of(fields: dict[str, str]) -> str:
    eprint = fields.get("eprint", "")
    kind = (fields.get("archiveprefix") or fields.get("eprinttype") or "").lower()
    if eprint and (kind == "arxiv" or not kind):
        return SCHEMES["arxiv"].clean(eprint)
    return SCHEMES["arxiv"].clean(fields.get("arxiv", ""))


def _date_of(fields: dict[str, str]) -> tuple[int | None, int | None, int | None]:
    year = month = day = None
    date = re.match(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", fields.get("date", ""))
    if date:
        year, month, day = (int(part) if part else None for part in date.groups())
    if re.fullmatch(r"\d{1,4}", fields.get("year", "")):
        year = int(fields["year"])
    raw_month = fields.get("month", "").strip().lower().rstrip(".")
    if raw_month.isdigit():
        month = int(raw_month)
    elif raw_month in MONTHS:
        month = MONTHS[raw_month]
    return year, month, day


def source_type_of(entry_type: str, fields: dict[str, str], arxiv_id: str) -> str:
    subtype = fields.get("entrysubtype", "").strip().lower()
    if subtype in TYPE_OF_SUBTYPE:
        return TYPE_OF_SUBTYPE[subtype]
    if entry_type in TYPE_OF_ENTRY:
        return TYPE_OF_ENTRY[entry_type]
    if arxiv_id:
        return Source.Type.PREPRINT
    return Source.Type.WEB if fields.get("url") else Source.Type.OTHER


def entry_to_source(entry: Entry) -> ParsedEntry:
    """The source an entry describes, unsaved and validated (but not yet
    against other sources), or the reasons it cannot be one."""
    parsed = ParsedEntry(line=entry.start_line + 1, key=entry.key)
    raw = {f.key.lower(): str(f.value) for f in entry.fields}
    deep = sorted(name for name, value in raw.items() if _too_deep(value))
    if deep:
        parsed.refused.append(
            f"Braces nested more than {MAX_BRACE_DEPTH} deep in {', '.join(deep)}."
        )
        return parsed
    verbatim = {"url", "doi", "eprint", "arxiv", "archiveprefix", "eprinttype"}
    try:
        fields = {
            name: _verbatim(value) if name in verbatim else decode_latex(value)
            for name, value in raw.items()
            if name != "author"
        }
    except Exception:  # noqa: BLE001 (pylatexenc's errors have no common base)
        parsed.refused.append("Its LaTeX could not be read.")
        return parsed
    authors = ""
    if raw.get("author"):
        try:
            authors, shortened = printed_authors(raw["author"])
        except Exception:  # noqa: BLE001 (bibtexparser raises plain errors)
            parsed.refused.append("Its author list could not be read.")
            return parsed
        if shortened:
            parsed.notes.append(
                f"Authors shortened to fit {AUTHORS_MAX} characters (et al.)."
            )
    doi = SCHEMES["doi"].clean(fields.get("doi", ""))
    arxiv_id = _arxiv_of(fields)
    year, month, day = _date_of(fields)
    venue = next((fields[f] for f in VENUE_FIELDS if fields.get(f)), "")
    source = Source(
        key=entry.key,
        source_type=source_type_of(entry.entry_type.lower(), fields, arxiv_id),
        authors=authors,
        title=clean_title(fields.get("title", "")),
        publisher=clean_line(venue),
        year=year,
        month=month,
        day=day,
        url=clean_line(fields.get("url", "")),
        doi=doi,
        arxiv_id=arxiv_id,
    )
    try:
        source.full_clean(validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = (
                Source._meta.get_field(name).verbose_name
                if name != "__all__"
                else "entry"
            )
            value = getattr(source, name, "") if name != "__all__" else ""
            named = f"{capfirst(label)} “{value}”" if value else capfirst(label)
            parsed.refused += [f"{named}: {m}" for m in messages]
        return parsed
    parsed.source = source
    return parsed


def _first_line(raw: str) -> str:
    return clean_line(raw.strip().splitlines()[0] if raw.strip() else "")[:120]


_ENTRY_START = re.compile(r"@[A-Za-z]+\s*[{(]")


def parse_bibtex(text: str) -> Parsed:
    """Read ``text`` (at most ``MAX_CHARACTERS``) into entries and what could
    not be read."""
    # Entries are counted before they are parsed: a text of thousands of
    # "@a{" is refused at once rather than read block by block.
    if len(_ENTRY_START.findall(text)) > 2 * MAX_ENTRIES:
        return Parsed([], [], too_many=True)
    library = bibtexparser.parse_string(
        text,
        parse_stack=[
            middlewares.ResolveStringReferencesMiddleware(True),
            middlewares.RemoveEnclosingMiddleware(True),
        ],
    )
    entries, malformed = [], []
    for block in library.blocks:
        line = block.start_line + 1
        if len(entries) >= MAX_ENTRIES:
            return Parsed(entries, malformed, too_many=True)
        if isinstance(block, DuplicateBlockKeyBlock):
            entries.append(
                ParsedEntry(
                    line=line,
                    key=block.key,
                    refused=[f"The key {block.key} is used by an earlier entry."],
                )
            )
        elif isinstance(block, DuplicateFieldKeyBlock):
            names = ", ".join(sorted(block.duplicate_keys))
            malformed.append(
                Malformed(line, _first_line(block.raw), f"Field given twice: {names}.")
            )
        elif isinstance(block, ParsingFailedBlock):
            reason = getattr(block.error, "abort_reason", "") or str(block.error)
            malformed.append(
                Malformed(line, _first_line(block.raw), reason.strip() or "Unreadable.")
            )
        elif isinstance(block, Entry):
            entries.append(entry_to_source(block))
    return Parsed(entries, malformed)


# -- writing ---------------------------------------------------------------------

_SPECIAL = {
    "\\": _BACKSLASH,
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": _TILDE,
    "^": _CARET,
}
_SPECIAL_RE = re.compile(r"[\\{}&%$#_~^]")


# Pairs LaTeX reads as one character ("--" an en dash, "``" a quote mark),
# kept apart with an empty group.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[!?])(?=`)")


def escape_latex(text: str) -> str:
    """``text`` as BibTeX text: LaTeX's special characters escaped."""
    return _LIGATURE.sub("{}", _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], text))


def _verbatim_out(value: str) -> str:
    """A URL or identifier for a verbatim field: braces (which would end the
    field) percent-encoded, nothing else touched."""
    return value.replace("{", "%7B").replace("}", "%7D")


# Between printed names: a comma (with "and" after it, the Oxford comma),
# "and", "&" or a semicolon.
_NAME_SEPARATOR = re.compile(r"\s*[,;]\s*(?:(?:and|&)\s+)?|\s+and\s+|\s*&\s*")


def split_printed_authors(authors: str) -> tuple[list[str], bool]:
    """ "Alec Radford, Jeff Wu and Ilya Sutskever et al." as names, and whether
    more authors were left out."""
    text = authors.strip()
    others = False
    for ending in (ET_AL, "et al", "and others"):
        if text.lower().endswith(ending):
            text, others = text[: -len(ending)].rstrip(" ,"), True
            break
    names = [name.strip() for name in _NAME_SEPARATOR.split(text) if name.strip()]
    return names, others


def name_parts(name: str) -> tuple[str, str]:
    """A printed name as (family, given): "Ludwig van Beethoven" is
    ("van Beethoven", "Ludwig"); one word is a family name."""
    words = name.split()
    if len(words) < 2:
        return name, ""
    family_start = len(words) - 1
    for index in range(1, len(words) - 1):
        if words[index][:1].islower():
            family_start = index
            break
    return " ".join(words[family_start:]), " ".join(words[:family_start])


def bibtex_authors(authors: str) -> str:
    names, others = split_printed_authors(authors)
    out = []
    for name in names:
        family, given = name_parts(name)
        family, given = escape_latex(family), escape_latex(given)
        out.append(f"{family}, {given}" if given else f"{{{family}}}")
    if others:
        out.append("others")
    return " and ".join(out)


def to_bibtex(source: Source) -> str:
    """One source as a BibTeX entry."""
    entry_type = ENTRY_OF_TYPE.get(source.source_type, "misc")
    lines = []
    if source.source_type in SUBTYPE_OF_TYPE:
        lines.append(("entrysubtype", SUBTYPE_OF_TYPE[source.source_type]))
    if source.authors:
        lines.append(("author", bibtex_authors(source.authors)))
    lines.append(("title", escape_latex(source.title)))
    if source.publisher:
        venue = VENUE_OF_ENTRY.get(entry_type, "publisher")
        lines.append((venue, escape_latex(source.publisher)))
    if source.year:
        lines.append(("year", str(source.year)))
    if source.month:
        lines.append(("month", MONTH_NAMES[source.month]))
    if source.year and source.month and source.day:
        lines.append(("date", f"{source.year:04d}-{source.month:02d}-{source.day:02d}"))
    if source.doi:
        lines.append(("doi", _verbatim_out(source.doi)))
    if source.arxiv_id:
        lines += [
            ("eprint", _verbatim_out(source.arxiv_id)),
            ("archiveprefix", "arXiv"),
        ]
    if source.url:
        lines.append(("url", _verbatim_out(source.url)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in lines)
    return f"@{entry_type}{{{source.key},\n{body}\n}}\n"

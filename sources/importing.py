"""Importing a BibTeX bibliography: what each entry would become, checked
against the sources there are, before anything is saved."""

import hashlib
import json
import re
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q
from django.db.models.functions import Lower

from sources.bibtex import Malformed, Parsed, ParsedEntry, parse_bibtex
from sources.models import Source


class Outcome(StrEnum):
    CREATE = "create"
    MATCH = "match"
    REFUSE = "refuse"


@dataclass
class Row:
    """What importing one entry does."""

    entry: ParsedEntry
    outcome: Outcome
    existing: Source | None = None  # the source it matches
    matched_by: str = ""  # "key", "DOI" or "arXiv id"
    reasons: list[str] = field(default_factory=list)

    @property
    def source(self) -> Source | None:
        return self.entry.source


@dataclass
class Plan:
    text_digest: str
    rows: list[Row]
    malformed: list[Malformed]
    too_many: bool

    @property
    def new_sources(self) -> list[Source]:
        return [row.source for row in self.rows if row.outcome == Outcome.CREATE]

    @property
    def importable(self) -> bool:
        return not self.malformed and not self.too_many and bool(self.new_sources)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def signature(self) -> str:
        """What the preview showed, in short: if it differs when the import is
        committed, the moderator sees the preview again."""
        shown = [
            [row.entry.key, row.outcome, row.existing.pk if row.existing else None]
            for row in self.rows
        ]
        payload = json.dumps([self.text_digest, shown], separators=(",", ":"))
        return hashlib.sha256(payload.encode()).hexdigest()


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_ARXIV_VERSION = re.compile(r"v[0-9]+$")


def doi_match(doi: str) -> str:
    """A DOI as compared: DOIs are case-insensitive (10.1109/CVPR.2016.90 is
    10.1109/cvpr.2016.90)."""
    return doi.lower()


def arxiv_match(arxiv_id: str) -> str:
    """An arXiv id as compared: any version of a paper is the paper
    (1511.06434v2 is 1511.06434)."""
    return _ARXIV_VERSION.sub("", arxiv_id)


def _arxiv_lookup(bases: set[str]) -> Q:
    """Sources with any version of these papers: one condition whatever
    their number (a chain of 500 ORs is too deep for SQLite)."""
    if not bases:
        return Q(pk__in=[])
    versions = "|".join(re.escape(base) for base in sorted(bases))
    return Q(arxiv_id__in=bases) | Q(arxiv_id__regex=rf"^({versions})v[0-9]+$")


def plan_import(text: str) -> Plan:
    """Read ``text`` and say, per entry, whether it creates a source, matches
    one there is (by key, DOI or arXiv id: three indexed queries for the whole
    file), or is refused and why."""
    parsed: Parsed = parse_bibtex(text)
    candidates = [e.source for e in parsed.entries if e.source is not None]
    keys = {s.key for s in candidates}
    dois = {doi_match(s.doi) for s in candidates if s.doi}
    arxiv_ids = {arxiv_match(s.arxiv_id) for s in candidates if s.arxiv_id}
    by_key, by_doi, by_arxiv = {}, {}, {}
    if candidates:
        found = (
            Source.objects.alias(doi_folded=Lower("doi"))
            .filter(Q(key__in=keys) | Q(doi_folded__in=dois) | _arxiv_lookup(arxiv_ids))
            .only("pk", "key", "title", "doi", "arxiv_id")
        )
        for source in found:
            by_key[source.key] = source
            if source.doi:
                by_doi[doi_match(source.doi)] = source
            if source.arxiv_id:
                by_arxiv[arxiv_match(source.arxiv_id)] = source
    rows = []
    seen_doi: dict[str, ParsedEntry] = {}
    seen_arxiv: dict[str, ParsedEntry] = {}
    for entry in parsed.entries:
        source = entry.source
        if source is None:
            rows.append(Row(entry, Outcome.REFUSE, reasons=entry.refused))
            continue
        existing, matched_by = None, ""
        for index, value, label in (
            (by_key, source.key, "key"),
            (by_doi, doi_match(source.doi), "DOI"),
            (by_arxiv, arxiv_match(source.arxiv_id), "arXiv id"),
        ):
            if value and value in index:
                existing, matched_by = index[value], label
                break
        if existing is not None:
            rows.append(Row(entry, Outcome.MATCH, existing, matched_by))
            continue
        twin = (source.doi and seen_doi.get(doi_match(source.doi))) or (
            source.arxiv_id and seen_arxiv.get(arxiv_match(source.arxiv_id))
        )
        if twin:
            reason = f"Same DOI or arXiv id as {twin.key} (line {twin.line})."
            rows.append(Row(entry, Outcome.REFUSE, reasons=[reason]))
            continue
        if source.doi:
            seen_doi[doi_match(source.doi)] = entry
        if source.arxiv_id:
            seen_arxiv[arxiv_match(source.arxiv_id)] = entry
        rows.append(Row(entry, Outcome.CREATE))
    return Plan(text_digest(text), rows, parsed.malformed, parsed.too_many)

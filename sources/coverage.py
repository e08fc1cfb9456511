"""Citation coverage: how many of a page's body paragraphs cite a source.

A *body paragraph* is a paragraph at the top level of a page's body, or an
item of a list at the top level of it (a nested list counts with its item).
Headings, code blocks, tables, quotations, raw HTML blocks, the lede, the
infobox and the interpretive reading are not body paragraphs.  A paragraph
*cites a source* when it holds at least one numbered citation (``[@key]``
of a source that exists); an unknown key, a source awaiting review and a
"citation needed" marker (``[@?]``) are not citations.

The counts are read from the body's rendered HTML (the HTML a reader sees),
kept in ``Page.render_data["coverage"]`` and, for sorting, in a
``PageCoverage`` row; the keys a page cites are kept as ``CitationUse``
rows.  Both are written whenever a page's HTML is stored: when it is
published and when it is rendered again.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from django.db import transaction
from django.db.models import Count

from sources.models import CitationUse, PageCoverage, Source, SourceUsage
from wiki import tallies
from wiki.models import Page

# Elements that never hold content, so are never closed.
VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
)
LISTS = frozenset({"ul", "ol"})
# Pages whose derived rows are rebuilt per transaction by ``refresh_all``.
REFRESH_BATCH = 500
KEY_BATCH = 1000


@dataclass(frozen=True)
class Coverage:
    paragraphs: int = 0
    cited: int = 0
    needed: int = 0

    @property
    def share(self) -> int:
        """Cited paragraphs per thousand (0 for a body without paragraphs)."""
        return self.cited * 1000 // self.paragraphs if self.paragraphs else 0

    @property
    def percent(self) -> int:
        return round(self.cited * 100 / self.paragraphs) if self.paragraphs else 0

    def as_data(self) -> dict:
        return {
            "paragraphs": self.paragraphs,
            "cited": self.cited,
            "needed": self.needed,
        }

    @classmethod
    def from_data(cls, data: dict | None) -> "Coverage":
        data = data or {}
        return cls(
            paragraphs=data.get("paragraphs", 0),
            cited=data.get("cited", 0),
            needed=data.get("needed", 0),
        )


class _Counter(HTMLParser):
    """Walk a rendered body once (linear time), counting its paragraphs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.paragraph_depth: int | None = None  # stack depth of the open one
        self.has_text = False
        self.has_citation = False
        self.paragraphs = 0
        self.cited = 0
        self.needed = 0

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "sup" and "cite-needed" in classes:
            self.needed += 1
        elif tag == "sup" and "cite" in classes and self.paragraph_depth is not None:
            self.has_citation = True
        if tag in VOID:
            return
        if self.paragraph_depth is None and self._opens_paragraph(tag):
            self.paragraph_depth = len(self.stack)
            self.has_text = self.has_citation = False
        self.stack.append(tag)

    def _opens_paragraph(self, tag: str) -> bool:
        if tag == "p":
            return not self.stack
        return tag == "li" and len(self.stack) == 1 and self.stack[0] in LISTS

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.stack:
            return
        while self.stack:
            if self.stack.pop() == tag:
                break
        if self.paragraph_depth is not None and len(self.stack) <= (
            self.paragraph_depth
        ):
            self.paragraph_depth = None
            if self.has_text or self.has_citation:
                self.paragraphs += 1
                self.cited += self.has_citation

    def handle_data(self, data):
        if self.paragraph_depth is not None and data.strip():
            self.has_text = True


def count(html: str) -> Coverage:
    """The coverage of a body rendered as ``html`` (sanitised, so balanced)."""
    counter = _Counter()
    counter.feed(html or "")
    counter.close()
    return Coverage(
        paragraphs=counter.paragraphs, cited=counter.cited, needed=counter.needed
    )


def summarize(html: str) -> dict:
    """What ``Page.render_data["coverage"]`` keeps (wiki.registry)."""
    return count(html).as_data()


def of_page(page: Page) -> Coverage:
    """The coverage of ``page`` as last rendered."""
    return Coverage.from_data((page.render_data or {}).get("coverage"))


def record(*, page: Page, rendered=None) -> None:
    """Store the coverage and the cited keys of ``page`` as it was just
    rendered (a render hook: wiki.registry.register_render_hook)."""
    coverage = of_page(page)
    values = {**coverage.as_data(), "share": coverage.share}
    if not PageCoverage.objects.filter(page=page).update(**values):
        PageCoverage.objects.create(page=page, **values)
    _record_uses(page)


def _cited_keys(page: Page) -> list[str]:
    citation = (page.render_data or {}).get("citation") or {}
    keys = list(citation.get("counts") or {}) + list(citation.get("unknown") or [])
    return list(dict.fromkeys(keys))


def _record_uses(page: Page) -> None:
    keys = _cited_keys(page)
    # The source a key names is looked up now (not taken from the render),
    # so that a use follows the sources as they are.
    sources = (
        dict(Source.objects.filter(key__in=keys).values_list("key", "pk"))
        if keys
        else {}
    )
    existing = {use.key: use for use in CitationUse.objects.filter(page=page)}
    named = {use.source_id for use in existing.values()} | set(sources.values())
    gone = [use.pk for key, use in existing.items() if key not in keys]
    if gone:
        CitationUse.objects.filter(pk__in=gone).delete()
    for key in keys:
        use = existing.get(key)
        if use is None:
            CitationUse.objects.create(page=page, key=key, source_id=sources.get(key))
        elif use.source_id != sources.get(key):
            use.source_id = sources.get(key)
            use.save(update_fields=["source"])
    # All of them, even if unchanged: the page may have just been deleted or
    # recovered.
    refresh_usage(named - {None})


def usage_counts(source_ids=None):
    """(source id, live pages citing it in their text), for ``source_ids``
    (every cited source if None)."""
    uses = CitationUse.objects.filter(page__is_deleted=False, source__isnull=False)
    if source_ids is not None:
        uses = uses.filter(source__in=source_ids)
    return (
        uses.order_by()
        .values("source")
        .annotate(n=Count("page", distinct=True))
        .values_list("source", "n")
    )


def refresh_usage(source_ids: Iterable[int]) -> None:
    """Count again the live pages citing each of ``source_ids``."""
    tallies.refresh_counts(SourceUsage, "source", source_ids, usage_counts)


def source_ids_by_key(keys: Iterable[str]) -> dict[str, int]:
    """The id of the source with each of ``keys`` that one has, a bounded
    number of keys per query."""
    keys, found = sorted(keys), {}
    for start in range(0, len(keys), KEY_BATCH):
        batch = keys[start : start + KEY_BATCH]
        found.update(Source.objects.filter(key__in=batch).values_list("key", "pk"))
    return found


def refresh_all() -> None:
    """Rebuild every page's coverage and cited keys from what its last render
    found (a tally refresher: wiki.tallies.refresh_all, after bulk loads).

    A page rendered before coverage was kept is counted from its HTML.
    """
    last = 0
    while True:
        with transaction.atomic():
            pages = list(
                Page.objects.filter(pk__gt=last)
                .order_by("pk")
                .only("pk", "body_html", "render_data")[:REFRESH_BATCH]
            )
            if not pages:
                break
            ids = [page.pk for page in pages]
            PageCoverage.objects.filter(page__in=ids).delete()
            CitationUse.objects.filter(page__in=ids).delete()
            coverages, uses, keys = [], [], set()
            for page in pages:
                data = (page.render_data or {}).get("coverage")
                coverage = Coverage.from_data(data) if data else count(page.body_html)
                coverages.append(
                    PageCoverage(page=page, share=coverage.share, **coverage.as_data())
                )
                for key in _cited_keys(page):
                    uses.append(CitationUse(page=page, key=key))
                    keys.add(key)
            sources = source_ids_by_key(keys)
            for use in uses:
                use.source_id = sources.get(use.key)
            PageCoverage.objects.bulk_create(coverages)
            CitationUse.objects.bulk_create(uses, batch_size=1000)
        last = pages[-1].pk
    # Then every source's count (rows of sources made in bulk included).
    with transaction.atomic():
        SourceUsage.objects.all().delete()
        counted = dict(usage_counts())
        ids = Source.objects.order_by("pk").values_list("pk", flat=True)
        SourceUsage.objects.bulk_create(
            (
                SourceUsage(source_id=pk, pages=counted.get(pk, 0))
                for pk in ids.iterator(chunk_size=2000)
            ),
            batch_size=1000,
        )

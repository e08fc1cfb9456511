"""Search: ranked full-text search over every live page and record, title
suggestions as you type, and "did you mean" for near misses.

What search reads is one ``SearchEntry`` per live page or record, written by
the write path in the transaction of each change (``index_page`` from
``page_publish``, ``index_record`` from a record kind's publish), so it is
never behind what readers see and an edit never rebuilds anything else.
``rebuild`` (``manage.py rebuild_search``) writes them all again.

Each backend ranks with its own index (migration 0017):

- PostgreSQL: ``websearch_to_tsquery`` against a weighted ``tsvector``
  (title A; short and old titles, lede B; body C; reading D) under a GIN
  index, snippets by ``ts_headline``, and ``pg_trgm`` for suggestions and
  for titles close to a query that finds nothing.
- SQLite: FTS5 with bm25 weights in the same order, snippets by
  ``snippet()``; the same query syntax translated.  Without FTS5, words are
  matched with LIKE and ranked by the field they are found in.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from wiki import registry
from wiki.models import Page, Proposal, SearchEntry, SearchFacet

# Titles read on each side of a query (and of each of its words) in A–Z order:
# the candidates the closest are chosen from, whatever the number of pages.
NEIGHBOURS = 20

# A query is cut to this many characters (the search page says so).
MAX_QUERY = 200
# Results on a page of search results.
PER_PAGE = 20
# Results are counted up to this many; beyond, "more than 1,000".
MAX_COUNTED = 1000
# The last page of results a reader can open: ranking past it costs more than
# anyone reads (Wikipedia stops at 10,000 results).
MAX_PAGES = MAX_COUNTED // PER_PAGE
# Suggestions as you type.
SUGGESTIONS = 8
MAX_SUGGESTIONS = 10
# Characters of text a snippet is cut from (the lede, then the body).
SNIPPET_SOURCE = 20_000
# Where a snippet highlights a match: private-use characters that search
# strips from every text it stores, so no writer can forge a highlight.
OPEN, CLOSE = "\ue000", "\ue001"
# The text search configuration (stemming, stop words) of both backends.
CONFIG = "english"

_TAGS = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_MARKERS = re.compile(f"[{OPEN}{CLOSE}\x00]")
_WORD = re.compile(r"\w+")


# Indexing ------------------------------------------------------------------


def plain(text: str) -> str:
    """Text to index: one line, markers and NUL bytes dropped."""
    return _SPACE.sub(" ", _MARKERS.sub("", text or "")).strip()


def html_text(fragment: str) -> str:
    """The words of sanitised HTML (tags dropped, entities read)."""
    return plain(html.unescape(_TAGS.sub(" ", fragment or "")))


@dataclass
class Document:
    """What a search entry holds, before it is stored."""

    kind: str
    object_id: int
    title: str
    url: str
    other_titles: list[str] = field(default_factory=list)
    lede: str = ""
    body: str = ""
    reading: str = ""
    page_id: int | None = None
    facets: list[int] = field(default_factory=list)


def page_document(
    page: Page, *, old_titles=(), facets=None, more: str | None = None
) -> Document:
    """A page's search document: its text as readers read it (Markdown
    rendered, so ``[[Links|labels]]`` read as their labels)."""
    from wiki.services import text_fields

    own = set(page.markdown_field_names()) | {
        "title",
        "short_title",
        "summary",
        "body",
        "reading",
        "reading_title",
    }
    extra = [
        getattr(page, name) or "" for name in text_fields(type(page)) if name not in own
    ]
    body = [
        html_text(page.body_html),
        # In the kind's field order: PostgreSQL's jsonb keeps its own key
        # order, so the stored dict's would differ from the one just rendered.
        *(
            html_text((page.fields_html or {}).get(name, ""))
            for name in page.markdown_field_names()
        ),
        *extra,
    ]
    if facets is None:
        facets = page_facets([page]).get(page.pk, [])
    if more is None:
        more = page_more([page]).get(page.pk, "")
    return Document(
        kind=page.kind,
        object_id=page.pk,
        page_id=page.pk,
        title=page.title,
        url=page.get_absolute_url(),
        other_titles=[page.short_title, *old_titles],
        lede=" ".join(part for part in (page.summary, more) if part),
        body=" ".join(part for part in body if part),
        reading=" ".join(
            part for part in (page.reading_title, html_text(page.reading_html)) if part
        ),
        facets=sorted(set(facets)),
    )


def _per_kind(pages: list[Page], hook: str) -> dict:
    """What the page kinds' ``hook`` (``search_facets``, ``search_more``)
    says of each of ``pages``: one call per kind among them."""
    found: dict = {}
    by_kind: dict[str, list[int]] = {}
    for page in pages:
        by_kind.setdefault(page.kind, []).append(page.pk)
    for kind, ids in by_kind.items():
        function = getattr(registry.page_type(kind), hook)
        if function is not None:
            found.update(function(ids))
    return found


def page_facets(pages: list[Page]) -> dict[int, list[int]]:
    """The pages each of ``pages`` belongs under (its kind's
    ``search_facets``)."""
    return _per_kind(pages, "search_facets")


def page_more(pages: list[Page]) -> dict[int, str]:
    """What each of ``pages`` is found by beside its own text, ranked with
    its lede (its kind's ``search_more``: a work's authors)."""
    return _per_kind(pages, "search_more")


def _old_titles(page: Page, previous_names: set[str]) -> list[str]:
    """Titles the page had before: those its entry kept, and the one it just
    left (``previous_names``: its stored title and short title)."""
    kept = (
        SearchEntry.objects.filter(kind=page.kind, object_id=page.pk)
        .values_list("other_titles", flat=True)
        .first()
    )
    titles = kept.split("\n")[1:] if kept else []
    titles += sorted(previous_names)
    current = {page.title.casefold(), page.short_title.casefold()}
    seen: set[str] = set()
    old = []
    for title in titles:
        key = title.casefold()
        if title and key not in current and key not in seen:
            seen.add(key)
            old.append(title)
    return old


def index_page(page: Page, *, previous_names: set[str] = frozenset()) -> None:
    """Bring ``page``'s search entry in step with it (from ``page_publish``,
    in its transaction): written for a live page, removed for a deleted one."""
    if page.is_deleted:
        unindex(page.kind, page.pk)
        return
    index(page_document(page, old_titles=_old_titles(page, previous_names)))


def index_record(document: Document) -> None:
    """Bring a record's search entry (a source's) in step with it."""
    index(document)


def unindex(kind: str, object_id: int) -> None:
    SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()


def unindex_many(kind: str, object_ids) -> None:
    SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()


def _entry_values(document: Document, now) -> dict:
    return {
        "page_id": document.page_id,
        "title": plain(document.title),
        "other_titles": "\n".join(plain(t) for t in document.other_titles),
        "lede": plain(document.lede),
        "body": plain(document.body),
        "reading": plain(document.reading),
        "url": document.url,
        "updated_at": now,
    }


def index(document: Document) -> None:
    """Write one search entry and its facets (three to five queries)."""
    with transaction.atomic():
        entry, created = SearchEntry.objects.update_or_create(
            kind=document.kind,
            object_id=document.object_id,
            defaults=_entry_values(document, timezone.now()),
        )
        if not created:
            stale = SearchFacet.objects.filter(entry=entry).exclude(
                page_id__in=document.facets
            )
            stale.delete()
            have = set(
                SearchFacet.objects.filter(entry=entry).values_list(
                    "page_id", flat=True
                )
            )
        else:
            have = set()
        SearchFacet.objects.bulk_create(
            SearchFacet(entry=entry, page_id=page_id)
            for page_id in document.facets
            if page_id not in have
        )


def index_many(documents: list[Document]) -> int:
    """Write many entries at once (a rebuild, a generated corpus): the
    entries of these documents are replaced."""
    now = timezone.now()
    with transaction.atomic():
        by_kind: dict[str, list[int]] = {}
        for document in documents:
            by_kind.setdefault(document.kind, []).append(document.object_id)
        for kind, ids in by_kind.items():
            SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
        entries = SearchEntry.objects.bulk_create(
            SearchEntry(kind=d.kind, object_id=d.object_id, **_entry_values(d, now))
            for d in documents
        )
        SearchFacet.objects.bulk_create(
            SearchFacet(entry=entry, page_id=page_id)
            for entry, document in zip(entries, documents, strict=True)
            for page_id in document.facets
        )
    return len(documents)


REBUILD_BATCH = 500


def rebuild(progress=None) -> int:
    """Write every search entry again, a batch at a time (after an upgrade,
    or a bulk load that bypassed the write path); entries of pages and
    records that are gone are removed.  ``progress(phase, done, total)`` is
    told how far it has come.  Returns the number of entries written."""
    written = 0
    kinds = registry.kinds()
    for declaration in kinds:
        if declaration.is_page:
            rows = declaration.model.objects.published().order_by("pk")
            make = None
        elif declaration.search_document is not None:
            rows = declaration.model.objects.order_by("pk")
            make = declaration.search_document
        else:
            continue
        total = rows.count()
        done = 0
        last = 0
        while True:
            batch = list(rows.filter(pk__gt=last)[:REBUILD_BATCH])
            if not batch:
                break
            last = batch[-1].pk
            if make is None:
                facets, more = page_facets(batch), page_more(batch)
                documents = [
                    page_document(
                        row, facets=facets.get(row.pk, []), more=more.get(row.pk, "")
                    )
                    for row in batch
                ]
            else:
                documents = [make(row) for row in batch]
            index_many(documents)
            done += len(batch)
            if progress is not None:
                progress(declaration.plural, done, total)
        written += done
        live = rows.values("pk")
        SearchEntry.objects.filter(kind=declaration.kind).exclude(
            object_id__in=live
        ).delete()
    known = {k.kind for k in kinds}
    SearchEntry.objects.exclude(kind__in=known).delete()
    return written


# Reading queries -----------------------------------------------------------


def clean_query(text: str) -> str:
    """The query as searched: one line, NUL bytes and markers dropped, cut
    to ``MAX_QUERY`` characters."""
    return plain(text)[:MAX_QUERY].strip()


@dataclass
class Term:
    words: list[str]
    negated: bool = False
    phrase: bool = False


_TERMS = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse(query: str) -> list[list[Term]]:
    """A query as web search engines read it (``websearch_to_tsquery``):
    words must all appear, "quoted words" as a phrase, ``-word`` must not,
    and ``or`` between two terms takes either.  Returns the alternatives
    (OR), each a list of terms that must all hold (AND)."""
    groups: list[list[Term]] = [[]]
    pending_or = False
    for match in _TERMS.finditer(query):
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None:
            if bare.casefold() == "or" and groups[-1]:
                pending_or = True
                continue
            negated = "-" if bare.startswith("-") else ""
            words = _WORD.findall(bare)
            phrase = False
        else:
            words = _WORD.findall(quoted)
            phrase = True
        if not words:
            continue
        term = Term(
            words=[w.casefold() for w in words],
            negated=bool(negated),
            phrase=phrase or len(words) > 1,
        )
        if pending_or and not term.negated:
            groups.append([])
        pending_or = False
        groups[-1].append(term)
    return [g for g in groups if any(not t.negated for t in g)]


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    snippet: SafeString
    entry_id: int
    page_id: int | None

    @property
    def kind_label(self) -> str:
        declaration = registry.kind(self.kind)
        return declaration.label if declaration else self.kind


@dataclass
class Results:
    query: str
    hits: list[Hit]
    total: int  # counted up to MAX_COUNTED + 1
    suggestion: str = ""  # "Did you mean ..." when little or nothing is found
    close_titles: list[Hit] = field(default_factory=list)

    @property
    def more_than_counted(self) -> bool:
        return self.total > MAX_COUNTED


def highlighted(text: str) -> SafeString:
    """A snippet with its matches in <mark>: everything else escaped."""
    out = []
    for i, part in enumerate(re.split(f"{OPEN}|{CLOSE}", text)):
        if not part:
            continue
        out.append(
            format_html("<mark>{}</mark>", part) if i % 2 else conditional_escape(part)
        )
    return SafeString("".join(out))


def backend() -> str:
    """``postgresql``, ``fts5`` or ``simple``: how this database searches
    (``LINEAGE_SEARCH_BACKEND = "simple"`` forces the simplest)."""
    if getattr(settings, "LINEAGE_SEARCH_BACKEND", "auto") == "simple":
        return "simple"
    if connection.vendor == "postgresql":
        return "postgresql"
    if connection.vendor == "sqlite" and _has_fts_table():
        return "fts5"
    return "simple"


_fts_table: dict[str, bool] = {}


def _has_fts_table() -> bool:
    key = connection.settings_dict["NAME"]
    if key not in _fts_table:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'wiki_searchentry_fts'"
            )
            _fts_table[key] = cursor.fetchone() is not None
    return _fts_table[key]


@dataclass
class Filters:
    kinds: list[str] = field(default_factory=list)
    facet: int | None = None  # a theme's or organization's page id


def _filter_sql(filters: Filters, alias: str = "e") -> tuple[str, list]:
    sql, params = [], []
    if filters.kinds:
        sql.append(f"{alias}.kind IN ({', '.join(['%s'] * len(filters.kinds))})")
        params += filters.kinds
    if filters.facet is not None:
        sql.append(
            f"{alias}.id IN (SELECT entry_id FROM wiki_searchfacet WHERE page_id = %s)"
        )
        params.append(filters.facet)
    return "".join(f" AND {s}" for s in sql), params


def search(query: str, *, filters: Filters | None = None, page: int = 1) -> Results:
    """Ranked results for ``query``: one page of hits (``PER_PAGE``) and the
    number found (counted up to ``MAX_COUNTED`` and one)."""
    filters = filters or Filters()
    query = clean_query(query)
    offset = (page - 1) * PER_PAGE
    groups = parse(query)
    if not groups:
        return Results(query=query, hits=[], total=0)
    how = backend()
    if how == "postgresql":
        hits, total = _postgres_search(query, filters, offset)
    elif how == "fts5":
        hits, total = _fts5_search(groups, query, filters, offset)
    else:
        hits, total = _simple_search(groups, query, filters, offset)
    results = Results(query=query, hits=hits, total=total)
    if total == 0:
        close = close_titles(query, filters=filters)
        if close:
            results.suggestion = close[0].title
            results.close_titles = close
    return results


def _hits(rows) -> list[Hit]:
    return [
        Hit(
            entry_id=row[0],
            kind=row[1],
            title=row[2],
            url=row[3],
            page_id=row[4],
            snippet=highlighted(row[5] or ""),
        )
        for row in rows
    ]


def _count(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM ({sql} LIMIT {MAX_COUNTED + 1}) counted", params
        )
        return cursor.fetchone()[0]


_HEADLINE = (
    f"StartSel={OPEN}, StopSel={CLOSE}, MaxWords=32, MinWords=14, ShortWord=2, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


# Matches ranked in full: up to this many of each tier (the title typed in
# full; a match in the title; in a short or old title or the lede; anywhere),
# each read through its own index and in no order, then all ranked by cover
# density.  A common word matches tens of thousands of pages at 100,000, and
# ordering them all read as many rows (50-90 ms for "learning", 15,153 pages).
RANK_WINDOW = 200


def _window(offset: int) -> int:
    """The window for results from ``offset``: a multiple of RANK_WINDOW,
    the same for every page in it (so pages of one window never overlap)."""
    return RANK_WINDOW * ((offset + PER_PAGE - 1) // RANK_WINDOW + 1)


def _postgres_search(query: str, filters: Filters, offset: int):
    where, params = _filter_sql(filters)
    window = _window(offset)
    matches = f"e.document @@ q.q{where}"
    tiers = [
        ('lower(e.title) COLLATE "C" = lower(%s) COLLATE "C"', [query], ""),
        ("ts_filter(e.title_document, '{a}') @@ q.q", [], f"LIMIT {window}"),
        ("e.title_document @@ q.q", [], f"LIMIT {window}"),
        ("TRUE", [], f"LIMIT {window}"),
    ]
    candidates = " UNION ".join(
        f"(SELECT e.id FROM wiki_searchentry e, q WHERE {tier} AND {matches} {limit})"
        for tier, _, limit in tiers
    )
    candidate_params = [
        p for _, tier_params, _ in tiers for p in [*tier_params, *params]
    ]
    # The ranking: the title itself typed in full above all, then a match in
    # the title, then one in a short or old title or the lede (read from
    # ``title_document``, small and stored in the row); then how dense and
    # close the matches are in the whole document (cover density).
    sql = f"""
        WITH q AS (SELECT websearch_to_tsquery('{CONFIG}', %s) AS q),
        candidates AS ({candidates}),
        ranked AS (
            SELECT e.id, e.kind, e.title, e.url, e.page_id, e.lede, e.body,
                   (CASE WHEN lower(e.title) = lower(%s) THEN 4 ELSE 0 END
                    + CASE WHEN ts_filter(e.title_document, '{{a}}') @@ q.q
                           THEN 2 ELSE 0 END
                    + CASE WHEN e.title_document @@ q.q THEN 1 ELSE 0 END
                    + ts_rank_cd('{{0.05, 0.2, 0.5, 1.0}}', e.document, q.q, 32))
                       AS rank
            FROM candidates c JOIN wiki_searchentry e ON e.id = c.id, q
            ORDER BY rank DESC, e.title, e.id
            LIMIT {PER_PAGE} OFFSET %s
        )
        SELECT r.id, r.kind, r.title, r.url, r.page_id,
               ts_headline('{CONFIG}',
                           left(r.lede || ' … ' || r.body, {SNIPPET_SOURCE}),
                           q.q, %s)
        FROM ranked r, q ORDER BY r.rank DESC, r.title, r.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [query, *candidate_params, query, offset, _HEADLINE])
        hits = _hits(cursor.fetchall())
    # Counted through the GIN index: a sequential scan, which the planner
    # prefers under a LIMIT, tests every row's document on the way.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        total = _count(
            f"SELECT 1 FROM wiki_searchentry e, websearch_to_tsquery('{CONFIG}', %s) q "
            f"WHERE e.document @@ q{where}",
            [query, *params],
        )
    return hits, total


def _fts_string(words: list[str]) -> str:
    return '"' + " ".join(w.replace('"', "") for w in words) + '"'


def fts5_expression(groups: list[list[Term]], *, prefix: bool = False) -> str:
    """The FTS5 MATCH expression of a parsed query (every word quoted, so no
    character of the query is FTS5 syntax)."""
    alternatives = []
    for group in groups:
        positive = [t for t in group if not t.negated]
        negative = [t for t in group if t.negated]
        expr = " AND ".join(
            _fts_string(t.words) + ("*" if prefix else "") for t in positive
        )
        for term in negative:
            expr = f"({expr}) NOT {_fts_string(term.words)}"
        alternatives.append(f"({expr})")
    return " OR ".join(alternatives)


def _fts5_search(groups, query: str, filters: Filters, offset: int):
    where, params = _filter_sql(filters)
    expression = fts5_expression(groups)
    title_only = "{title} : (" + expression + ")"
    near_title = "{title other_titles lede} : (" + expression + ")"
    # A snippet from the lede, the body or the reading: the first that
    # holds a match (the title is shown anyway).
    snippets = [
        f"snippet(wiki_searchentry_fts, {column}, '{OPEN}', '{CLOSE}', ' … ', 24)"
        for column in (2, 3, 4)
    ]
    snippet = (
        "CASE "
        + " ".join(f"WHEN instr({s}, '{OPEN}') THEN {s}" for s in snippets)
        + " ELSE NULL END"
    )
    matched = f"""
        FROM wiki_searchentry_fts f JOIN wiki_searchentry e ON e.id = f.rowid
        WHERE wiki_searchentry_fts MATCH %s{where}
    """
    sql = f"""
        SELECT e.id, e.kind, e.title, e.url, e.page_id,
               CASE WHEN instr(snippet, '{OPEN}') THEN snippet
                    ELSE substr(e.lede || ' … ' || e.body, 1, 200) END
        FROM (SELECT e.id AS entry_id, {snippet} AS snippet,
                     (lower(e.title) = %s) AS exact,
                     (f.rowid IN (SELECT rowid FROM wiki_searchentry_fts
                                  WHERE wiki_searchentry_fts MATCH %s)) AS in_title,
                     (f.rowid IN (SELECT rowid FROM wiki_searchentry_fts
                                  WHERE wiki_searchentry_fts MATCH %s)) AS near_title,
                     bm25(wiki_searchentry_fts, 10.0, 5.0, 5.0, 2.0, 1.0) AS score,
                     e.title AS title
              {matched}) r
        JOIN wiki_searchentry e ON e.id = r.entry_id
        ORDER BY r.exact DESC, r.in_title DESC, r.near_title DESC, r.score,
                 r.title, e.id
        LIMIT {PER_PAGE} OFFSET %s
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [query.casefold(), title_only, near_title, expression, *params, offset],
        )
        hits = _hits(cursor.fetchall())
    total = _count(f"SELECT 1 {matched}", [expression, *params])
    return hits, total


def _simple_search(groups, query: str, filters: Filters, offset: int):
    """Without FTS5: every word of the first alternative, anywhere, ranked by
    the field it is found in (title, then lede, then the rest)."""
    from django.db.models import Case, IntegerField, Q, Value, When

    entries = SearchEntry.objects.all()
    if filters.kinds:
        entries = entries.filter(kind__in=filters.kinds)
    if filters.facet is not None:
        entries = entries.filter(facets__page_id=filters.facet)
    group = groups[0]
    words = [w for t in group if not t.negated for w in t.words]
    for term in group:
        for word in term.words:
            anywhere = (
                Q(title__icontains=word)
                | Q(other_titles__icontains=word)
                | Q(lede__icontains=word)
                | Q(body__icontains=word)
                | Q(reading__icontains=word)
            )
            entries = (
                entries.exclude(anywhere) if term.negated else entries.filter(anywhere)
            )
    in_title = Q()
    in_lede = Q()
    for word in words:
        in_title &= Q(title__icontains=word)
        in_lede &= Q(other_titles__icontains=word) | Q(lede__icontains=word)
    ranked = entries.annotate(
        score=Case(
            When(title__iexact=query, then=Value(3)),
            When(in_title, then=Value(2)),
            When(in_lede, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("-score", "title", "pk")
    rows = ranked.values_list("id", "kind", "title", "url", "page_id", "lede", "body")[
        offset : offset + PER_PAGE
    ]
    hits = []
    for row in rows:
        text = f"{row[5]} … {row[6]}" if row[5] else row[6]
        hits.append(
            Hit(
                entry_id=row[0],
                kind=row[1],
                title=row[2],
                url=row[3],
                page_id=row[4],
                snippet=highlighted(_mark_words(text[:SNIPPET_SOURCE], words)),
            )
        )
    return hits, ranked.values("pk")[: MAX_COUNTED + 1].count()


def _mark_words(text: str, words: list[str], width: int = 200) -> str:
    """About ``width`` characters of ``text`` around its first match, each
    word found marked."""
    lowered = text.casefold()
    found = [lowered.find(w) for w in words if lowered.find(w) >= 0]
    start = max(0, min(found) - width // 3) if found else 0
    excerpt = text[start : start + width]
    if words:
        pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
        excerpt = pattern.sub(lambda m: f"{OPEN}{m.group(0)}{CLOSE}", excerpt)
    return ("… " if start else "") + excerpt


# Pending proposals a moderator's search lists, at most.
PROPOSALS_SHOWN = 20


def pending_proposals(query: str) -> list:
    """Pending proposals whose proposed title holds every word of ``query``."""
    words = [w for w in query.split() if w.strip('"-')]
    proposals = Proposal.objects.pending()
    for word in words:
        proposals = proposals.filter(title__icontains=word.strip('"'))
    return list(
        proposals.select_related("author").order_by("-created_at")[:PROPOSALS_SHOWN]
    )


# Near misses ---------------------------------------------------------------


# How alike a title's closest words must be to a query (pg_trgm's word
# similarity, 0 to 1) for "did you mean": below its default 0.6, since a
# typo in the middle of a short name spoils half its trigrams.
WORD_SIMILARITY = 0.4


def close_titles(
    query: str, *, filters: Filters | None = None, exclude=(), limit: int = 5
) -> list[Hit]:
    """Entries whose titles are closest to ``query``: by trigram word
    similarity on PostgreSQL (``pg_trgm``, through its index); elsewhere
    among titles with a word that starts as a word of the query does."""
    filters = filters or Filters()
    query = clean_query(query)
    if not query:
        return []
    wanted = limit + len(exclude)
    if backend() == "postgresql":
        where, params = _filter_sql(filters)
        sql = f"""
            SELECT e.id, e.kind, e.title, e.url, e.page_id, left(e.lede, 200)
            FROM wiki_searchentry e
            WHERE lower(%s) <%% lower(e.title){where}
            ORDER BY word_similarity(lower(%s), lower(e.title)) DESC,
                     similarity(lower(%s), lower(e.title)) DESC, e.title
            LIMIT %s
        """
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                [str(WORD_SIMILARITY)],
            )
            cursor.execute(sql, [query, *params, query, query, wanted])
            hits = _hits(cursor.fetchall())
    else:
        hits = _close_titles_by_prefix(query, filters, wanted)
    return [h for h in hits if h.entry_id not in exclude][:limit]


def _close_titles_by_prefix(query: str, filters: Filters, wanted: int) -> list[Hit]:
    """Without trigrams: titles with a word starting with the first three
    letters of a word of the query, the closest (difflib) first."""
    words = [w for w in _WORD.findall(query.casefold()) if len(w) >= 3]
    if not words:
        return []
    candidates = {}
    for word in words[:4]:
        for found in suggest(word[:3], kinds=filters.kinds, limit=MAX_SUGGESTIONS * 5):
            candidates.setdefault(found.title, found)

    def closeness(title: str) -> float:
        title_words = _WORD.findall(title.casefold())
        whole = difflib.SequenceMatcher(None, query.casefold(), title.casefold())
        best = [
            max(
                (difflib.SequenceMatcher(None, w, t).ratio() for t in title_words),
                default=0,
            )
            for w in words
        ]
        return max(whole.ratio(), sum(best) / len(best))

    scored = sorted(
        ((closeness(t), t) for t in candidates), key=lambda pair: (-pair[0], pair[1])
    )
    chosen = [candidates[t] for score, t in scored if score >= 0.75][:wanted]
    entries = {
        (e.kind, e.title): e
        for e in SearchEntry.objects.filter(title__in=[c.title for c in chosen])
    }
    hits = []
    for found in chosen:
        entry = entries.get((found.kind, found.title))
        if entry is not None:
            hits.append(
                Hit(
                    entry_id=entry.pk,
                    kind=entry.kind,
                    title=entry.title,
                    url=entry.url,
                    page_id=entry.page_id,
                    snippet=highlighted(_shorten(entry.lede, 200)),
                )
            )
    return hits


# Suggestions as you type -----------------------------------------------------


@dataclass
class Suggestion:
    kind: str
    title: str
    url: str
    lede: str
    other_titles: str

    @property
    def names(self) -> list[str]:
        """Its other titles: the short title (or a source's key) first,
        then old titles."""
        return self.other_titles.split("\n")

    def as_json(self, *, shared_titles=frozenset()) -> dict:
        """``shared_titles``: titles (casefolded) more than one page has,
        whose links must name the kind."""
        declaration = registry.kind(self.kind)
        names = [t for t in self.names if t]
        if declaration is not None and not declaration.is_page:
            link = names[0] if names else self.title  # a source's key
        elif self.title.casefold() in shared_titles:
            link = f"{self.title} ({self.kind})"
        else:
            link = self.title
        return {
            "title": self.title,
            "kind": self.kind,
            "kind_label": declaration.label if declaration else self.kind,
            "url": self.url,
            "lede": _shorten(self.lede, 160),
            "also": names[:1],
            "link": link,
        }


def shared_titles(suggestions: list[Suggestion]) -> set[str]:
    """Which of these pages' titles another live page has too (one query,
    through the index on lower-cased titles)."""
    pages = [t.kind for t in registry.page_types()]
    titles = sorted({s.title.casefold() for s in suggestions if s.kind in pages})
    if not titles:
        return set()
    lowered = (
        'lower(title) COLLATE "C"' if backend() == "postgresql" else "lower(title)"
    )
    sql = f"""
        SELECT lower(title) FROM wiki_searchentry
        WHERE {lowered} IN ({", ".join(["%s"] * len(titles))})
          AND kind IN ({", ".join(["%s"] * len(pages))})
        LIMIT 100
    """
    seen: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*titles, *pages])
        for (title,) in cursor.fetchall():
            seen[title] = seen.get(title, 0) + 1
    return {title for title, n in seen.items() if n > 1}


def _shorten(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0] + "…"


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def suggest(query: str, *, kinds=(), limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Titles for a query being typed: a title equal to it first, then titles
    starting with it, then titles with a word starting with it, then titles
    (or short, old titles, keys) containing it; shorter titles first."""
    query = clean_query(query).casefold()
    limit = max(1, min(limit, MAX_SUGGESTIONS))
    if not query:
        return []
    kinds = list(kinds)
    kind_sql = f" AND kind IN ({', '.join(['%s'] * len(kinds))})" if kinds else ""
    contains = f"%{_like(query)}%"
    order = """
        ORDER BY (lower(title) = %s) DESC,
                 (lower(title) LIKE %s ESCAPE '\\') DESC,
                 (lower(title) LIKE %s ESCAPE '\\') DESC,
                 length(title), title
    """
    order_params = [query, f"{_like(query)}%", f"% {_like(query)}%"]
    how = backend()
    if how == "postgresql" and len(query) < 3:
        # Too short for a trigram: the first titles A–Z starting with it,
        # read in order from a B-tree (thousands start with "a").
        sql = f"""
            SELECT kind, title, url, substr(lede, 1, 300), other_titles
            FROM wiki_searchentry
            WHERE lower(title) COLLATE "C" LIKE %s{kind_sql}
            ORDER BY lower(title) COLLATE "C", title LIMIT %s
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [f"{_like(query)}%", *kinds, limit])
            return [Suggestion(*row) for row in cursor.fetchall()]
    if how == "postgresql":
        # Through the trigram indexes on titles and other titles.
        where = (
            "(lower(title) LIKE %s ESCAPE '\\' "
            "OR lower(other_titles) LIKE %s ESCAPE '\\')"
        )
        where_params = [contains, contains]
    elif how == "fts5":
        groups = [[Term(words=[w]) for w in _WORD.findall(query)]]
        if not groups[0]:
            return []
        expression = (
            "{title other_titles} : (" + fts5_expression(groups, prefix=True) + ")"
        )
        where = (
            "id IN (SELECT rowid FROM wiki_searchentry_fts "
            "WHERE wiki_searchentry_fts MATCH %s)"
        )
        where_params = [expression]
    else:
        where = (
            "(lower(title) LIKE %s ESCAPE '\\' "
            "OR lower(other_titles) LIKE %s ESCAPE '\\')"
        )
        where_params = [contains, contains]
    sql = f"""
        SELECT kind, title, url, substr(lede, 1, 300), other_titles
        FROM wiki_searchentry WHERE {where}{kind_sql}
        {order} LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*where_params, *kinds, *order_params, limit])
        return [Suggestion(*row) for row in cursor.fetchall()]


# Titles near a query, A–Z (404 pages, missing links) -------------------------


def close_matches(query: str, *, limit: int = 5) -> list[Page]:
    """Pages whose titles are closest to ``query`` (for 404s and missing links).

    The candidates are the titles next to the query in A–Z order, and those
    starting with one of its two longest words (so "radford" finds "Radford
    Neal", and a typo in a first name still finds the pages of that surname),
    each read through the index on lower-cased titles: at most four queries
    of a bounded number of rows, however many pages there are.
    """
    query = " ".join(query.split()).casefold()
    if not query:
        return []
    titles = (
        Page.objects.published()
        .alias(title_lower=Lower("title"))
        .only("kind", "title", "slug")
    )
    near = [
        titles.filter(title_lower__gte=query).order_by("title_lower"),
        titles.filter(title_lower__lt=query).order_by("-title_lower"),
    ]
    words = sorted({w for w in query.split(" ") if len(w) > 2} - {query}, key=len)
    near += [
        titles.filter(title_lower__gte=word).order_by("title_lower")
        for word in words[-2:]
    ]
    candidates: dict[str, Page] = {}
    for part in near:
        for page in part[:NEIGHBOURS]:
            candidates.setdefault(page.title.casefold(), page)
    names = difflib.get_close_matches(query, list(candidates), n=limit, cutoff=0.5)
    contains = [t for t in candidates if query in t and t not in names]
    return [candidates[name] for name in [*names, *contains][:limit]]

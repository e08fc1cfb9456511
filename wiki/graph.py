"""The relationship graph of a page: the pages one and two steps away.

One step: what the page touches, each a registered ``GraphLink``: its
organizations, themes, works, authors, co-authors (through shared works),
the pages its text links to and its related pages, and the pages linking to
it.  Two steps: the same relations of those pages (but what links to them),
read for all of them at once.

Every part is bounded: each relation gives at most a few pages per page, cut
in the database (on PostgreSQL by an index scan that stops there, see
``_lateral``), at most ``STEP_ONE_NODES`` and ``STEP_TWO_NODES`` pages in
all, and the graph says how many connections it leaves out; so a page
linked to thousands costs about what any other does.  The data is a dict
ready for JSON (``graph.json``) and for the list that shows it without
JavaScript.
"""

import functools
from collections import defaultdict
from itertools import zip_longest

from django.db import connection, connections, router
from django.db.models import Count, F, IntegerField, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.urls import reverse

from wiki import registry
from wiki.models import Page
from wiki.registry import GraphLink

STEP_ONE_NODES = 40
STEP_TWO_NODES = 40
# How many pages two steps away the graph follows from each page one step away.
STEP_TWO_PER_PAGE = 6
# How many pages one step away a list entry two steps away names.
THROUGH_NAMES = 3
# The most connections the graph counts of one relation of one page: it
# says "at least" past that, rather than count thousands of members it does
# not show.
COUNT_CAP = 100


def _columns(link: GraphLink) -> list[str]:
    return [
        f"{link.target}_id",
        f"{link.target}__kind",
        f"{link.target}__slug",
        f"{link.target}__title",
        f"{link.target}__short_title",
    ]


def _order(link: GraphLink) -> tuple:
    return link.order_by or (f"{link.target}__title", f"{link.target}_id")


def follow_queryset(link: GraphLink, source_ids: list[int], limit: int):
    """``follow_all``'s rows of one relation as a query, unordered, each
    with its rank last (so that several can be read in one query, a UNION
    ALL): a window over every row of each source, for databases without
    LATERAL joins."""
    source = f"{link.source}_id"
    return (
        link.through.objects.filter(
            **{f"{source}__in": source_ids, f"{link.target}__is_deleted": False}
        )
        .annotate(
            graph_rank=Window(
                RowNumber(), partition_by=F(source), order_by=_order(link)
            ),
            graph_total=Window(Count("*"), partition_by=F(source)),
        )
        .filter(graph_rank__lte=limit)
        .order_by()
        .values_list(source, *_columns(link), "graph_total", "graph_rank")
    )


def _lateral(link: GraphLink, source_ids: list[int], limit: int, tag: int):
    """``follow_queryset``'s rows as SQL for PostgreSQL: for each source, its
    first ``limit`` rows in ``link``'s order (an index scan that stops there
    when an index covers the order) and its count of live rows up to
    ``COUNT_CAP``."""
    sql, count_params, first_params = _lateral_sql(link, limit, COUNT_CAP)
    return sql, [tag, list(source_ids), *count_params, *first_params]


@functools.cache
def _lateral_sql(link: GraphLink, limit: int, cap: int) -> tuple[str, list, list]:
    """``_lateral``'s SQL, the same for any pages: compiled once per
    process (compiling the relations' queries cost more than running them)."""
    source = {f"{link.source}_id": RawSQL("graph_source.id", ())}
    first = (
        link.through.objects.filter(**source, **{f"{link.target}__is_deleted": False})
        .order_by(*_order(link))
        .annotate(graph_rank=Window(RowNumber(), order_by=_order(link)))
        .values_list(*_columns(link), "graph_rank")[:limit]
    )
    # Counted by the link rows and the pages' own table alone.
    live = Page.objects.filter(is_deleted=False).values("pk")
    counted = (
        link.through.objects.filter(**source, **{f"{link.target}_id__in": live})
        .order_by()
        .values("pk")[:cap]
    )
    first_sql, first_params = first.query.sql_with_params()
    count_sql, count_params = counted.query.sql_with_params()
    columns = ", ".join(f"graph_first.col{n}" for n in range(5))
    # Each LATERAL runs once per source: the count, then the first rows.
    sql = (
        f"SELECT graph_source.id, {columns}, graph_count.n, graph_first.col5, %s "
        f"FROM unnest(%s::bigint[]) AS graph_source(id) "
        f"CROSS JOIN LATERAL (SELECT count(*) FROM ({count_sql}) AS graph_counted) "
        f"AS graph_count(n) "
        f"CROSS JOIN LATERAL ({first_sql}) "
        f"AS graph_first(col0, col1, col2, col3, col4, col5)"
    )
    return sql, list(count_params), list(first_params)


def first_rows(model, source: str, order: tuple, source_ids: list[int], limit: int):
    """The pks of the first ``limit`` rows of ``model`` for each of
    ``source_ids`` (matched on the column ``source``) in ``order``, for a
    ``pk__in`` filter: on PostgreSQL an index scan per page that stops there
    (when an index on ``source`` and ``order`` covers it), elsewhere a window
    over every row of each page."""
    if connection.vendor == "postgresql":
        sql, params = _first_rows_sql(model, source, order, limit)
        return RawSQL(sql, [list(source_ids), *params])
    return (
        model.objects.filter(**{f"{source}__in": source_ids})
        .annotate(
            graph_rank=Window(RowNumber(), partition_by=F(source), order_by=order)
        )
        .filter(graph_rank__lte=limit)
        .values("pk")
    )


@functools.cache
def _first_rows_sql(model, source: str, order: tuple, limit: int):
    each = (
        model.objects.filter(**{source: RawSQL("graph_source.id", ())})
        .order_by(*order)
        .values("pk")[:limit]
    )
    sql, params = each.query.sql_with_params()
    return (
        "SELECT graph_first.pk FROM unnest(%s::bigint[]) AS graph_source(id) "
        f"CROSS JOIN LATERAL ({sql}) AS graph_first(pk)",
        list(params),
    )


def follow_all(wanted: list[tuple[GraphLink, list[int]]], limit: int) -> list:
    """For each pair of a relation and its source pages, ``(source pk,
    target pk, kind, slug, title, short title, connections of the source)``
    for the first ``limit`` live targets of each source, in one
    query (a UNION ALL of the relations' rows, each tagged with its place in
    ``wanted``), but for relations a function reads (co-authors), one query
    each.  The rows of each pair, in ``wanted``'s order."""
    rows: list[list[tuple]] = [[] for _ in wanted]
    tagged = []
    for index, (link, sources) in enumerate(wanted):
        if not sources:
            continue
        if link.rows is not None:
            rows[index] = link.rows(sources, limit)
        else:
            tagged.append((index, link, sources))
    for *row, index in _read(tagged, limit):
        rows[index].append(tuple(row))
    return [
        found if link.rows is not None else by_rank(found)
        for (link, _sources), found in zip(wanted, rows, strict=True)
    ]


def _read(tagged: list[tuple[int, GraphLink, list[int]]], limit: int):
    """The rows of every ``(tag, link, sources)`` in one query, each row
    ending with its rank and its tag."""
    if not tagged:
        return []
    if connection.vendor == "postgresql":
        parts = [_lateral(link, sources, limit, tag) for tag, link, sources in tagged]
        # Where the ORM would read them: a replica, if the router sends reads
        # to one (wiki/db_router.py).
        alias = router.db_for_read(Page)
        with connections[alias].cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(f"({sql})" for sql, _ in parts),
                [param for _, params in parts for param in params],
            )
            return cursor.fetchall()
    queries = [
        follow_queryset(link, sources, limit).annotate(
            graph_link=Value(tag, output_field=IntegerField())
        )
        for tag, link, sources in tagged
    ]
    return queries[0].union(*queries[1:], all=True)


def by_rank(rows) -> list[tuple]:
    """``follow_queryset``'s rows by source, then rank, without the rank."""
    return [row[:-1] for row in sorted(rows, key=lambda row: (row[0], row[-1]))]


def links_from(kind: str) -> list[GraphLink]:
    return [
        link for kinds, link in registry.graph_links() if kinds is None or kind in kinds
    ]


class Builder:
    def __init__(self):
        self.nodes: dict[int, dict] = {}
        self.edges: dict[tuple[int, int], list[str]] = {}
        self.left_out = {1: 0, 2: 0}
        # Whether a count stopped at COUNT_CAP: left_out is then a floor.
        self.capped = {1: False, 2: False}

    def leave_out(self, step: int, total: int, shown: int) -> None:
        """Count the connections of one relation of one page not shown,
        from its ``total`` (as counted, up to COUNT_CAP)."""
        total = min(total, COUNT_CAP)
        self.left_out[step] += max(total - shown, 0)
        self.capped[step] = self.capped[step] or total >= COUNT_CAP

    def add_node(self, pk, kind, slug, title, short_title, step: int) -> None:
        page_type = registry.page_type(kind)
        self.nodes[pk] = {
            "id": str(pk),
            "title": title,
            "short_title": short_title or title,
            "kind": kind,
            "kind_label": page_type.label,
            "url": reverse(
                "wiki:page_detail", kwargs={"section": page_type.section, "slug": slug}
            ),
            "step": step,
        }

    def add_edge(self, a: int, b: int, relation: str) -> None:
        if a == b:
            return
        relations = self.edges.setdefault(
            (a, b) if (b, a) not in self.edges else (b, a), []
        )
        if relation not in relations:
            relations.append(relation)

    def in_step(self, step: int) -> list[int]:
        return [pk for pk, node in self.nodes.items() if node["step"] == step]


def neighbourhood(page) -> dict:
    """The graph of ``page`` (loaded as a page view loads it, with its own
    rows prefetched): a fixed number of queries whatever the site's size."""
    graph = Builder()
    graph.add_node(page.pk, page.kind, page.slug, page.title, page.short_title, 0)
    relations: list[list[tuple[tuple, str]]] = []
    links = [link for link in links_from(page.kind) if link.first_step]
    followed = follow_all([(link, [page.pk]) for link in links], STEP_ONE_NODES)
    for link, rows in zip(links, followed, strict=True):
        if rows:
            graph.leave_out(1, rows[0][-1], STEP_ONE_NODES)
        relations.append([(row[1:6], link.label) for row in rows])
    # Taken in turns, so that no one relation (a hundred works) fills the
    # graph before the others (co-authors, organizations) have a place.
    for entry in zip_longest(*relations):
        for row, relation in filter(None, entry):
            if row[0] not in graph.nodes:
                if len(graph.nodes) - 1 >= STEP_ONE_NODES:
                    graph.left_out[1] += 1
                    continue
                graph.add_node(*row, 1)
            graph.add_edge(page.pk, row[0], relation)
    _second_step(graph)
    return {
        "page": graph.nodes[page.pk],
        "nodes": list(graph.nodes.values()),
        "edges": [
            {"source": str(a), "target": str(b), "relations": relations}
            for (a, b), relations in graph.edges.items()
        ],
        # Every kind, in a fixed order, so a kind has the same colour on
        # every page's drawing.
        "kinds": [
            {"kind": t.kind, "label": t.label, "plural": t.plural}
            for t in registry.page_types()
        ],
        "left_out": {"one_step": graph.left_out[1], "two_steps": graph.left_out[2]},
        # Whether each is "at least": some page has more than COUNT_CAP.
        "left_out_at_least": {
            "one_step": graph.capped[1],
            "two_steps": graph.capped[2],
        },
        "limits": {"one_step": STEP_ONE_NODES, "two_steps": STEP_TWO_NODES},
    }


def _second_step(graph: Builder) -> None:
    by_kind: dict[str, list[int]] = defaultdict(list)
    for pk in graph.in_step(1):
        by_kind[graph.nodes[pk]["kind"]].append(pk)
    followed_links = [
        (kinds, link) for kinds, link in registry.graph_links() if link.second_step
    ]
    links = [link for _kinds, link in followed_links]
    sources = [
        [
            pk
            for kind, pks in by_kind.items()
            if kinds is None or kind in kinds
            for pk in pks
        ]
        for kinds, _link in followed_links
    ]
    followed = follow_all(list(zip(links, sources, strict=True)), STEP_TWO_PER_PAGE)
    found: dict[int, dict] = {}  # pages two steps away, with what reaches them
    for link, found_rows in zip(links, followed, strict=True):
        counted: set[int] = set()
        for source, *row, total in found_rows:
            pk = row[0]
            if source not in counted:
                counted.add(source)
                graph.leave_out(2, total, STEP_TWO_PER_PAGE)
            if pk in graph.nodes:
                # Back to the page itself: the first step has that relation.
                if graph.nodes[pk]["step"] > 0:
                    graph.add_edge(source, pk, link.label)
                continue
            entry = found.setdefault(pk, {"row": tuple(row), "edges": []})
            entry["edges"].append((source, link.label))
    ranked = sorted(
        found.values(),
        key=lambda e: (-len({s for s, _ in e["edges"]}), e["row"][3], e["row"][0]),
    )
    for entry in ranked[STEP_TWO_NODES:]:
        graph.left_out[2] += len(entry["edges"])
    for entry in ranked[:STEP_TWO_NODES]:
        graph.add_node(*entry["row"], 2)
        for source, relation in entry["edges"]:
            graph.add_edge(source, entry["row"][0], relation)


def as_list(data: dict) -> list[dict]:
    """The graph as a reader's list: for each step, its pages grouped by
    kind (in the order the site lists kinds), each with how it is reached:
    its relations to the page one step away, the pages through which two
    steps away."""
    nodes = {node["id"]: node for node in data["nodes"]}
    page_id = data["page"]["id"]
    phrases = {
        link.label: link.note or _lower_first(link.label)
        for link in links_from(data["page"]["kind"])
    }
    notes: dict[str, list[str]] = defaultdict(list)
    through: dict[str, list[str]] = defaultdict(list)
    for edge in data["edges"]:
        a, b = edge["source"], edge["target"]
        for one, other in ((a, b), (b, a)):
            if one == page_id:
                notes[other].extend(edge["relations"])
            elif nodes[one]["step"] == 1 and nodes[other]["step"] == 2:
                through[other].append(nodes[one]["title"])
    order = {t.kind: (t.order, t.plural) for t in registry.page_types()}
    steps = []
    for step, heading, key in (
        (1, "One step away", "one_step"),
        (2, "Two steps away", "two_steps"),
    ):
        by_kind: dict[str, list[dict]] = defaultdict(list)
        for node in data["nodes"]:
            if node["step"] != step:
                continue
            if step == 1:
                said = {phrases.get(r, _lower_first(r)) for r in notes[node["id"]]}
                note = ", ".join(sorted(said))
            else:
                names = sorted(set(through[node["id"]]))
                note = "through " + ", ".join(names[:THROUGH_NAMES])
                if len(names) > THROUGH_NAMES:
                    note += f" and {len(names) - THROUGH_NAMES} more"
            by_kind[node["kind"]].append({**node, "note": note})
        groups = [
            {
                "kind": kind,
                "plural": order[kind][1],
                "entries": sorted(entries, key=lambda e: e["title"]),
            }
            for kind, entries in sorted(by_kind.items(), key=lambda i: order[i[0]])
        ]
        steps.append(
            {
                "step": step,
                "heading": heading,
                "groups": groups,
                "left_out": data["left_out"][key],
                "at_least": data["left_out_at_least"][key],
                "bound": (
                    f"up to {STEP_ONE_NODES} pages one step away"
                    if step == 1
                    else f"up to {STEP_TWO_PER_PAGE} of each kind of connection "
                    f"from each page one step away, {STEP_TWO_NODES} pages in all"
                ),
            }
        )
    return steps


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]

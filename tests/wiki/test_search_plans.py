"""On PostgreSQL, search reads its indexes: the GIN index on the weighted
document for results, the trigram indexes on titles for suggestions and "did
you mean".  Each query's plan names its index, so a change that makes one
walk every entry (100,000 at scale) fails here rather than in production."""

import re

import pytest
from django.db import connection

from wiki import search
from wiki.search import Document

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
]


@pytest.fixture
def entries():
    """3,000 search entries (sources: no pages needed), counted by ANALYZE."""
    search.index_many(
        [
            Document(
                kind="source",
                object_id=n,
                title=f"{WORDS[n % 11].title()} study {n}",
                url=f"/sources/s{n}/",
                other_titles=[f"key{n}"],
                lede=f"{WORDS[(n * 7) % 11]} {WORDS[(n * 3) % 11]} report",
                body=" ".join(WORDS[(n + i) % 11] for i in range(40)),
            )
            for n in range(3000)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE wiki_searchentry")


def plans_of(call) -> str:
    """The plans of every query ``call`` makes, with sequential scans off
    (as the planner chooses on a large table)."""
    executed = []

    def keep(execute, sql, params, many, context):
        executed.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        call()
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for sql, params in executed:
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                cursor.execute(f"EXPLAIN {sql}", params)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        finally:
            cursor.execute("SET enable_seqscan = on")
    return "\n\n".join(plans)


def test_results_are_found_through_the_documents_gin_index(entries):
    results = []
    plan = plans_of(lambda: results.append(search.search("kappa report")))
    assert results[0].total == 1001  # counted up to MAX_COUNTED and one
    # Each tier of the ranking through its own index, and the count too.
    for index in (
        "search_entry_title_prefix",  # the title typed in full
        "search_entry_title_only",  # a match in the title
        "search_entry_title_document",  # in a short or old title or the lede
        "search_entry_document",  # anywhere
    ):
        assert re.search(rf"(Scan on|Scan using) {index} ", plan), plan
    assert "Seq Scan on wiki_searchentry" not in plan, plan


def test_suggestions_read_the_trigram_index_on_titles(entries):
    found = []
    plan = plans_of(lambda: found.append(search.suggest("kapp")))
    assert [s.title for s in found[0]][:1] == ["Kappa study 9"]
    assert "Bitmap Index Scan on search_entry_title_trgm" in plan, plan


def test_did_you_mean_reads_the_trigram_index_on_titles(entries):
    found = []
    plan = plans_of(lambda: found.append(search.close_titles("kapa stuyd 9")))
    assert found[0][0].title == "Kappa study 9"
    assert "Bitmap Index Scan on search_entry_title_trgm" in plan, plan


def test_suggestions_for_two_letters_read_titles_starting_with_them(entries):
    found = []
    plan = plans_of(lambda: found.append(search.suggest("ka")))
    # The first A–Z (as bytes: the index's order, whatever the collation).
    assert [s.title for s in found[0]][:2] == ["Kappa study 1010", "Kappa study 1021"]
    assert "search_entry_title_prefix" in plan, plan

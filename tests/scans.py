"""Rows the database scanned to answer some code (PostgreSQL).

``tests/rows.py`` counts the rows queries hand back to Django; a query can
hand back one row (a COUNT, a DISTINCT, an aggregate) and read every row of a
table.  ``rows_scanned`` counts what PostgreSQL itself reports reading in the
current transaction (``pg_stat_get_xact_tuples_returned``): rows sequential
scans returned and index entries index scans returned (index-only included).

    with rows_scanned() as scanned:
        client.get("/people/")
    assert scanned.read < 500, scanned.tables

PostgreSQL only (tests using it are marked ``postgres``).
"""

import contextlib
from dataclasses import dataclass, field

from django.db import connection

# Rows a sequential scan of each table returned, plus index entries its
# indexes returned, in the current transaction (``pg_stat_xact_user_tables``
# as functions, since PostgreSQL has no per-transaction view of indexes).
_READ = """
    SELECT t.relname,
           pg_stat_get_xact_tuples_returned(t.oid)
           + COALESCE((SELECT SUM(pg_stat_get_xact_tuples_returned(i.indexrelid))
                         FROM pg_index i
                        WHERE i.indrelid = t.oid), 0)
      FROM pg_class t
      JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE t.relkind = 'r' AND n.nspname = current_schema()
"""


@dataclass
class RowsRead:
    tables: dict[str, int] = field(default_factory=dict)

    @property
    def read(self) -> int:
        return sum(self.tables.values())


def _snapshot() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(_READ)
        return {name: int(rows) for name, rows in cursor.fetchall()}


@contextlib.contextmanager
def rows_scanned(*, large_table_plans: bool = True):
    """Count the rows read inside the block, per table (``.tables``) and in
    all (``.read``).  The test's transaction must stay open across the block,
    as it does under pytest-django's ``db`` fixture."""
    if connection.vendor != "postgresql":
        raise RuntimeError("rows_scanned needs PostgreSQL's statistics")
    if large_table_plans:
        # A test corpus is small enough that reading a whole table is the
        # cheapest plan; at 100,000 pages it is not.  Plan as for a large site.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    result = RowsRead()
    before = _snapshot()
    yield result
    after = _snapshot()
    result.tables = {
        name: rows - before.get(name, 0)
        for name, rows in after.items()
        if rows - before.get(name, 0)
    }

"""Row-count guards: how many rows the database read to answer some code.

A fixed number of queries is not a fixed cost: one query can read every row of
a table.  ``count_rows`` counts what PostgreSQL itself reports reading in the
current transaction (``pg_stat_xact_*``): rows a sequential scan returned, and
index entries an index scan returned (index-only scans included).

    with count_rows() as rows:
        client.get("/people/")
    assert rows.read < 500, rows.tables

PostgreSQL only (tests using it are marked ``postgres``).
"""

import contextlib
from dataclasses import dataclass, field

from django.db import connection

_READ = """
    SELECT t.relname,
           COALESCE(t.seq_tup_read, 0)
           + COALESCE((SELECT SUM(i.idx_tup_read)
                         FROM pg_stat_xact_user_indexes i
                        WHERE i.relid = t.relid), 0)
      FROM pg_stat_xact_user_tables t
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
def count_rows():
    """Count the rows read inside the block, per table (``.tables``) and in
    all (``.read``).  The test's transaction must stay open across the block,
    as it does under pytest-django's ``db`` fixture."""
    if connection.vendor != "postgresql":
        raise RuntimeError("count_rows needs PostgreSQL's statistics")
    result = RowsRead()
    before = _snapshot()
    yield result
    after = _snapshot()
    result.tables = {
        name: rows - before.get(name, 0)
        for name, rows in after.items()
        if rows - before.get(name, 0)
    }

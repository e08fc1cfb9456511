"""Row-count guards: how many rows a piece of code reads from the database.

A fixed number of queries is not a fixed cost: one query can return 60,000
rows.  ``count_rows()`` counts the rows every cursor hands to Django (through
``fetchone``/``fetchmany``/``fetchall`` and iteration, on SQLite and
PostgreSQL alike), per query, beside ``django_assert_num_queries``::

    with max_rows(200):
        client.get("/people/alec-radford/")
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.backends.utils import CursorWrapper


@dataclass
class RowCount:
    """Rows read, in total and per query (in the order the queries ran)."""

    queries: list[list] = field(default_factory=list)  # [sql, rows]

    @property
    def total(self) -> int:
        return sum(rows for _, rows in self.queries)

    def report(self) -> str:
        return "\n".join(f"{rows:>7} rows  {sql[:300]}" for sql, rows in self.queries)


_active: list[RowCount] = []


def _entry(cursor: CursorWrapper) -> list:
    entry = getattr(cursor, "_rows_entry", None)
    if entry is None:  # a cursor opened before counting began
        entry = ["(query run before counting)", 0]
        for count in _active:
            count.queries.append(entry)
        cursor._rows_entry = entry
    return entry


def _add(cursor: CursorWrapper, rows: int) -> None:
    _entry(cursor)[1] += rows


def _fetchone(self):
    row = CursorWrapper.__getattr__(self, "fetchone")()
    if row is not None:
        _add(self, 1)
    return row


def _fetchmany(self, size=None):
    fetch = CursorWrapper.__getattr__(self, "fetchmany")
    rows = fetch() if size is None else fetch(size)
    _add(self, len(rows))
    return rows


def _fetchall(self):
    rows = CursorWrapper.__getattr__(self, "fetchall")()
    _add(self, len(rows))
    return rows


def _iter(self):
    with self.db.wrap_database_errors:
        for row in self.cursor:
            _add(self, 1)
            yield row


_original_execute = CursorWrapper.execute
_original_executemany = CursorWrapper.executemany


def _execute(self, sql, params=None):
    entry = [str(sql), 0]
    self._rows_entry = entry
    for count in _active:
        count.queries.append(entry)
    return _original_execute(self, sql, params)


def _executemany(self, sql, param_list):
    entry = [str(sql), 0]
    self._rows_entry = entry
    for count in _active:
        count.queries.append(entry)
    return _original_executemany(self, sql, param_list)


_PATCHES = {
    "fetchone": _fetchone,
    "fetchmany": _fetchmany,
    "fetchall": _fetchall,
    "__iter__": _iter,
    "execute": _execute,
    "executemany": _executemany,
}


@contextlib.contextmanager
def count_rows() -> Iterator[RowCount]:
    """Count the rows read from any database inside the block."""
    count = RowCount()
    outermost = not _active
    if outermost:
        saved = {name: CursorWrapper.__dict__.get(name) for name in _PATCHES}
        for name, method in _PATCHES.items():
            setattr(CursorWrapper, name, method)
    _active.append(count)
    try:
        yield count
    finally:
        _active.remove(count)
        if outermost:
            for name, method in saved.items():
                if method is None:
                    delattr(CursorWrapper, name)
                else:
                    setattr(CursorWrapper, name, method)


@contextlib.contextmanager
def max_rows(limit: int) -> Iterator[RowCount]:
    """Fail if the block reads more than ``limit`` rows, naming the queries."""
    with count_rows() as count:
        yield count
    assert count.total <= limit, (
        f"Read {count.total} rows, more than {limit}:\n{count.report()}"
    )

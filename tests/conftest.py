"""Settings and fixtures shared by the whole suite (factories: tests/factories.py)."""

import contextlib
import os

import pytest


def pytest_configure(config):
    from django.conf import settings

    # collectstatic never runs for tests, so STATIC_ROOT does not exist; without
    # autorefresh WhiteNoise scans it at start-up and warns, and warnings are
    # errors here.  Tests get static files from the finders instead.
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hash passwords cheaply: the default hasher costs ~0.3 s per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def postgres_only(request):
    """Tests marked ``postgres`` need PostgreSQL: a failure in CI, a skip elsewhere.

    ``make test`` runs them on its PostgreSQL pass and deselects them
    (``-m "not postgres"``) on the SQLite pass, so CI never skips them.
    """
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        message = f"needs PostgreSQL, and the database is {connection.vendor}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(autouse=True)
def commit_emulation(monkeypatch):
    """Run ``transaction.on_commit`` callbacks as if the test's writes committed.

    Under pytest-django's ``db`` fixture every test runs inside atomic blocks
    that the test case opens (Django marks them ``Atomic._from_testcase``) and
    rolls back at the end, so nothing ever commits and on-commit callbacks
    (the link and citation upkeep after a publish) would never run.  Here:

    - a callback registered while only the test case's own blocks are open
      runs at once, as it would in autocommit mode;
    - a callback registered inside the code's own atomic blocks waits, and
      runs when the code's outermost block exits without an error or a
      rollback, as it would at the real commit;
    - a rolled-back block still discards its callbacks: Django drops the
      callbacks of a savepoint it rolls back, before they could run here.

    Transactional tests (no test-case blocks) keep Django's real behaviour.
    """
    from django.db import transaction
    from django.db.backends.base.base import BaseDatabaseWrapper

    def only_testcase_blocks(connection) -> bool:
        blocks = connection.atomic_blocks
        return bool(blocks) and all(block._from_testcase for block in blocks)

    def run(connection) -> None:
        pending, connection.run_on_commit = connection.run_on_commit, []
        for _, func, robust in pending:
            if robust:
                # As Django: a robust callback's error does not stop the rest.
                with contextlib.suppress(Exception):
                    func()
            else:
                func()

    real_on_commit = BaseDatabaseWrapper.on_commit

    def on_commit(self, func, robust=False):
        real_on_commit(self, func, robust)
        if only_testcase_blocks(self):
            run(self)

    real_exit = transaction.Atomic.__exit__

    def exit_(self, exc_type, exc_value, traceback):
        connection = transaction.get_connection(self.using)
        result = real_exit(self, exc_type, exc_value, traceback)
        if (
            exc_type is None
            and not self._from_testcase
            and only_testcase_blocks(connection)
        ):
            run(connection)
        return result

    monkeypatch.setattr(BaseDatabaseWrapper, "on_commit", on_commit)
    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A statement cancelled by the test cluster's statement_timeout
    (tests/pg_cluster.py) fails its test with what the server was doing at
    that moment: every other session of the test database, what it ran last
    and what it waits for, so a lock held elsewhere names its holder."""
    report = yield
    if call.excinfo is not None and "statement timeout" in str(call.excinfo.value):
        report.sections.append(("PostgreSQL at the statement timeout", _pg_activity()))
        statement = _statement_of(call.excinfo)
        if statement is not None:
            report.sections.append(("Its plan, as planned now", _pg_plan(*statement)))
    return report


def _statement_of(excinfo):
    """The SQL and parameters of the statement cancelled, from the frame of
    Django's cursor wrapper that ran it."""
    for entry in reversed(excinfo.traceback):
        names = entry.frame.f_locals
        if entry.name == "_execute" and "sql" in names and "params" in names:
            return names["sql"], names["params"]
    return None


def _connect():
    import psycopg
    from django.db import connection

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params, autocommit=True)


def _pg_plan(sql, params) -> str:
    """EXPLAIN of the statement from another session: the same statistics
    and table sizes (the test's rows are on disk, if not visible there), so
    most likely the plan that ran."""
    try:
        with _connect() as other:
            rows = other.execute("EXPLAIN " + sql, params).fetchall()
    except Exception as error:  # a diagnosis must not hide the failure
        return f"could not EXPLAIN: {error!r}"
    return "\n".join(row[0] for row in rows)


def _pg_activity() -> str:
    query = """
        SELECT pid, backend_type, application_name, state, wait_event_type,
               wait_event, pg_blocking_pids(pid), now() - xact_start,
               left(query, 300)
        FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
    """
    try:
        with _connect() as other:
            rows = other.execute(query).fetchall()
    except Exception as error:  # a diagnosis must not hide the failure
        return f"could not read pg_stat_activity: {error!r}"
    return "\n".join(" | ".join(str(value) for value in row) for row in rows)

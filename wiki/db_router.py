"""Reads from read replicas, with read-your-writes for whoever just wrote.

With ``DATABASE_REPLICA_URLS`` set, ``wiki/settings.py`` adds one alias per
replica (``replica_1``, ``replica_2``...) to ``LINEAGE_DATABASE_REPLICAS`` and
installs :class:`PrimaryReplicaRouter`.  Then, during a request:

- every write goes to the primary (``default``), and so does every read once
  the request has written (an INSERT, UPDATE or DELETE ran: the upkeep after a
  publish commits reads what the publish wrote), and every read inside a
  transaction or a ``select_for_update`` (both are on the primary);
- a request that wrote sets a cookie that sends its client's reads to the
  primary for ``LINEAGE_REPLICA_PIN_SECONDS``, so the page a user is redirected
  to after publishing shows the publish even if the replica lags behind;
- any other request reads from one replica, chosen at random per request, so
  one page never mixes two replicas' states.

Outside a request (management commands, the task worker) everything reads the
primary: a task runs because something was just written.  Migrations run on
the primary only; replicas get the schema by replication.
"""

from __future__ import annotations

import random
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PRIMARY = DEFAULT_DB_ALIAS
# Whatever a client puts in it, the worst it gets is reads from the primary.
PIN_COOKIE = "lineage_primary"
WRITES = ("INSERT", "UPDATE", "DELETE")


@dataclass
class RequestDatabases:
    replica: str | None
    wrote: bool = False

    def watch(self, execute, sql, params, many, context):
        """Note a statement that writes (a ``connection.execute_wrapper``)."""
        if (
            not self.wrote
            and isinstance(sql, str)
            and sql[:8].lstrip().upper().startswith(WRITES)
        ):
            self.wrote = True
        return execute(sql, params, many, context)


_current: ContextVar[RequestDatabases | None] = ContextVar(
    "lineage_request_databases", default=None
)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _current.get()
        if state is None or state.replica is None or state.wrote:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return state.replica

    def db_for_write(self, model, **hints):
        # Not proof of a write: reversion asks it to name the alias it stores
        # versions under. The middleware watches the statements instead.
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replicas hold the primary's data: an object read from one may
        # point at an object read from another.
        aliases = {PRIMARY, *settings.LINEAGE_DATABASE_REPLICAS}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def request_replica() -> str | None:
    """The replica the current request reads from: ``None`` when it reads only
    the primary (no replicas, outside a request, or a client pinned to the
    primary).  The page cache checks that replica has caught up before it
    stores what the request rendered (wiki/cache.py)."""
    state = _current.get()
    return None if state is None else state.replica


def _pinned_to_primary(request) -> bool:
    value = request.COOKIES.get(PIN_COOKIE, "")
    try:
        return float(value) > time.time()
    except ValueError:
        return False


def read_your_writes(get_response):
    """Route a request's reads (see the module's docstring); pin writers."""

    def middleware(request):
        replicas = settings.LINEAGE_DATABASE_REPLICAS
        if not replicas:
            return get_response(request)
        state = RequestDatabases(
            replica=None if _pinned_to_primary(request) else random.choice(replicas)
        )
        token = _current.set(state)
        try:
            with connections[PRIMARY].execute_wrapper(state.watch):
                response = get_response(request)
        finally:
            _current.reset(token)
        if state.wrote:
            seconds = settings.LINEAGE_REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time() + seconds:.3f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    return middleware

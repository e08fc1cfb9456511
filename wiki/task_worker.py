"""The task worker, made to outlast database restarts and its own deaths.

django-tasks-db's worker (``manage.py db_worker``) claims a task (status
RUNNING, committed), runs it, then records the outcome.  Left as it is:

- a database error while it looks for work (PostgreSQL restarting) ends the
  process, and nothing runs tasks until someone starts it again;
- a task whose body meets the outage is recorded FAILED (or, if recording
  fails too, stays RUNNING), and is never run;
- a worker killed while running a task (kill -9, out of memory, a machine
  lost) leaves it RUNNING forever: a lost task.

Lineage's ``db_worker`` (wiki/management/commands/db_worker.py) runs
:class:`ResilientWorker` instead: it waits for the database and carries on;
a task interrupted by the outage goes back to the queue; and whenever it
starts, or the database comes back, it puts back in the queue the tasks
their worker abandoned (:func:`requeue_abandoned`).  Tasks therefore run at
least once, and may run twice: Lineage's are safe to (re-rendering reads the
pages as they are when it runs; a decision's mail could go out twice if the
worker dies between sending it and recording it).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import timedelta

from django.db import close_old_connections, connections, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from wiki.errors import UNAVAILABLE, dependency_unavailable

logger = logging.getLogger("django_tasks_db")

# A task claimed this long ago by a worker on another machine is taken to be
# abandoned (on this machine the worker's process is looked up instead): far
# longer than any of Lineage's tasks runs.
LEASE = timedelta(hours=1)
# A task is claimed at most this many times, then recorded FAILED: one that
# kills its worker, or always meets a database error, must not loop forever.
MAX_ATTEMPTS = 5
# Waits between tries while the database is down.
RETRY_FIRST_SECONDS = 0.25
RETRY_MAX_SECONDS = 2.0


class TaskInterrupted(Exception):
    """The task met a database or Redis outage: run it again later."""


class TaskAbandoned(Exception):
    """The task was claimed MAX_ATTEMPTS times without an outcome."""


def new_worker_id() -> str:
    """``host:pid:random``: enough for another worker to tell whether the
    worker holding a task is still alive (at most 64 characters)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"


def _gone(claimer: str, *, worker_id: str, host: str) -> bool:
    """Whether the worker ``claimer`` is known to be dead (or is this one)."""
    if claimer == worker_id:
        return True  # this worker holds no task while it looks for work
    claimer_host, _, rest = claimer.partition(":")
    pid_text = rest.partition(":")[0]
    if claimer_host != host or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return True  # a previous process that had this one's pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def requeue_abandoned(*, backend_name: str, worker_id: str) -> int:
    """Put back in the queue the RUNNING tasks no worker runs any more: those
    of a dead worker on this machine, of this worker (interrupted by an
    outage), or claimed longer than LEASE ago.  Return how many."""
    host = socket.gethostname()[:40]
    stale_before = timezone.now() - LEASE
    requeued = 0
    with transaction.atomic():
        running = (
            DBTaskResult.objects.running()
            .filter(backend_name=backend_name)
            .select_for_update(skip_locked=True)
        )
        for result in running:
            claimer = result.worker_ids[-1] if result.worker_ids else ""
            stale = result.started_at is None or result.started_at < stale_before
            if not (stale or _gone(claimer, worker_id=worker_id, host=host)):
                continue
            if len(result.worker_ids) >= MAX_ATTEMPTS:
                result.set_failed(
                    TaskAbandoned(f"claimed {len(result.worker_ids)} times")
                )
                logger.warning("Task id=%s abandoned too often: failed", result.id)
                continue
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            requeued += 1
            logger.warning(
                "Task id=%s path=%s requeued (its worker %s is gone)",
                result.id,
                result.task_path,
                claimer,
            )
    return requeued


class ResilientWorker(Worker):
    def run(self) -> None:
        wait = RETRY_FIRST_SECONDS
        while self.running:
            try:
                requeue_abandoned(
                    backend_name=self.backend_name, worker_id=self.worker_id
                )
                wait = RETRY_FIRST_SECONDS
                super().run()
                return
            except (*UNAVAILABLE, TaskInterrupted) as error:
                logger.warning(
                    "Database unavailable (%s); the worker tries again in %.2f s",
                    error,
                    wait,
                )
            for connection in connections.all(initialized_only=True):
                connection.close()
            self.startup_delay = False
            time.sleep(wait)
            wait = min(wait * 2, RETRY_MAX_SECONDS)
            close_old_connections()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        # The base class records any exception as the task's failure; an
        # outage is not the task's failure: leave it RUNNING under this
        # worker, for requeue_abandoned() once the database answers.
        def set_failed(error: BaseException) -> None:
            if dependency_unavailable(error):
                raise TaskInterrupted(str(error)) from error
            DBTaskResult.set_failed(db_task_result, error)

        db_task_result.set_failed = set_failed
        super().run_task(db_task_result)

"""The task worker takes back what a dead worker left (wiki/task_worker.py).

The harness of ``make soak`` kills a real worker with SIGKILL under load and
checks that every queued task still completes; here, the rules on rows.
"""

import os
import socket
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from wiki.task_worker import MAX_ATTEMPTS, new_worker_id, requeue_abandoned

pytestmark = pytest.mark.django_db
HOST = socket.gethostname()[:40]
THIS_WORKER = f"{HOST}:999999999:this"


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def running(claimers: list[str], *, started_ago=timedelta(seconds=5)):
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - started_ago,
        worker_ids=claimers,
        args_kwargs={"args": [], "kwargs": {"names": [], "except_id": None}},
        task_path="wiki.services.rerender_pages_linking_to_task",
        backend_name="default",
        run_after=get_date_max(),
    )


def status_of(result) -> str:
    result.refresh_from_db()
    return result.status


def test_worker_ids_name_the_host_and_process():
    host, pid, rest = new_worker_id().split(":")
    assert (host, len(rest)) == (HOST, 8)
    assert pid.isdigit()


def test_a_task_of_a_dead_worker_on_this_host_goes_back_to_the_queue():
    orphan = running([f"{HOST}:{dead_pid()}:gone"])
    assert requeue_abandoned(backend_name="default", worker_id=THIS_WORKER) == 1
    orphan.refresh_from_db()
    assert (orphan.status, orphan.started_at) == (TaskResultStatus.READY, None)


def test_a_task_interrupted_in_this_worker_goes_back_to_the_queue():
    interrupted = running([THIS_WORKER])
    assert requeue_abandoned(backend_name="default", worker_id=THIS_WORKER) == 1
    assert status_of(interrupted) == TaskResultStatus.READY


def test_a_task_of_a_live_worker_is_left_alone():
    alive_here = running([f"{HOST}:{os.getppid()}:alive"])
    elsewhere = running(["other-host:12:abc"])
    assert requeue_abandoned(backend_name="default", worker_id=THIS_WORKER) == 0
    assert status_of(alive_here) == status_of(elsewhere) == TaskResultStatus.RUNNING


def test_a_task_claimed_elsewhere_longer_than_the_lease_goes_back():
    stale = running(["other-host:12:abc"], started_ago=timedelta(hours=2))
    assert requeue_abandoned(backend_name="default", worker_id=THIS_WORKER) == 1
    assert status_of(stale) == TaskResultStatus.READY


def test_a_task_abandoned_too_often_is_recorded_failed():
    pid = dead_pid()
    doomed = running([f"{HOST}:{pid}:x{n}" for n in range(MAX_ATTEMPTS)])
    assert requeue_abandoned(backend_name="default", worker_id=THIS_WORKER) == 0
    doomed.refresh_from_db()
    assert doomed.status == TaskResultStatus.FAILED
    assert doomed.exception_class_path == "wiki.task_worker.TaskAbandoned"

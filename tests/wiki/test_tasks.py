"""The upkeep that grows with the site runs as Django tasks: at once by default,
enqueued for the worker (django-tasks-db) with ``LINEAGE_TASKS=database``.

A publish enqueues only after its commit, with plain arguments; a task that
runs late or twice reads the state as it is then and does no harm.
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from sources.models import Source
from sources.services import source_publish
from tests.factories import UserFactory
from tests.wiki.moderation_helpers import submit
from wiki import moderation
from wiki.history import page_delete
from wiki.models import Notification, Page, Theme
from wiki.services import page_publish

ROOT = Path(__file__).resolve().parents[2]
MISSING = 'class="wikilink wikilink-missing"'
RERENDER_LINKING = "wiki.services.rerender_pages_linking_to_task"
RERENDER_CITING = "sources.services.rerender_citing_pages_task"
MAIL_DECISION = "wiki.moderation.notify.mail_decision_task"


@pytest.fixture
def worker_backend(settings):
    """Tasks are stored for a worker, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def closed_port() -> int:
    """A local TCP port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def user(db):
    return UserFactory(username="editor")


def theme(title: str, body: str = "", user=None) -> Theme:
    page = Theme(title=title, slug=title.lower().replace(" ", "-"), body=body)
    page_publish(page=page, user=user, summary="create")
    return page


def html_of(page) -> str:
    return Page.objects.get(pk=page.pk).body_html


def queued() -> list[tuple[str, dict]]:
    return [
        (row.task_path, row.args_kwargs["kwargs"])
        for row in DBTaskResult.objects.ready().order_by("enqueued_at")
    ]


def run_queued() -> list:
    """Run the queued tasks as the worker does (claimed, then run), oldest
    first; their return values."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    values = []
    for row in DBTaskResult.objects.ready().order_by("enqueued_at"):
        row.claim(worker.worker_id)
        worker.run_task(row)
        row.refresh_from_db()
        assert row.status == "SUCCESSFUL", row.traceback
        values.append(row.return_value)
    return values


def run_again(path: str, kwargs: dict):
    """Run the task at ``path`` once more, as a second worker would."""
    from django.utils.module_loading import import_string

    return import_string(path).call(**kwargs)


# -- immediate by default -------------------------------------------------------


def test_by_default_a_publish_turns_the_red_links_to_it_blue_before_it_returns(
    user,
):
    linking = theme("Linking", "See [[Fresh Theme]].", user)
    fresh = theme("Fresh Theme", "", user)
    assert MISSING not in html_of(linking)
    assert f'href="{fresh.get_absolute_url()}"' in html_of(linking)
    assert not DBTaskResult.objects.exists()


# -- the worker's backend -------------------------------------------------------


def test_with_a_worker_a_publish_enqueues_the_linking_pages_rerender_and_returns(
    user, worker_backend
):
    linking = theme("Linking", "See [[Fresh Theme]].", user)
    DBTaskResult.objects.all().delete()

    fresh = theme("Fresh Theme", "", user)

    assert queued() == [
        (
            RERENDER_LINKING,
            {"names": ["fresh theme", "fresh theme (theme)"], "except_id": fresh.pk},
        )
    ]
    assert MISSING in html_of(linking)
    assert run_queued() == [1]
    assert MISSING not in html_of(linking)
    assert f'href="{fresh.get_absolute_url()}"' in html_of(linking)


def test_a_rolled_back_publish_enqueues_nothing(user, worker_backend):
    theme("Linking", "See [[Fresh Theme]].", user)
    DBTaskResult.objects.all().delete()
    with transaction.atomic():
        theme("Fresh Theme", "", user)
        transaction.set_rollback(True)  # what a preview does
    assert queued() == []


def test_the_task_is_enqueued_only_when_the_outermost_block_commits(
    user, worker_backend
):
    theme("Linking", "See [[Fresh Theme]].", user)
    DBTaskResult.objects.all().delete()
    with transaction.atomic():
        theme("Fresh Theme", "", user)
        assert queued() == []
    assert [path for path, _ in queued()] == [RERENDER_LINKING]


def test_a_late_rerender_skips_pages_deleted_since_and_renders_current_text(
    user, worker_backend
):
    deleted = theme("Deleted", "See [[Fresh Theme]].", user)
    edited = theme("Edited", "See [[Fresh Theme]].", user)
    DBTaskResult.objects.all().delete()
    fresh = theme("Fresh Theme", "", user)
    # Before the worker gets to it: one linking page is deleted, one edited.
    page_delete(page=deleted, user=user, reason="Duplicate")
    edited = Theme.objects.get(pk=edited.pk)
    edited.body = "Now see [[Fresh Theme]] again."
    page_publish(page=edited, user=user, summary="reword")
    assert queued()[0][0] == RERENDER_LINKING

    # The edited page only (the deleted one is skipped: its recovery renders
    # it); the delete and the edit enqueued theirs, which find no linking page.
    assert run_queued() == [1, 0, 0]

    assert html_of(edited) == (
        f'<p>Now see <a class="wikilink" href="{fresh.get_absolute_url()}">'
        "Fresh Theme</a> again.</p>"
    )


def test_a_rerender_run_twice_leaves_the_same_html(user, worker_backend):
    linking = theme("Linking", "See [[Fresh Theme]].", user)
    DBTaskResult.objects.all().delete()
    theme("Fresh Theme", "", user)
    [(path, kwargs)] = queued()
    assert run_queued() == [1]
    once = html_of(linking)
    assert run_again(path, kwargs) == 1
    assert html_of(linking) == once


def test_purging_a_page_enqueues_the_rerender_that_turns_links_to_it_red(
    user, worker_backend
):
    from wiki.services import page_purge

    linking = theme("Linking", "See [[Gone Theme]].", user)
    gone = theme("Gone Theme", "", user)
    run_queued()
    assert MISSING not in html_of(linking)
    page_delete(page=gone, user=user, reason="Spam")
    run_queued()
    page_purge(page=gone, user=user, reason="Spam, for good")
    assert queued() == [
        (
            RERENDER_LINKING,
            {"names": ["gone theme", "gone theme (theme)"], "except_id": None},
        )
    ]
    run_queued()
    assert MISSING in html_of(linking)


def test_a_source_edit_enqueues_the_rerender_of_the_pages_citing_it(
    user, worker_backend
):
    source = Source(key="smith2020", title="Old title")
    source_publish(source=source, user=user, summary="create")
    citing = theme("Citing", "A claim.[@smith2020]", user)
    run_queued()
    source.title = "New title"
    source_publish(source=source, user=user, summary="retitle")
    assert queued() == [(RERENDER_CITING, {"source_id": source.pk})]
    assert 'title="Old title"' in html_of(citing)
    assert run_queued() == [1]
    assert 'title="New title"' in html_of(citing)


# -- proposal mail --------------------------------------------------------------


@pytest.fixture
def approved(person, contributor, moderator, worker_backend):
    """A proposal by carol, approved; its mail not sent yet."""
    contributor.email = "carol@example.org"
    contributor.save()
    proposal = submit(person, contributor, body="Ada wrote the first program.")
    DBTaskResult.objects.all().delete()
    moderation.proposal_approve(
        proposal=proposal, by=moderator, seen=moderation.seen_now(proposal)
    )
    return proposal


def test_the_decision_mail_is_a_task_run_after_the_approval(approved, mailoutbox):
    notification = Notification.objects.get(
        proposal=approved, recipient=approved.author
    )
    assert (MAIL_DECISION, {"notification_id": notification.pk}) in queued()
    assert mailoutbox == []
    run_queued()
    [mail] = mailoutbox
    assert mail.to == ["carol@example.org"]
    assert mail.subject == "Your change to Ada Lovelace was approved"
    notification.refresh_from_db()
    assert notification.mailed_at is not None


def test_the_decision_mail_run_twice_is_sent_once(approved, mailoutbox):
    notification = Notification.objects.get(
        proposal=approved, recipient=approved.author
    )
    run_queued()
    assert run_again(MAIL_DECISION, {"notification_id": notification.pk}) is False
    assert len(mailoutbox) == 1


def test_a_late_decision_mail_goes_to_the_address_the_author_has_then(
    approved, contributor, mailoutbox
):
    contributor.email = "carol@new.example.org"
    contributor.save()
    run_queued()
    assert [mail.to for mail in mailoutbox] == [["carol@new.example.org"]]


def test_a_decision_mail_not_sent_is_tried_again_by_the_next_run(
    approved, settings, mailoutbox, closed_port
):
    notification = Notification.objects.get(
        proposal=approved, recipient=approved.author
    )
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port, "timeout": 2},
        }
    }
    run_queued()  # the SMTP server refuses: logged, the notification stands
    notification.refresh_from_db()
    assert notification.mailed_at is None
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    }
    assert run_again(MAIL_DECISION, {"notification_id": notification.pk}) is True
    assert [mail.to for mail in mailoutbox] == [["carol@example.org"]]


# -- the real worker command ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_db_worker_command_runs_what_a_publish_enqueued(worker_backend):
    user = UserFactory(username="editor")
    linking = theme("Linking", "See [[Fresh Theme]].", user)
    theme("Fresh Theme", "", user)
    assert MISSING in html_of(linking)

    call_command("db_worker", batch=True, reload=False, startup_delay=False)

    assert MISSING not in html_of(linking)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


# -- settings -------------------------------------------------------------------


def tasks_settings(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, django; from django.conf import settings;"
            " django.setup(); print(json.dumps(settings.TASKS))",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "LINEAGE_TASKS"},
            "DJANGO_SETTINGS_MODULE": "wiki.settings",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({}, "django.tasks.backends.immediate.ImmediateBackend"),
        ({"LINEAGE_TASKS": "database"}, "django_tasks_db.DatabaseBackend"),
    ],
)
def test_lineage_tasks_chooses_the_tasks_backend(env, backend):
    result = tasks_settings(**env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"default": {"BACKEND": backend}}


def test_an_unknown_lineage_tasks_value_stops_the_site_with_the_choices():
    result = tasks_settings(LINEAGE_TASKS="celery")
    assert result.returncode == 1
    assert (
        "LINEAGE_TASKS must be one of immediate, database, not 'celery'."
        in result.stderr
    )

"""``manage.py db_worker``: django-tasks-db's worker, made resilient.

The same command and options (``make worker``), with the worker of
wiki/task_worker.py: it survives database restarts, puts tasks back in the
queue when an outage interrupts them, and on start takes back the tasks a
dead worker had claimed.  Found before django-tasks-db's own command because
the ``wiki`` app comes first in INSTALLED_APPS.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from wiki.task_worker import ResilientWorker, new_worker_id


class Command(db_worker.Command):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=new_worker_id())

    def handle(self, **options):
        # The base command builds its worker from a module-level name; this
        # one builds the resilient worker, with the same arguments.
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"]
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded.split(",") if excluded else [],
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wiki.watchlist.digest import send_digests_task


class Command(BaseCommand):
    help = (
        "Enqueue the daily watchlist digest: each subscriber is mailed the "
        "day's changes to the pages they watch (yesterday's by default). Run "
        "it once a day, after midnight, from cron; a second run sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--day", help="The day whose changes to mail, as YYYY-MM-DD."
        )

    def handle(self, *args, day=None, **options):
        if day:
            try:
                chosen = datetime.date.fromisoformat(day)
            except ValueError:
                raise CommandError(
                    f"--day must be a date written YYYY-MM-DD, not {day!r}."
                ) from None
        else:
            chosen = timezone.localdate() - datetime.timedelta(days=1)
        result = send_digests_task.enqueue(day=chosen.isoformat())
        self.stdout.write(
            f"Enqueued the watchlist digest of {chosen.isoformat()} "
            f"(task {result.id}, {result.status.lower()})."
        )

from django.core.management.base import BaseCommand

from wiki import search
from wiki.models import SearchEntry
from wiki.progress import Progress


class Command(BaseCommand):
    help = (
        "Write the search entry of every live page and every source again "
        "(after an upgrade, or a bulk load that bypassed the write path), "
        "and remove those of pages and records that are gone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-progress", action="store_true", help="Show no progress."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only if there is no search entry yet (make run, make serve: "
            "a database made before search came).",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and SearchEntry.objects.exists():
            return
        progress = Progress(
            enabled=not options["no_progress"], stream=self.stderr._out, lines=True
        )
        written = search.rebuild(progress=progress)
        self.stdout.write(f"Indexed {written:,} entries for search.")

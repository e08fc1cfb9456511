from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sources.seed import DEFAULT_DIRECTORY, SeedError, load_seed


class Command(BaseCommand):
    help = "Load the seed content (content/): create what is missing, change nothing."

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=DEFAULT_DIRECTORY)

    def handle(self, *args, directory, **options):
        try:
            report = load_seed(directory)
        except (SeedError, OSError) as error:
            raise CommandError(str(error)) from error
        for line in report.created:
            self.stdout.write(f"created {line}", self.style.SUCCESS)
        self.stdout.write(
            f"Seed loaded: {len(report.created)} created, "
            f"{len(report.skipped)} already present."
        )

import argparse

from django.core.management.base import BaseCommand, CommandError

from sources.generate import GenerateError, Generator, delete_generated
from wiki.progress import Progress


def count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}” is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{number} is negative; give 0 or more")
    return number


def positive(value: str) -> int:
    number = count(value)
    if number < 1:
        raise argparse.ArgumentTypeError("give 1 or more")
    return number


class Command(BaseCommand):
    help = (
        "Generate a reproducible corpus of people, works, organizations, themes "
        "and sources, with 2-4 revisions per page, for measuring the site at "
        "scale (--delete removes exactly what it made). It writes rows in bulk, "
        "one transaction per batch: the one documented exception to publishing "
        "through the services (100,000 pages through page_publish would take an "
        "hour); it makes every row they would (rendered HTML, links, citations, "
        "revisions with their versions and sizes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=count, default=0, help="People to make.")
        parser.add_argument("--works", type=count, default=0, help="Works to make.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Same seed, same corpus (default 1)."
        )
        parser.add_argument(
            "--batch", type=positive, default=1000, help="Pages per transaction."
        )
        parser.add_argument(
            "--workers",
            type=positive,
            default=2,
            help="Processes rendering pages (default 2; 1 renders in this one).",
        )
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Remove the generated corpus (and nothing else) instead.",
        )

    def handle(
        self, *args, people, works, seed, batch, workers, delete, verbosity, **options
    ):
        progress = Progress(enabled=verbosity > 0, stream=self.stderr._out)
        try:
            if delete:
                deleted = delete_generated(batch=batch, progress=progress)
                self.stdout.write(
                    f"Deleted {deleted.pages:,} generated pages, "
                    f"{deleted.revisions:,} revisions, {deleted.sources:,} sources "
                    f"and {deleted.users:,} users; rendered again "
                    f"{deleted.rerendered:,} pages that linked to them."
                )
                return
            if not people and not works:
                raise CommandError("Give --people and/or --works (or --delete).")
            report = Generator(
                people=people,
                works=works,
                seed=seed,
                batch=batch,
                progress=progress,
                workers=workers,
            ).run()
        except GenerateError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Generated {report.pages:,} pages ({report.people:,} people, "
            f"{report.works:,} works, {report.organizations:,} organizations, "
            f"{report.themes:,} themes), {report.sources:,} sources, "
            f"{report.users:,} users, {report.revisions:,} revisions "
            f"({report.versions:,} versions), {report.authorships:,} authorships, "
            f"{report.affiliations:,} affiliations, {report.citations:,} citations, "
            f"{report.links:,} links ({report.red_links:,} red) in "
            f"{report.seconds:.1f} s ({report.cpu_seconds:.1f} s of CPU) "
            f"(seed {report.seed})."
        )

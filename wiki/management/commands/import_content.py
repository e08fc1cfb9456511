from django.core.management.base import BaseCommand, CommandError

from wiki import export


class Command(BaseCommand):
    help = (
        "Load a lineage-export file (from export_content) into a database with "
        "no content, in one transaction, then rebuild what is derived from it "
        "(rendered pages, links, tallies, search, the cache generation)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The export to load.")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as stream:
                counts = export.import_(stream, name=file)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{file} is not a Lineage export (not UTF-8)."
            ) from error
        except export.ExportError as error:
            raise CommandError(str(error)) from error
        said = ", ".join(f"{n:,} {what}" for what, n in counts.items())
        self.stdout.write(f"Imported {said} from {file}.")

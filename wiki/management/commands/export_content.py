from django.core.management.base import BaseCommand

from wiki import export


class Command(BaseCommand):
    help = (
        "Write every page, source, relation, redirect and revision (with its "
        "author, approver and summary) to a lineage-export file (JSON Lines; "
        "see wiki/export.py). Passwords and e-mail addresses are left out."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", help="The file to write (standard output if not given)."
        )

    def handle(self, *args, output=None, **options):
        if output:
            with open(output, "w", encoding="utf-8") as stream:
                counts = export.export(stream)
            said = ", ".join(f"{n:,} {what}" for what, n in counts.items())
            self.stderr.write(f"Exported {said} to {output}.")
        else:
            export.export(_Lines(self.stdout))


class _Lines:
    """The command's output, written as it comes (no line ending added)."""

    def __init__(self, out):
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(text, ending="")

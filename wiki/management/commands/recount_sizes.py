from django.core.management.base import BaseCommand
from django.db import transaction

from wiki.diff import RevisionDataError
from wiki.history import page_at_revision
from wiki.models import Page, RevisionMeta
from wiki.services import page_text_size


class Command(BaseCommand):
    help = (
        "Recount the size and size change of every revision with the site's one "
        "measure (page_text_size: every text field of the page), e.g. for "
        "revisions recorded when only the lede, body and reading were counted."
    )

    def handle(self, *args, **options):
        recounted = 0
        pages = Page.objects.filter(revision_metas__isnull=False).distinct()
        for page in pages.order_by("pk").iterator():
            with transaction.atomic():
                recounted += self.recount(page)
        self.stdout.write(f"Recounted {recounted} revision(s).")

    def recount(self, page: Page) -> int:
        recounted, previous = 0, 0
        for meta in RevisionMeta.objects.filter(page=page).order_by("revision_id"):
            try:
                size = page_text_size(page_at_revision(page, meta.revision_id))
            except RevisionDataError:
                size = meta.size  # what cannot be read back keeps its count
            if (meta.size, meta.size_delta) != (size, size - previous):
                meta.size, meta.size_delta = size, size - previous
                meta.save(update_fields=["size", "size_delta"])
                recounted += 1
            previous = size
        return recounted

from django.core.management.base import BaseCommand

from wiki.cache import bump_now, generation


class Command(BaseCommand):
    help = (
        "Make every cached page stale (wiki/cache.py): run after changing "
        "content outside the site's services, e.g. from a shell or a script."
    )

    def handle(self, *args, **options):
        bump_now()
        self.stdout.write(f"Site content generation is now {generation()}.")

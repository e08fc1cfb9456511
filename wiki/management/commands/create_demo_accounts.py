from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wiki.roles import DEMO_ACCOUNTS, ensure_demo_accounts


class Command(BaseCommand):
    help = "Create the development accounts admin, moderator and contributor."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for development (DJANGO_DEBUG on).")
        created = ensure_demo_accounts()
        for username, password, *_ in DEMO_ACCOUNTS:
            state = "created" if username in created else "exists"
            self.stdout.write(f"{username:12} {password:22} ({state})")

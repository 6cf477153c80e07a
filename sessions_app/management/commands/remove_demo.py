"""Remove the demo accounts (demo, aor) that load_demo creates. Idempotent."""

from django.core.management.base import BaseCommand
from django.db import transaction

from peerassist.auth import demo_users


class Command(BaseCommand):
    help = "Remove the demo sign-in accounts that load_demo created (idempotent)."
    # `check --deploy` refuses to serve while demo accounts exist; this command must run
    # anyway, so it skips the system checks.
    requires_system_checks = []

    @transaction.atomic
    def handle(self, *args, **options):
        usernames = sorted(demo_users().values_list("username", flat=True))
        if not usernames:
            self.stdout.write("No demo accounts to remove.")
            return
        demo_users().delete()
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed the demo accounts: {', '.join(usernames)}. "
                "The demo organisations and sessions are kept."
            )
        )

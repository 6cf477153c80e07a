"""Scheduled AAR reminders, for cron, and the end of retention (PDPA): participants of
sessions older than RETENTION_YEARS are anonymised. Idempotent, and safe on several
servers at once."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils import timezone

from aar.followup import SKIP_REASONS
from aar.scheduled import reminders_run, retention_run


class Command(BaseCommand):
    help = (
        "Email a reminder to participants whose AAR is missing or still a draft, from "
        "--days-before the deadline until --days-after it, at most --max times each; "
        "and anonymise the participants of sessions held more than RETENTION_YEARS ago."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days-before", type=int, default=settings.AAR_REMINDER_DAYS_BEFORE)
        parser.add_argument("--days-after", type=int, default=settings.AAR_REMINDER_DAYS_AFTER)
        parser.add_argument("--max", type=int, default=settings.AAR_REMINDER_MAX, dest="max")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say who would be reminded and how many anonymised; change nothing.",
        )

    @no_translations  # the summary is for cron logs; each email is in its reader's language
    def handle(self, *args, days_before, days_after, max, dry_run, **options):
        for name, value in (("--days-before", days_before), ("--days-after", days_after)):
            if value < 0:
                raise CommandError(f"{name} must be 0 or more")
        # First, so nobody whose data is due for erasure is reminded.
        self._retention(today=timezone.localdate(), dry_run=dry_run)
        result = reminders_run(
            today=timezone.localdate(),
            days_before=days_before,
            days_after=days_after,
            max_reminders=max,
            dry_run=dry_run,
        )
        if dry_run:
            self.stdout.write(f"Dry run: nothing sent. Reminders would send: {len(result.sent)}")
        else:
            self.stdout.write(f"Reminders sent: {len(result.sent)}")
        for participant in result.sent:
            self.stdout.write(
                f"  {participant.full_name} <{participant.email}> · {participant.session}"
            )
        for reason, count in sorted(result.skipped_by_reason().items()):
            self.stdout.write(f"Skipped ({SKIP_REASONS[reason]}): {count}")

    def _retention(self, *, today, dry_run):
        years = settings.RETENTION_YEARS
        if years <= 0:
            self.stdout.write("Retention: off (RETENTION_YEARS=0).")
            return
        cutoff, count = retention_run(today=today, dry_run=dry_run)
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(
            f"Retention: {count} participants of sessions before {cutoff.isoformat()} {verb}."
        )

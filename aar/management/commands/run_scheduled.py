"""The one scheduled command: run it every few minutes (cron, or the loop in `make run`).
Idempotent, and safe on several servers at once (aar.scheduled)."""

from django.conf import settings
from django.core.management.base import BaseCommand, no_translations
from django.utils import timezone

from aar.scheduled import (
    SCHEDULED_SKIP_REASONS,
    SEND_HOURS,
    checkbacks_run,
    in_send_hours,
    reminders_run,
    retention_run,
    summaries_run,
)


class Command(BaseCommand):
    help = (
        "The time-driven work, safe to run every few minutes and on several servers: "
        "anonymise the people of sessions past RETENTION_YEARS; and, from "
        f"{SEND_HOURS[0]:02}:00 to {SEND_HOURS[1]:02}:00 local time, queue the AAR "
        "reminders (as send_aar_reminders with its defaults), the check-backs on "
        "commitments that are due and the personal summaries of sessions whose AARs are in."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--any-hour",
            action="store_true",
            help="Queue the emails now even outside the sending hours.",
        )

    @no_translations  # the summary is for cron logs; each email is in its reader's language
    def handle(self, *args, any_hour, **options):
        today = timezone.localdate()
        # First, so nobody whose data is due for erasure is emailed.
        if settings.RETENTION_YEARS > 0:
            _cutoff, erased = retention_run(today=today)
            self.stdout.write(f"Retention: {erased} anonymised.")
        else:
            self.stdout.write("Retention: off (RETENTION_YEARS=0).")
        if not (any_hour or in_send_hours()):
            self.stdout.write(
                f"Outside the sending hours ({SEND_HOURS[0]:02}:00-{SEND_HOURS[1]:02}:00): "
                "no emails queued."
            )
            return
        reminders = reminders_run(today=today)
        checkbacks = checkbacks_run(today=today)
        summaries = summaries_run(today=today)
        self.stdout.write(f"Reminders sent: {len(reminders.sent)}")
        self.stdout.write(f"Check-backs sent: {len(checkbacks.sent)}")
        self.stdout.write(f"Summaries sent: {len(summaries.sent)} (sessions: {summaries.sessions})")
        for label, result in (
            ("reminders", reminders),
            ("check-backs", checkbacks),
            ("summaries", summaries),
        ):
            for reason, count in sorted(result.skipped_by_reason().items()):
                self.stdout.write(f"Skipped {label} ({SCHEDULED_SKIP_REASONS[reason]}): {count}")

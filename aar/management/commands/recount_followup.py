"""Check the follow-up counts the database triggers keep against a fresh count."""

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import connection, transaction

from aar import tally
from aar.models import MonthTally, SessionTally


def _snapshot() -> tuple[dict, dict]:
    sessions = {
        row[0]: row[1:]
        for row in SessionTally.objects.values_list(
            "session_id", "participants", "invited", "submitted", "drafts"
        )
    }
    months = {
        (pk, month): n
        for pk, month, n in MonthTally.objects.values_list("session_id", "month", "submitted")
        if n  # a month whose count fell back to 0 may keep its row
    }
    return sessions, months


class Command(BaseCommand):
    help = (
        "Count every session's follow-up tally afresh and say whether the kept counts "
        "agreed. Changes nothing unless --repair; exits 1 when they did not agree."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Keep the fresh counts.")

    @no_translations  # for operators and cron logs
    def handle(self, *args, repair, **options):
        with transaction.atomic():
            kept_sessions, kept_months = _snapshot()
            put_back = tally.ensure_triggers(connection)
            tally.recount_all(connection)
            fresh_sessions, fresh_months = _snapshot()
            wrong = {
                pk
                for pk in kept_sessions.keys() | fresh_sessions.keys()
                if kept_sessions.get(pk) != fresh_sessions.get(pk)
            } | {
                pk
                for pk, _month in kept_months.keys() | fresh_months.keys()
                if kept_months.get((pk, _month)) != fresh_months.get((pk, _month))
            }
            if not repair:
                transaction.set_rollback(True)
        if put_back:
            self.stdout.write(
                "Some tally triggers were missing" + (": put back." if repair else ".")
            )
        if not wrong:
            self.stdout.write(f"The follow-up counts of {len(fresh_sessions)} sessions agree.")
            return
        verb = "were recounted" if repair else "disagree (run with --repair to recount)"
        message = f"{len(wrong)} sessions' follow-up counts {verb}: {sorted(wrong)[:20]}"
        if repair:
            self.stdout.write(message)
        else:
            raise CommandError(message, returncode=1)

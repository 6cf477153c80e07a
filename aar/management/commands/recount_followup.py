"""Check the follow-up counts the code keeps against a fresh count."""

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import transaction

from aar import commitments
from sessions_app import tally


class Command(BaseCommand):
    help = (
        "Count every session's follow-up, role and commitment counts and the organisations' monthly "
        "totals "
        "afresh and say whether the kept counts agreed. Changes nothing unless --repair; "
        "exits 1 when they did not agree."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Keep the fresh counts.")

    @no_translations  # for operators and cron logs
    def handle(self, *args, repair, **options):
        with transaction.atomic():
            kept_sessions, kept_months = tally.sessions_kept(), tally.months_kept()
            kept_commitments = commitments.kept()
            kept_checkbacks = tally.checkbacks_kept()
            kept_roles = tally.roles_kept()
            tally.recount_all()
            commitments.recount_all()
            fresh_sessions, fresh_months = tally.sessions_kept(), tally.months_kept()
            fresh_commitments = commitments.kept()
            fresh_checkbacks = tally.checkbacks_kept()
            fresh_roles = tally.roles_kept()
            if not repair:
                transaction.set_rollback(True)
        wrong = {
            pk
            for pk in kept_sessions.keys() | fresh_sessions.keys()
            if kept_sessions.get(pk) != fresh_sessions.get(pk)
            or kept_commitments.get(pk) != fresh_commitments.get(pk)
            or kept_checkbacks.get(pk) != fresh_checkbacks.get(pk)
        } | {
            session_id
            for session_id, role in kept_roles.keys() | fresh_roles.keys()
            if kept_roles.get((session_id, role)) != fresh_roles.get((session_id, role))
        }
        wrong_months = {
            key
            for key in kept_months.keys() | fresh_months.keys()
            if kept_months.get(key) != fresh_months.get(key)
        }
        if not wrong and not wrong_months:
            self.stdout.write(f"The follow-up counts of {len(fresh_sessions)} sessions agree.")
            return
        verb = "were recounted" if repair else "disagree (run with --repair to recount)"
        message = (
            f"{len(wrong)} sessions' follow-up counts {verb}: {sorted(wrong)[:20]}; "
            f"organisation months: {len(wrong_months)}"
        )
        if repair:
            self.stdout.write(message)
        else:
            raise CommandError(message, returncode=1)

"""Workflows of the session form and page: create, update, delete, add an organisation."""

from django.db import transaction
from django.utils.translation import gettext as _

from sessions_app import tally
from sessions_app.models import AssistSession, Organisation
from sessions_app.signals import session_deleting, session_moving


class SessionHasAARs(Exception):
    """Deleting would lose people's writing; archive the session instead."""


@transaction.atomic
def session_create(*, form, created_by) -> AssistSession:
    session = form.save(commit=False)
    session.created_by = created_by
    session.save()
    form.save_m2m()
    tally.session_added(session)
    return session


@transaction.atomic
def session_update(*, form) -> AssistSession:
    session = form.instance  # holds the form's values, not yet saved
    tally.session_moved(
        session.pk,
        organiser_id=session.organiser_id,
        deadline=session.aar_deadline or session.default_deadline(session.date),
    )
    session_moving.send(
        sender=AssistSession,
        session_id=session.pk,
        organiser_id=session.organiser_id,
        date=session.date,
    )
    return form.save()


@transaction.atomic
def session_delete(*, session: AssistSession) -> None:
    # Checked inside the transaction: an AAR written meanwhile stops the delete.
    if session.has_aars():
        raise SessionHasAARs(_("This session has AARs; archive it instead."))
    tally.session_forgotten(session.pk)
    session_deleting.send(sender=AssistSession, session_id=session.pk)
    session.delete()


@transaction.atomic
def organisation_create(*, name: str, short_name: str = "", name_en: str = "") -> Organisation:
    return Organisation.objects.create(name=name, short_name=short_name, name_en=name_en)

"""The trends' demo data: 18 months of four organisations, written through the app's
services so the kept counts agree with a recount, and idempotent."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from aar import commitments
from aar.models import AAR, Commitment, MethodReview
from sessions_app import tally
from sessions_app.models import AssistSession, Membership, Participant

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        AssistSession.objects.count(),
        Participant.objects.count(),
        AAR.objects.count(),
        Commitment.objects.count(),
        MethodReview.objects.count(),
        Membership.objects.count(),
        tally.months_kept(),
        tally.sessions_kept(),
    )


def test_needs_load_demo_first():
    with pytest.raises(CommandError):
        call_command("load_demo_trends", verbosity=0)


def test_demo_trends_span_18_months_of_four_organisations_and_keep_counts_right(settings):
    settings.DEMO_USER_ALLOWED = True
    call_command("load_demo", verbosity=0)
    call_command("load_demo_trends", verbosity=0)
    first = _snapshot()
    call_command("load_demo_trends", verbosity=0)
    assert _snapshot() == first  # a second run changes nothing

    demo = get_user_model().objects.get(username="demo")
    sessions = AssistSession.objects.for_user(demo)
    organisers = set(sessions.values_list("organiser_id", flat=True))
    assert len(organisers) == 4
    assert (
        set(
            Membership.objects.filter(user=demo, role=Membership.Role.COORDINATOR).values_list(
                "organisation_id", flat=True
            )
        )
        >= organisers
    )
    months = {(d.year, d.month) for d in sessions.values_list("date", flat=True)}
    assert len(months) >= 18
    # Each organisation over some 17 months from its first session to its last.
    for organiser in organisers:
        dates = sorted(sessions.filter(organiser=organiser).values_list("date", flat=True))
        assert (dates[-1] - dates[0]).days >= 520, organiser

    # The kept counts agree with a recount from the rows.
    assert tally.months_counted() == tally.months_kept()
    assert tally.counted() == tally.sessions_kept()
    assert commitments.counted() == commitments.kept()
    assert {key: n for key, n in tally.roles_counted().items() if any(n)} == tally.roles_kept()
    assert len({role for _session, role in tally.roles_kept()}) >= 3  # the role filter shows some

    # Something to show: late, missing and draft AARs; commitments in every state.
    aars = AAR.objects.filter(participant__session__in=sessions).with_late()
    assert aars.filter(late=True, status="submitted").count() >= 10
    assert aars.filter(late=False, status="submitted").count() >= 50
    assert aars.filter(status="draft").exists()
    assert Participant.objects.filter(session__in=sessions, aar__isnull=True).count() >= 10
    statuses = dict(
        Commitment.objects.filter(aar__participant__session__in=sessions)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    assert {"done", "partly", "not_yet", "dropped", "open"} <= set(statuses)
    # People come back: someone's history has several sessions.
    repeats = (
        Participant.objects.filter(session__in=sessions)
        .exclude(email="")
        .order_by()
        .values("email")
        .annotate(n=Count("pk"))
        .filter(n__gte=5)
    )
    assert repeats.exists()

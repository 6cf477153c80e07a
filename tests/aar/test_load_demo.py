import pytest
from django.contrib.auth import authenticate as django_authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from aar.followup_queries import missing_aar
from aar.models import AAR
from sessions_app.models import AssistSession, Organisation, Participant

pytestmark = pytest.mark.django_db


def authenticate(**credentials):
    # django-axes wants the request that carries the sign-in.
    return django_authenticate(RequestFactory().post("/accounts/login/"), **credentials)


def _snapshot():
    return (
        Organisation.objects.count(),
        AssistSession.objects.count(),
        sorted(Participant.objects.values_list("token", flat=True)),
        AAR.objects.count(),
    )


def test_load_demo_is_idempotent_and_keeps_links():
    call_command("load_demo", verbosity=0)
    first = _snapshot()
    call_command("load_demo", verbosity=0)
    assert _snapshot() == first
    assert first[0] == 3 and first[1] == 2


def test_demo_signs_in_as_a_coordinator_of_kmi():
    call_command("load_demo", verbosity=0)
    user = authenticate(username="demo", password="peerassist-demo")
    assert user is not None and user.is_staff
    assert user.memberships.get().organisation.short_name == "สคส."


def test_demo_holds_the_source_post_and_an_overdue_session():
    call_command("load_demo", verbosity=0)
    micro = AssistSession.objects.get(title__startswith="Micro Peer Assist")
    assert micro.host.short_name == "สสส."
    author = micro.participants.get(full_name__contains="อ้อ")
    assert author.aar.goal.startswith("มาฟังวัฒนธรรมแลกเปลี่ยนฯ ของ สสส.")
    assert micro.participants.filter(aar__status=AAR.Status.DRAFT).count() == 1
    assert missing_aar(micro.participants.all()).count() >= 3

    older = AssistSession.objects.exclude(pk=micro.pk).get()
    assert older.aar_deadline < timezone.localdate()
    assert missing_aar(older.participants.all()).exists()
    assert any(aar.is_late for aar in AAR.objects.filter(participant__session=older))


def test_no_demo_account_outside_development(settings):
    settings.DEMO_USER_ALLOWED = False
    call_command("load_demo", verbosity=0)
    assert authenticate(username="demo", password="peerassist-demo") is None
    assert AssistSession.objects.count() == 2


def test_demo_has_commitments_some_answered_and_counted_the_same_each_run():
    from aar.commitments import counted, kept
    from aar.models import Commitment, CommitmentAnswer

    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert Commitment.objects.count() == 6
    assert set(Commitment.objects.values_list("status", flat=True)) == {
        "open",
        "done",
        "partly",
        "not_yet",
    }
    assert CommitmentAnswer.objects.count() == 3
    assert kept() == counted() and sum(made for made, *_ in kept().values()) == 6


def test_demo_session_has_the_hosts_brief():
    call_command("load_demo", verbosity=0)
    micro = AssistSession.objects.get(title__startswith="Micro Peer Assist")
    assert micro.has_brief and "สคส." in micro.brief_questions

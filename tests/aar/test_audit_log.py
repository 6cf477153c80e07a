"""The audit log of exports and erasures (PDPA): what is recorded, and /followup/audit/
for the coordinators of the organisations whose data it was."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from aar.models import AuditEntry
from aar.services import audit_record
from peerassist.dates import format_thai_date
from tests.factories import AARFactory, AssistSessionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

URL = reverse("followup:audit")


@pytest.fixture
def person(assist_session):
    person = ParticipantFactory(session=assist_session, full_name="คนส่งออก")
    AARFactory(participant=person)
    return person


@pytest.mark.parametrize(
    ("name", "kwargs", "detail"),
    [
        ("followup:session_export", {"format": "csv"}, "session csv"),
        ("followup:session_export", {"format": "xlsx"}, "session xlsx"),
        ("followup:session_blog", {"kind": "md"}, "session blog md"),
        ("followup:session_blog", {"kind": "txt"}, "session blog txt"),
    ],
)
def test_each_session_export_is_logged(
    member, member_user, assist_session, person, name, kwargs, detail
):
    response = member.get(reverse(name, kwargs={"pk": assist_session.pk, **kwargs}))
    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.EXPORT
    assert entry.actor == member_user
    assert entry.session == assist_session
    assert entry.organisation == assist_session.organiser
    assert entry.detail == detail
    assert entry.participant_pk is None


def test_one_aars_blog_download_is_logged_with_the_participants_number(
    coordinator, assist_session, person
):
    target = reverse("followup:aar_blog", args=[assist_session.pk, person.pk, "md"])
    assert coordinator.get(target).status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.detail, entry.participant_pk, entry.session) == (
        "AAR blog md",
        person.pk,
        assist_session,
    )


def test_the_dashboard_export_is_logged_for_each_organisation_exported(
    coordinator_user, coordinator, org, other_org, assist_session
):
    from sessions_app.models import Membership
    from tests.factories import MembershipFactory

    MembershipFactory(
        user=coordinator_user, organisation=other_org, role=Membership.Role.FACILITATOR
    )
    AssistSessionFactory(organiser=other_org)
    assert coordinator.get(reverse("followup:dashboard_export", args=["xlsx"])).status_code == 200
    entries = AuditEntry.objects.order_by("organisation__pk")
    assert [(e.organisation, e.session, e.detail) for e in entries] == [
        (org, None, "dashboard xlsx"),
        (other_org, None, "dashboard xlsx"),
    ]


def test_a_refused_export_is_not_logged(outsider, assist_session):
    target = reverse("followup:session_export", args=[assist_session.pk, "csv"])
    assert outsider.get(target).status_code == 404
    assert not AuditEntry.objects.exists()


def test_the_log_holds_no_personal_data(coordinator, assist_session, person):
    coordinator.get(reverse("followup:aar_blog", args=[assist_session.pk, person.pk, "txt"]))
    values = " ".join(str(v) for v in AuditEntry.objects.values().get().values())
    assert person.full_name not in values and person.email not in values


def test_page_persona_matrix(
    client, outsider, member, facilitator, coordinator, assist_session, other_org
):
    ours = AuditEntry.objects.create(
        action=AuditEntry.Action.EXPORT, organisation=assist_session.organiser, detail="ours"
    )
    theirs = AuditEntry.objects.create(
        action=AuditEntry.Action.EXPORT, organisation=other_org, detail="theirs"
    )
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(URL).status_code == 302
    # A member who coordinates nothing gets the page, told why it is empty.
    for persona in (member, facilitator):
        response = persona.get(URL)
        assert response.status_code == 200
        assert response.context["coordinates"] is False
        assert list(response.context["page_obj"]) == []
    # The outsider coordinates another organisation: its entries only, none of ours.
    response = outsider.get(URL)
    assert list(response.context["page_obj"]) == [theirs]
    assert "ours" not in response.content.decode()
    response = coordinator.get(URL)
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [ours]
    assert coordinator.post(URL).status_code == 405


def test_newest_first_with_an_erasure_and_retention_and_pages_of_25(
    coordinator, coordinator_user, assist_session
):
    start = timezone.now() - datetime.timedelta(days=30)
    for day in range(26):
        AuditEntry.objects.create(
            action=AuditEntry.Action.EXPORT,
            actor=coordinator_user,
            session=assist_session,
            organisation=assist_session.organiser,
            created_at=start + datetime.timedelta(days=day),
        )
    audit_record(action=AuditEntry.Action.RETENTION, session=assist_session, participant_pk=7)
    response = coordinator.get(URL)
    page = response.context["page_obj"]
    assert len(page) == 25 and page.paginator.count == 27
    assert page[0].action == AuditEntry.Action.RETENTION and page[0].actor is None
    assert [e.created_at for e in page] == sorted((e.created_at for e in page), reverse=True)
    html = response.content.decode()
    assert response.context["title"] and "<h1" in html
    assert "#7" in html
    with translation.override("th"):  # dates as on the other pages: Buddhist era
        assert format_thai_date(page[0].created_at, with_time=True) in html
    assert len(coordinator.get(URL + "?page=2").context["page_obj"]) == 2


def test_empty_state(coordinator):
    response = coordinator.get(URL)
    assert response.context["coordinates"] is True
    assert list(response.context["page_obj"]) == []
    assert "<table" not in response.content.decode()


def test_the_dashboard_links_to_the_log(coordinator):
    assert URL in coordinator.get(reverse("followup:dashboard")).content.decode()


@pytest.mark.parametrize("entries", [5, 50])
def test_query_count_is_the_same_for_5_and_50_entries(
    coordinator, coordinator_user, assist_session, entries, django_assert_num_queries
):
    AuditEntry.objects.bulk_create(
        AuditEntry(
            action=AuditEntry.Action.EXPORT,
            actor=coordinator_user,
            session=assist_session,
            organisation=assist_session.organiser,
            detail="session csv",
        )
        for _ in range(entries)
    )
    # auth session + user (2), coordinates anything (1), paginator count (1),
    # the page's entries with actor, session and organisation (1)
    with django_assert_num_queries(5):
        response = coordinator.get(URL)
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == min(entries, 25)

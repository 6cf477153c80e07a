import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AARFactory, AssistSessionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
URL = reverse("followup:dashboard")


def _session(org, *, days_ago=1, people=3, submitted=1, drafts=0, **fields):
    date = timezone.localdate() - datetime.timedelta(days=days_ago)
    session = AssistSessionFactory(organiser=org, date=date, **fields)
    participants = ParticipantFactory.create_batch(people, session=session)
    for p in participants[:submitted]:
        AARFactory(participant=p)
    for p in participants[submitted : submitted + drafts]:
        AARFactory(participant=p, draft=True)
    return session


def test_persona_matrix(client, outsider, member, coordinator, org):
    session = _session(org)
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert session.title not in outsider.get(URL).content.decode()
    for persona in (member, coordinator):
        response = persona.get(URL)
        assert response.status_code == 200 and session.title in response.content.decode()


def test_rows_count_submitted_drafts_missing_and_flag_overdue(coordinator, org):
    overdue = _session(org, days_ago=30, people=4, submitted=1, drafts=1, title="เลยกำหนด")
    _session(org, days_ago=1, people=2, submitted=2, title="ครบแล้ว")
    page = coordinator.get(URL)
    rows = list(page.context["page_obj"])
    assert [s.title for s in rows] == ["เลยกำหนด", "ครบแล้ว"]  # most urgent first
    first = rows[0]
    assert (first.participant_count, first.aar_count, first.draft_count, first.missing_count) == (4, 1, 1, 3)
    assert first.is_overdue and not rows[1].is_overdue
    html = page.content.decode()
    assert "เลยกำหนด" in html and overdue.title in html
    totals = page.context["totals"]
    assert totals["sessions"] == 2 and totals["participants"] == 6 and totals["aars"] == 3
    assert totals["overdue"] == 1 and totals["percent"] == 50


def test_most_missing_comes_next_after_overdue(coordinator, org):
    _session(org, people=2, submitted=1, title="ขาดหนึ่ง")
    _session(org, people=5, submitted=1, title="ขาดสี่")
    _session(org, days_ago=20, people=2, submitted=1, title="เลยกำหนดขาดหนึ่ง")
    titles = [s.title for s in coordinator.get(URL).context["page_obj"]]
    assert titles == ["เลยกำหนดขาดหนึ่ง", "ขาดสี่", "ขาดหนึ่ง"]


def test_nobody_invited_flag(coordinator, org):
    _session(org, title="ยังไม่เชิญ")
    assert "ยังไม่ได้เชิญใคร" in coordinator.get(URL).content.decode()


def test_filters_live_in_the_url(coordinator, org):
    _session(org, title="วงสุขภาพ", status="held")
    _session(org, title="วงการศึกษา", status="planned")
    titles = [s.title for s in coordinator.get(URL, {"q": "สุขภาพ"}).context["page_obj"]]
    assert titles == ["วงสุขภาพ"]
    titles = [s.title for s in coordinator.get(URL, {"status": "planned"}).context["page_obj"]]
    assert titles == ["วงการศึกษา"]


def test_bad_filter_input_shows_errors_beside_fields_never_500(coordinator, org):
    _session(org)
    response = coordinator.get(URL, {"date_from": "not-a-date", "organisation": "99999", "status": "x"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"date_from", "organisation", "status"}
    response = coordinator.get(URL, {"date_from": "2026-12-01", "date_to": "2026-11-01"})
    assert "date_to" in response.context["form"].errors


def test_month_chart_counts_aars(coordinator, org):
    _session(org, people=3, submitted=3)
    chart = coordinator.get(URL).context["chart"]
    assert len(chart) == 12 and chart[-1]["count"] == 3
    assert chart[-1]["label"].endswith(str(timezone.localdate().year + 543)[-2:])


@pytest.mark.parametrize("sessions", [5, 50])
def test_query_count_is_the_same_for_5_and_50_sessions(coordinator, org, sessions, django_assert_num_queries):
    for _ in range(sessions):
        _session(org)
    # auth session + user (2), filter form: none until rendered, totals aggregate (1),
    # overdue count (1), month chart (1), paginator count (1), page rows (1),
    # organisation + facilitator choices when the form renders (2)
    with django_assert_num_queries(9):
        response = coordinator.get(URL)
    assert response.status_code == 200

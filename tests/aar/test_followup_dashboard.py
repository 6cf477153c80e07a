import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import AssistSession
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
    assert (first.participant_count, first.aar_count, first.draft_count, first.missing_count) == (
        4,
        1,
        1,
        3,
    )
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


def test_overdue_by_most_missing_and_a_complete_past_session_comes_last(coordinator, org):
    _session(org, days_ago=40, people=3, submitted=3, title="เลยกำหนดแต่ครบ")
    _session(org, days_ago=30, people=2, submitted=1, title="เลยกำหนดขาดหนึ่ง")
    _session(org, days_ago=20, people=9, submitted=1, title="เลยกำหนดขาดแปด")
    _session(org, people=4, submitted=1, title="ขาดสาม")
    titles = [s.title for s in coordinator.get(URL).context["page_obj"]]
    assert titles == ["เลยกำหนดขาดแปด", "เลยกำหนดขาดหนึ่ง", "ขาดสาม", "เลยกำหนดแต่ครบ"]


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
    response = coordinator.get(
        URL, {"date_from": "not-a-date", "organisation": "99999", "status": "x"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"date_from", "organisation", "status"}
    response = coordinator.get(URL, {"date_from": "2026-12-01", "date_to": "2026-11-01"})
    assert "date_to" in response.context["form"].errors


def test_month_chart_counts_aars(coordinator, org):
    _session(org, people=3, submitted=3)
    chart = coordinator.get(URL).context["chart"]
    assert len(chart) == 3 and chart[-1]["count"] == 3  # the range with data, at least 3
    assert chart[-1]["label"].endswith(str(timezone.localdate().year + 543)[-2:])


def test_follow_up_filter(coordinator, org):
    _session(org, days_ago=30, people=2, submitted=1, title="เลยกำหนด")
    _session(org, people=2, submitted=1, title="ยังขาด")
    _session(org, people=2, submitted=2, title="ครบ")
    invited = _session(org, people=1, submitted=1, title="เชิญแล้ว")
    for person in invited.participants.all():
        person.mark_invited()
    _session(org, people=0, submitted=0, title="ไม่มีใคร")

    def titles(kind):
        return sorted(s.title for s in coordinator.get(URL, {"followup": kind}).context["page_obj"])

    assert titles("overdue") == ["เลยกำหนด"]
    assert titles("missing") == ["ยังขาด", "เลยกำหนด"]
    assert titles("complete") == ["ครบ", "เชิญแล้ว"]
    assert titles("not_invited") == ["ครบ", "ยังขาด", "เลยกำหนด"]


def test_organisation_facilitator_and_date_filters(
    coordinator, org, other_org, coordinator_user, facilitator_user
):
    from sessions_app.models import Membership
    from tests.factories import MembershipFactory

    MembershipFactory(
        user=coordinator_user, organisation=other_org, role=Membership.Role.COORDINATOR
    )
    _session(org, days_ago=40, title="เก่า", facilitator=facilitator_user)
    _session(org, days_ago=2, title="ใหม่")
    _session(other_org, days_ago=2, title="ของอีกองค์กร")

    def titles(**params):
        return sorted(s.title for s in coordinator.get(URL, params).context["page_obj"])

    assert titles() == ["ของอีกองค์กร", "เก่า", "ใหม่"]
    assert titles(organisation=other_org.pk) == ["ของอีกองค์กร"]
    assert titles(facilitator=facilitator_user.pk) == ["เก่า"]
    since = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    assert titles(date_from=since) == ["ของอีกองค์กร", "ใหม่"]
    assert titles(date_to=since) == ["เก่า"]


def test_only_my_organisations_active_sessions(coordinator, org, other_org):
    _session(other_org, title="ของคนอื่น")
    _session(org, title="เก็บแล้ว").archive()
    _session(org, title="ของเรา")
    response = coordinator.get(URL)
    assert [s.title for s in response.context["page_obj"]] == ["ของเรา"]
    assert response.context["totals"]["sessions"] == 1
    # Someone else's organisation cannot even be chosen in the filter.
    response = coordinator.get(URL, {"organisation": other_org.pk})
    assert "organisation" in response.context["form"].errors


def test_pagination_keeps_the_filters(coordinator, org):
    for _ in range(30):
        _session(org, title="วงสุขภาพ")
    _session(org, title="วงอื่น")
    response = coordinator.get(URL, {"q": "สุขภาพ"})
    page = response.context["page_obj"]
    assert page.paginator.count == 30 and page.has_next()
    # The whole href: Django 5.2's querystring starts with "?" itself, and a second
    # one before it ("??q=") loses the first filter on the next page.
    assert (
        'href="?q=%E0%B8%AA%E0%B8%B8%E0%B8%82%E0%B8%A0%E0%B8%B2%E0%B8%9E&amp;page=2"'
        in response.content.decode()
    )
    second = coordinator.get(URL, {"q": "สุขภาพ", "page": 2}).context["page_obj"]
    assert len(second) == 5 and all(s.title == "วงสุขภาพ" for s in second)


def test_the_page_count_follows_the_follow_up_filter(coordinator, org):
    for _ in range(27):
        _session(org, people=2, submitted=1)
    for _ in range(3):
        _session(org, people=2, submitted=2)
    missing = coordinator.get(URL, {"followup": "missing"}).context
    assert missing["page_obj"].paginator.count == missing["totals"]["sessions"] == 27
    assert missing["page_obj"].paginator.num_pages == 2
    complete = coordinator.get(URL, {"followup": "complete"}).context
    assert complete["page_obj"].paginator.count == 3 and len(complete["page_obj"]) == 3


def test_completion_bars_and_flags_render(coordinator, org):
    _session(org, days_ago=30, people=4, submitted=1)
    html = coordinator.get(URL).content.decode()
    assert '<meter min="0" max="4" value="1"' in html
    assert "เลยกำหนด" in html  # the overdue badge
    assert "style=" not in html  # the Content-Security-Policy forbids inline styles


def test_empty_states(coordinator, org):
    response = coordinator.get(URL)
    assert response.context["totals"]["percent"] == 0
    assert list(response.context["page_obj"]) == []
    filtered = coordinator.get(URL, {"q": "ไม่มีวงนี้"})
    assert list(filtered.context["page_obj"]) == []
    assert "ยังไม่มีวงให้ติดตาม" in response.content.decode()
    assert "ไม่มีวงที่ตรงกับตัวกรองนี้" in filtered.content.decode()


def test_month_chart_in_english(coordinator, org):
    _session(org, people=2, submitted=2)
    coordinator.cookies["peerassist_language"] = "en"
    chart = coordinator.get(URL).context["chart"]
    assert chart[-1]["label"] == timezone.localdate().strftime("%b %y")
    assert chart[-1]["count"] == 2 and chart[-1]["height"] == 80
    assert all(bar["count"] == 0 and bar["height"] == 0 for bar in chart[:-1])


def test_month_chart_labels_in_thai_buddhist_era(coordinator, org):
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC), tick=False):
        session = _session(org, people=2, submitted=0)
        for p in session.participants.all():
            AARFactory(participant=p, submitted_at=timezone.now() - datetime.timedelta(days=40))
        chart = coordinator.get(URL).context["chart"]
    labels = [bar["label"] for bar in chart]
    assert labels == ["ม.ค. 69", "ก.พ. 69", "มี.ค. 69"]  # from the first month with data
    assert chart[-2]["label"] == "ก.พ. 69" and chart[-2]["count"] == 2


@pytest.mark.parametrize("sessions", [5, 50])
def test_query_count_is_the_same_for_5_and_50_sessions(
    coordinator, org, sessions, django_assert_num_queries
):
    for i in range(sessions):
        _session(org, days_ago=1 + 20 * (i % 2), drafts=1)
    # auth session + user (2); totals from the organisation's kept months and from its
    # archived and this month's sessions, also the paginator's count (2); month chart
    # from the kept months (1; none archived, so no AARs to take away); the page's order, a
    # query for each group it reaches: overdue, then not yet due (5 sessions: both; 50:
    # the overdue fill the page); page rows with host and facilitator (1); organisation
    # + facilitator choices (2)
    with django_assert_num_queries(10 if sessions == 5 else 9):
        response = coordinator.get(URL)
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == min(sessions, 25)
    # An archived session: its AARs are taken away from the chart (1 more).
    AssistSession.objects.filter(organiser=org).first().archive()
    with django_assert_num_queries(11 if sessions == 5 else 10):
        assert coordinator.get(URL).status_code == 200
    # Filtered by more than the organisation: totals (1) and chart (1) from the sessions.
    with django_assert_num_queries(9 if sessions == 5 else 8):
        response = coordinator.get(URL, {"status": "held"})
    assert len(response.context["page_obj"]) == min(sessions - 1, 25)  # one archived


def test_filter_fields_are_labelled_and_a_refused_one_says_why_beside_it(coordinator, org):
    _session(org)
    html = coordinator.get(URL).content.decode()
    for name in ("q", "followup", "status", "organisation", "facilitator", "date_from"):
        assert f'<label class="form-label" for="id_{name}">' in html
    assert 'class="form-select" id="id_status"' in html
    assert "is-invalid" not in html

    html = coordinator.get(URL, {"date_from": "31/02/2569", "q": "ok"}).content.decode()
    field = html[html.index('name="date_from"') - 200 : html.index('name="date_to"')]
    assert 'aria-invalid="true"' in field
    # The reason, then the hint on how to type a date.
    assert 'aria-describedby="id_date_from_error id_date_from_helptext"' in field
    assert "is-invalid" in field
    assert '<div class="invalid-feedback d-block" id="id_date_from_error">' in field
    assert 'value="31/02/2569"' in field  # what was typed stays
    assert html.count("is-invalid") == 1


def test_pages_of_the_most_urgent_first_follow_the_one_order(org):
    """MostUrgentFirst reads the order a group at a time; any slice of it equals the same
    slice of the order computed for every session at once."""
    from aar.followup_queries import (
        MostUrgentFirst,
        followup_totals,
        most_urgent_first,
        sessions_with_followup,
    )
    from sessions_app.models import AssistSession

    shapes = [(30, 3, 1), (30, 3, 3), (1, 4, 1), (1, 2, 2), (0, 3, 0), (-2, 3, 1), (10, 0, 0)]
    shapes += [(6, 5, 1), (5, 2, 1)]  # with the loop's offset: 7 days ago, due today
    for i, (days_ago, people, submitted) in enumerate(shapes * 2):
        _session(org, days_ago=days_ago + i % 3, people=people, submitted=submitted)
    sessions = AssistSession.objects.all()
    today = timezone.localdate()
    expected = list(
        most_urgent_first(sessions_with_followup(sessions)).values_list("pk", flat=True)
    )
    order = MostUrgentFirst(sessions, today=today, **{
        k: v for k, v in followup_totals(sessions, today).items() if k in ("overdue", "open")
    }, count=len(expected))  # fmt: skip
    assert len(order) == len(expected)
    for size in (1, 3, 5, len(expected)):
        pages = [order[start : start + size] for start in range(0, len(expected), size)]
        assert [pk for page in pages for pk in page] == expected

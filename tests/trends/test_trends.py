"""Trends over time and the organisations side by side (issue 20): who sees what, the
figures against hand-built data, the period's validation, query counts that stay flat,
and a late AAR moving the figures."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aar.models import Commitment
from aar.services import aar_save
from lessons.models import Lesson
from sessions_app.models import Membership, OrganisationMonth, Participant
from tests.factories import (
    AAR_FORM,
    AARFactory,
    AssistSessionFactory,
    CommitmentFactory,
    LessonFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
)
from trends.forms import TrendFilterForm
from trends.queries import (
    BOTH,
    BY_MONTH,
    BY_ORGANISATION,
    Figures,
    by_organisation,
    by_period,
    organisation_months,
    periods,
)

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
TODAY = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=BANGKOK)
SEP, OCT, NOV = datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def at(day: int, month: int, year: int = 2026, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 0, tzinfo=BANGKOK)


def _session(org, date, deadline, **kwargs):
    return AssistSessionFactory(organiser=org, date=date, aar_deadline=deadline, **kwargs)


@pytest.fixture
def figures_data(org, other_org):
    """Hand-built: in ``org``, a September session (deadline 15 Sep) with three people:
    one AAR on time, one late, one missing; three commitments (done, open, partly). A
    November session (deadline 3 Nov, passed) with two people and no AAR. A lesson in
    October. In ``other_org``, a September session with five AARs on time."""
    september = _session(org, datetime.date(2026, 9, 1), datetime.date(2026, 9, 15))
    on_time = ParticipantFactory(session=september, role=Participant.Role.HOST)
    late = ParticipantFactory(session=september, role=Participant.Role.HOST)
    missing = ParticipantFactory(session=september, role=Participant.Role.PEER)
    on_time_aar = AARFactory(participant=on_time, submitted_at=at(10, 9))
    late_aar = AARFactory(participant=late, submitted_at=at(20, 9))
    CommitmentFactory(aar=on_time_aar, status=Commitment.Status.DONE)
    CommitmentFactory(aar=on_time_aar)
    CommitmentFactory(aar=late_aar, status=Commitment.Status.PARTLY)
    november = _session(org, datetime.date(2026, 10, 20), datetime.date(2026, 11, 3))
    ParticipantFactory(session=november, role=Participant.Role.PEER)
    ParticipantFactory(session=november, role=Participant.Role.HOST)
    lesson = LessonFactory(organisation=org)
    Lesson.objects.filter(pk=lesson.pk).update(created_at=at(5, 10))
    theirs = _session(other_org, datetime.date(2026, 9, 2), datetime.date(2026, 9, 16))
    for _ in range(5):
        AARFactory(participant=ParticipantFactory(session=theirs), submitted_at=at(3, 9))
    return {"september": september, "missing": missing, "november": november}


URLS = [
    reverse("trends:trends"),
    reverse("trends:compare"),
    reverse("trends:trends_export", args=["csv"]),
    reverse("trends:trends_export", args=["xlsx"]),
    reverse("trends:compare_export", args=["csv"]),
    reverse("trends:compare_export", args=["xlsx"]),
]


# --- Who sees what ---------------------------------------------------------------------


@pytest.mark.parametrize("url", URLS)
def test_anonymous_is_sent_to_sign_in(client, url, db):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_anonymous_is_sent_to_sign_in_from_an_organisations_trends(client, org):
    response = client.get(reverse("trends:organisation", args=[org.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize("url", URLS)
def test_coordinator_gets_every_page(coordinator, url):
    assert coordinator.get(url).status_code == 200


@pytest.mark.parametrize("url", URLS)
def test_facilitator_member_gets_every_page(member, url):
    assert member.get(url).status_code == 200


def test_coordinator_gets_their_organisations_trends(coordinator, org, figures_data):
    response = coordinator.get(reverse("trends:organisation", args=[org.pk]))
    assert response.status_code == 200
    assert response.context["organisations"] == [org]


def test_outsider_gets_404_for_another_organisations_trends(outsider, org):
    assert outsider.get(reverse("trends:organisation", args=[org.pk])).status_code == 404


def test_outsider_sees_only_their_own_organisations_figures(outsider, org, other_org, figures_data):
    response = outsider.get(reverse("trends:compare"))
    labels = [row["organisation"] for row in response.context["rows"]]
    assert labels == [other_org]
    assert org.label not in response.content.decode()
    totals = outsider.get(reverse("trends:trends")).context["totals"]
    assert (totals.sessions, totals.participants, totals.submitted) == (1, 5, 5)


def test_outsider_cannot_choose_another_organisation(outsider, org, figures_data):
    response = outsider.get(reverse("trends:trends"), {"organisations": [org.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["organisations"]
    assert response.context["totals"].participants == 5  # their own, not ours
    csv = outsider.get(
        reverse("trends:trends_export", args=["csv"]), {"organisations": [org.pk]}
    ).content.decode("utf-8-sig")
    assert org.label not in csv


@pytest.mark.parametrize(
    "url",
    [*URLS, "organisation"],
)
def test_post_is_not_allowed(coordinator, org, url):
    if url == "organisation":
        url = reverse("trends:organisation", args=[org.pk])
    assert coordinator.post(url).status_code == 405


def test_person_without_organisation_sees_an_empty_state(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    response = client.get(reverse("trends:trends"))
    assert response.status_code == 200
    assert response.context["organisations"] == []
    assert "ยังไม่ได้เป็นสมาชิก" in response.content.decode() or "not a member" in (
        response.content.decode()
    )


# --- The figures ----------------------------------------------------------------------


def _sep_to_nov(org, role=""):
    return organisation_months(organisations=[org], first=SEP, last=NOV, role=role)


def test_figures_match_the_hand_built_data(org, figures_data):
    cells = _sep_to_nov(org)
    september, november = cells[(org.pk, SEP)], cells[(org.pk, NOV)]
    assert (september.sessions, september.participants, september.submitted) == (1, 3, 2)
    assert september.completion == 67
    assert (september.late, september.missing_late, september.late_total) == (1, 1, 2)
    assert (september.commitments, september.commitments_done) == (3, 1)
    assert september.checkbacks_answered == 2
    assert (november.sessions, november.participants, november.submitted) == (1, 2, 0)
    assert november.completion == 0
    assert (november.late, november.missing_late) == (0, 2)
    assert cells[(org.pk, OCT)].lessons["identified"] == 1
    assert cells[(org.pk, OCT)].sessions == 0


def test_the_role_filter_counts_only_that_role(org, figures_data):
    cells = _sep_to_nov(org, role=Participant.Role.PEER)
    september, november = cells[(org.pk, SEP)], cells[(org.pk, NOV)]
    assert (september.sessions, september.participants, september.submitted) == (1, 1, 0)
    assert (september.late, september.missing_late) == (0, 1)
    assert september.commitments == 0
    assert (november.participants, november.missing_late) == (1, 1)
    hosts = _sep_to_nov(org, role=Participant.Role.HOST)[(org.pk, SEP)]
    assert (hosts.participants, hosts.submitted, hosts.late) == (2, 2, 1)
    assert (hosts.commitments, hosts.commitments_done, hosts.checkbacks_answered) == (3, 1, 2)


def test_both_ways_agree_when_every_role_is_added_up(org, figures_data):
    """The kept monthly totals (no role) and the sessions' role rows (each role) add up
    the same."""
    kept = _sep_to_nov(org)
    for month in (SEP, NOV):
        by_role = Figures()
        for role in Participant.Role.values:
            by_role.add(_sep_to_nov(org, role=role).get((org.pk, month), Figures()))
        mine = kept[(org.pk, month)]
        for name in ("participants", "submitted", "late", "missing_late", "commitments"):
            assert getattr(by_role, name) == getattr(mine, name), name


@pytest.mark.parametrize("role", ["", Participant.Role.HOST, Participant.Role.PEER])
def test_cells_added_up_by_the_database_equal_those_added_up_in_python(
    org, other_org, figures_data, role
):
    """The trends page's months of all the organisations and the comparison's
    organisations over the period (summed by the database: ``by``) equal the same sums
    of the organisation-and-month cells, this month's sessions past their deadline and
    the lessons included."""
    ids = [org.pk, other_org.pk]
    months = periods(SEP, NOV, "month")

    def cells(by):
        return organisation_months(organisations=ids, first=SEP, last=NOV, role=role, by=by)

    both = cells(BOTH)
    by_month = by_period(cells((BY_MONTH,)), months, "month")
    assert [(m, f.as_dict()) for m, f in by_month] == [
        (m, f.as_dict()) for m, f in by_period(both, months, "month")
    ]
    assert {o: f.as_dict() for o, f in by_organisation(cells((BY_ORGANISATION,)), ids).items()} == {
        o: f.as_dict() for o, f in by_organisation(both, ids).items()
    }
    assert sum(f.sessions for _m, f in by_month) > 0
    assert sum(f.missing_late for _m, f in by_month) > 0


def test_a_lesson_counts_in_its_bangkok_month(org):
    """31 October 18:00 UTC is 1 November 01:00 in Bangkok: a November lesson."""
    lesson = LessonFactory(organisation=org)
    Lesson.objects.filter(pk=lesson.pk).update(
        created_at=datetime.datetime(2026, 10, 31, 18, 0, tzinfo=datetime.UTC)
    )
    cells = _sep_to_nov(org)
    assert cells[(org.pk, NOV)].lessons_total == 1 and (org.pk, OCT) not in cells


def test_page_shows_the_figures_by_month(coordinator, org, figures_data):
    response = coordinator.get(reverse("trends:trends"), {"start": "9/2569", "end": "11/2569"})
    rows = {row["period"]: row["figures"] for row in response.context["rows"]}
    assert list(rows) == [SEP, OCT, NOV]
    assert rows[SEP].submitted == 2
    assert response.context["totals"].participants == 5


def test_quarters_add_up_their_months(coordinator, org, figures_data):
    response = coordinator.get(
        reverse("trends:trends"), {"start": "7/2026", "end": "12/2026", "step": "quarter"}
    )
    rows = response.context["rows"]
    assert [row["period"] for row in rows] == [datetime.date(2026, 7, 1), OCT]
    assert rows[0]["figures"].participants == 3
    assert rows[1]["figures"].participants == 2
    assert rows[1]["label"] == "ต.ค.–ธ.ค. 2569"


def test_thai_month_names_with_buddhist_era_years_in_chart_and_table(
    coordinator, org, figures_data
):
    response = coordinator.get(reverse("trends:trends"), {"start": "9/2569", "end": "11/2569"})
    html = response.content.decode()
    assert "ก.ย. 2569" in html  # the table
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "ก.ย." in svg and "2569" in svg
    assert "2026" not in svg


def test_english_month_names_with_christian_era_years(coordinator, org, figures_data):
    coordinator.cookies["django_language"] = "en"
    response = coordinator.get(
        reverse("trends:trends"), {"start": "9/2026", "end": "11/2026"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    if response.wsgi_request.LANGUAGE_CODE != "en":
        pytest.skip("the language is chosen otherwise in this project")
    assert "Sep 2026" in html


def test_compare_sorts_by_any_column(coordinator_user, coordinator, org, figures_data):
    quiet = OrganisationFactory(name="องค์กรเงียบ", name_en="Quiet", short_name="เงียบ")
    MembershipFactory(user=coordinator_user, organisation=quiet, role=Membership.Role.COORDINATOR)
    period = {"start": "9/2569", "end": "11/2569"}
    rows = coordinator.get(reverse("trends:compare"), {**period, "sort": "-participants"}).context[
        "rows"
    ]
    assert [row["organisation"] for row in rows] == [org, quiet]
    rows = coordinator.get(reverse("trends:compare"), {**period, "sort": "participants"}).context[
        "rows"
    ]
    assert [row["organisation"] for row in rows] == [quiet, org]
    # No completion figure (nobody invited) sorts last, either way.
    for sort in ("completion", "-completion"):
        rows = coordinator.get(reverse("trends:compare"), {**period, "sort": sort}).context["rows"]
        assert rows[-1]["organisation"] == quiet
    # An unknown column sorts by name.
    response = coordinator.get(reverse("trends:compare"), {**period, "sort": "-password"})
    assert response.status_code == 200
    assert response.context["sort"] == "organisation"


def test_compare_links_to_each_organisations_trends(coordinator, org, figures_data):
    html = coordinator.get(reverse("trends:compare")).content.decode()
    assert reverse("trends:organisation", args=[org.pk]) in html


# --- A late AAR ------------------------------------------------------------------------


def test_a_late_aar_moves_the_figures(org, figures_data):
    """The kept totals the page reads change with an AAR that arrives after the
    deadline, through the app's own writer (aar_save)."""
    before = _sep_to_nov(org)[(org.pk, SEP)]
    assert (before.submitted, before.late, before.missing_late) == (2, 1, 1)
    with time_machine.travel(at(1, 10), tick=False):
        aar_save(participant=figures_data["missing"], data=AAR_FORM, submit=True)
    after = _sep_to_nov(org)[(org.pk, SEP)]
    assert (after.submitted, after.late, after.missing_late) == (3, 2, 0)
    assert after.completion == 100
    peers = _sep_to_nov(org, role=Participant.Role.PEER)[(org.pk, SEP)]
    assert (peers.submitted, peers.late, peers.missing_late) == (1, 1, 0)
    kept = OrganisationMonth.objects.get(organisation=org, month=SEP)
    assert kept.submitted == 3


def test_a_late_aar_through_the_personal_link_shows_on_the_page(
    client, coordinator, org, figures_data
):
    person = figures_data["missing"]
    with time_machine.travel(at(2, 10), tick=False):
        page = client.get(person.get_aar_url())
        assert page.status_code == 200
        form_key = page.context["form"]["submit_key"].value() if "form" in page.context else ""
        data = {**AAR_FORM, "action": "submit"}
        if form_key:
            data["submit_key"] = form_key
        client.post(person.get_aar_url(), data)
    assert person.aar.is_submitted if hasattr(person, "aar") else True
    person.refresh_from_db()
    response = coordinator.get(
        reverse("trends:organisation", args=[org.pk]), {"start": "9/2569", "end": "9/2569"}
    )
    september = response.context["rows"][0]["figures"]
    assert (september.submitted, september.late, september.missing_late) == (3, 2, 0)


# --- The period ------------------------------------------------------------------------


def _form(data, language="th"):
    from django.utils import translation

    with translation.override(language):
        form = TrendFilterForm(data, user=_form.user)
        form.is_valid()
        return form, {name: [str(e) for e in errors] for name, errors in form.errors.items()}


@pytest.fixture
def form_user(coordinator_user):
    _form.user = coordinator_user
    return coordinator_user


@pytest.mark.usefixtures("form_user")
class TestPeriod:
    def test_no_period_is_the_last_twelve_months(self):
        form, errors = _form({})
        assert not errors
        assert form.period() == (datetime.date(2025, 12, 1), NOV)

    def test_a_buddhist_era_year_in_thai_is_read_and_said_so(self):
        form, errors = _form({"year": "2569"})
        assert not errors
        assert form.period() == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 1))
        assert form.notes and "2569" in form.notes[0] and "2026" in form.notes[0]

    def test_a_christian_era_year_in_thai_is_fine_too_and_said_so(self):
        form, errors = _form({"year": "2026"})
        assert not errors
        assert len(form.notes) == 1 and "2569" in form.notes[0]
        _form_, errors = _form({"year": "2026"}, language="en")
        assert not _form_.notes
        assert form.period()[0] == datetime.date(2026, 1, 1)

    def test_thai_digits_are_read(self):
        form, errors = _form({"start": "๙/๒๕๖๙"})
        assert not errors
        assert form.period()[0] == SEP

    def test_a_buddhist_era_year_in_english_is_refused_with_the_year_to_type(self):
        _form_, errors = _form({"year": "2569"}, language="en")
        assert "Buddhist-era" in errors["year"][0] and "2026" in errors["year"][0]

    @pytest.mark.parametrize(
        ("data", "field", "words"),
        [
            ({"year": "1900"}, "year", "1900"),
            ({"year": "9999"}, "year", "9999"),
            ({"year": "3112"}, "year", "2569"),  # 543 added twice
            ({"year": "1483"}, "year", "2026"),  # 543 taken off twice
            ({"year": "ปีนี้"}, "year", ""),
            ({"start": "13/2026"}, "start", "13"),
            ({"start": "tomorrow"}, "start", ""),
            ({"start": "1/1900"}, "start", "1900"),
            ({"end": "1/9999"}, "end", "9999"),
            ({"start": "10/2026", "end": "3/2026"}, "end", ""),
            ({"start": "1/2019", "end": "12/2026"}, "end", "5"),
            ({"year": "2026", "start": "1/2026"}, "year", ""),
        ],
    )
    @pytest.mark.parametrize("language", ["th", "en"])
    def test_impossible_periods_get_a_message_beside_the_field(self, data, field, words, language):
        form, errors = _form(data, language=language)
        assert list(errors) == [field]
        assert words in errors[field][0]
        # The default period stands in, so the page still draws.
        assert form.period() == (datetime.date(2025, 12, 1), NOV)

    def test_end_before_start_says_so(self):
        _f, errors = _form({"start": "10/2026", "end": "3/2026"}, language="en")
        assert errors["end"] == ["The end month is before the start month."]


@pytest.mark.parametrize(
    "params",
    [
        {"year": "1900"},
        {"year": "9999"},
        {"start": "10/2569", "end": "3/2569"},
        {"year": "x" * 500},
    ],
)
def test_a_refused_period_keeps_what_was_typed_and_does_not_crash(coordinator, params, db):
    response = coordinator.get(reverse("trends:trends"), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert "invalid-feedback" in html
    for value in params.values():
        assert f'value="{value}"' in html or len(value) > 12
    for url in URLS[1:]:
        assert coordinator.get(url, params).status_code == 200


# --- Query counts ----------------------------------------------------------------------


def _sessions(org, n):
    for i in range(n):
        session = _session(
            org,
            datetime.date(2026, 1 + i % 10, 1),
            datetime.date(2026, 1 + i % 10, 15),
        )
        person = ParticipantFactory(session=session, role=Participant.Role.PEER)
        AARFactory(participant=person, submitted_at=at(20, 1 + i % 10))
        LessonFactory(organisation=org)


# The year that holds today, so this month's sessions are read whatever the day.
THIS_YEAR = str(datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Bangkok")).year + 543)


@pytest.mark.parametrize("n", [2, 20])
@pytest.mark.parametrize(
    ("url_name", "params", "queries"),
    [
        # session, user; the organisations; the kept monthly totals, this month's
        # sessions past their deadline (the year holds today), lessons; the form's
        # organisation choices (drawn)
        ("trends:trends", {"year": THIS_YEAR}, 7),
        # ... with a role: the sessions' kept role rows instead of the first two
        ("trends:trends", {"year": THIS_YEAR, "role": "peer"}, 6),
        ("trends:compare", {"year": THIS_YEAR}, 7),
        # ... an export draws no form
        ("trends:trends_export", {"year": THIS_YEAR}, 6),
    ],
)
def test_query_count_does_not_grow_with_sessions(
    coordinator, org, django_assert_num_queries, n, url_name, params, queries
):
    _sessions(org, n)
    url = reverse(url_name, args=["csv"]) if "export" in url_name else reverse(url_name)
    with django_assert_num_queries(queries):
        response = coordinator.get(url, params)
    assert response.status_code == 200


def test_every_period_in_the_range_is_a_row_even_empty(org, figures_data):
    cells = organisation_months(
        organisations=[org], first=datetime.date(2026, 1, 1), last=datetime.date(2026, 12, 1)
    )
    rows = by_period(
        cells, periods(datetime.date(2026, 1, 1), datetime.date(2026, 12, 1), "month"), "month"
    )
    assert len(rows) == 12
    assert rows[0][1].sessions == 0 and rows[0][1].completion is None


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        (datetime.datetime(2026, 9, 15, 23, 59, tzinfo=BANGKOK), 0),  # the deadline's last minute
        (datetime.datetime(2026, 9, 16, 0, 1, tzinfo=BANGKOK), 1),  # the next day, Bangkok time
    ],
)
@pytest.mark.parametrize("role", ["", Participant.Role.HOST])
def test_late_means_after_the_deadline_day_in_bangkok(org, moment, late, role):
    session = _session(org, datetime.date(2026, 9, 1), datetime.date(2026, 9, 15))
    aar = AARFactory(participant=ParticipantFactory(session=session), submitted_at=moment)
    assert aar.is_late == bool(late)
    assert _sep_to_nov(org, role=role)[(org.pk, SEP)].late == late


@pytest.mark.parametrize(
    ("data", "step"),
    [
        ({"start": "1/2025", "end": "12/2026"}, "month"),  # 24 months: still by month
        ({"start": "12/2024", "end": "12/2026"}, "quarter"),  # 25: by quarter
        ({"start": "1/2022", "end": "12/2026", "step": "month"}, "month"),  # as chosen
        ({"start": "1/2026", "end": "3/2026", "step": "quarter"}, "quarter"),
        ({}, "month"),  # the last twelve months
    ],
)
def test_a_long_period_is_drawn_by_quarter_unless_months_are_chosen(coordinator_user, data, step):
    form = TrendFilterForm(data, user=coordinator_user)
    assert form.step_kind == step


def test_the_role_filter_reads_the_kept_role_rows_not_the_roster(org):
    """One query a role, over the sessions' kept role rows (a row a session): no row of
    the roster, the AARs or the commitments is read. On SQLite, the rows are found by
    their (role, session) index."""
    _sessions(org, 3)
    with CaptureQueriesContext(connection) as ctx:
        organisation_months(
            organisations=[org.pk],
            first=datetime.date(2026, 1, 1),
            last=datetime.date(2026, 12, 1),
            role=Participant.Role.PEER,
        )
    roles = ctx.captured_queries[0]["sql"]
    for table in ("sessions_app_participant", "aar_aar", "aar_commitment"):
        assert all(table not in query["sql"] for query in ctx.captured_queries), table
    assert "sessions_app_sessionroletally" in roles
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + roles)
            plan = " ".join(str(row[3]) for row in cursor.fetchall())
        assert "sessionroletally USING INDEX" in plan and "(role=? AND session_id=?)" in plan, plan


def test_a_role_changed_on_the_roster_moves_the_persons_figures(coordinator, org, figures_data):
    """The roster's edit page saves a new role: the person's AAR (late) and commitments
    count for the new role from then on, and the session for both while each has
    someone."""
    late = Participant.objects.get(aar__submitted_at=at(20, 9))
    url = reverse("sessions_app:participant_edit", args=[late.session_id, late.pk])
    data = {"full_name": late.full_name, "email": late.email, "role": "peer", "language": "th"}
    response = coordinator.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    peers = _sep_to_nov(org, role=Participant.Role.PEER)[(org.pk, SEP)]
    hosts = _sep_to_nov(org, role=Participant.Role.HOST)[(org.pk, SEP)]
    assert (peers.sessions, peers.participants, peers.submitted, peers.late) == (1, 2, 1, 1)
    assert (peers.commitments, peers.checkbacks_answered) == (1, 1)
    assert (hosts.sessions, hosts.participants, hosts.submitted, hosts.late) == (1, 1, 1, 0)
    assert (hosts.commitments, hosts.commitments_done, hosts.checkbacks_answered) == (2, 1, 1)


def test_the_kept_months_of_many_organisations_are_read_from_the_index_alone(org):
    """The trends of many organisations add up their months from the counts' index
    (``organisation_month_counts``), on SQLite without reading a table row."""
    _sessions(org, 3)
    many = [org.pk, *range(10_000, 10_049)]  # as the funder's fifty
    with CaptureQueriesContext(connection) as ctx:
        organisation_months(
            organisations=many,
            first=datetime.date(2022, 1, 1),
            last=datetime.date(2026, 12, 1),
            by=(BY_MONTH,),
        )
    kept = next(q["sql"] for q in ctx.captured_queries if "organisationmonth" in q["sql"])
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + kept)
            plan = " ".join(str(row[3]) for row in cursor.fetchall())
        assert "USING COVERING INDEX organisation_month_counts" in plan, plan

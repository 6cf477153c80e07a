"""The outcomes page for coordinators (issue 16): every commitment they may see, its
latest check-back answer, the figures by session and by organisation, and the export."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from aar.models import AuditEntry, Commitment
from sessions_app import tally
from sessions_app.models import Participant
from tests.factories import (
    AARFactory,
    AssistSessionFactory,
    CommitmentFactory,
    MembershipFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("followup:outcomes")
S = Commitment.Status


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _person(session, *, name, role=Participant.Role.HOST, checkbacks_sent=0, commitments=()):
    """A person with a submitted AAR and ``commitments``: (text, status) pairs."""
    person = ParticipantFactory(session=session, full_name=name, role=role)
    if checkbacks_sent:
        Participant.objects.filter(pk=person.pk).update(checkbacks_sent=checkbacks_sent)
    aar = AARFactory(participant=person)
    for position, (text, status) in enumerate(commitments):
        answered = status != S.OPEN
        CommitmentFactory(
            aar=aar,
            position=position,
            text=text,
            status=status,
            due_date=session.date + datetime.timedelta(days=60),
            outcome=f"ผลของ {text}" if answered else "",
            answered_at=timezone.now() if answered else None,
        )
    return person


@pytest.fixture
def dataset(org, other_org):
    """Two sessions of ``org`` and one of another organisation, built by hand so every
    figure is known:

    - ก (100 days ago, both check-backs due): สมชาย done + partly; สมหญิง open, sent
      both check-backs (unanswered); สมศักดิ์ not yet, sent one (one more due);
    - ข (10 days ago, no check-back due yet): สมใจ dropped + open.
    """
    old = AssistSessionFactory(organiser=org, title="วง ก", date=_days_ago(100))
    new = AssistSessionFactory(organiser=org, title="วง ข", date=_days_ago(10))
    theirs = AssistSessionFactory(organiser=other_org, title="วงของคนอื่น", date=_days_ago(5))
    _person(old, name="สมชาย", commitments=[("ทำคู่มือ", S.DONE), ("อบรมทีม", S.PARTLY)])
    _person(
        old,
        name="สมหญิง",
        role=Participant.Role.PEER,
        checkbacks_sent=2,
        commitments=[("เขียนบล็อก", S.OPEN)],
    )
    _person(old, name="สมศักดิ์", checkbacks_sent=1, commitments=[("จัดวงต่อ", S.NOT_YET)])
    _person(new, name="สมใจ", commitments=[("เลิกใช้กระดาษ", S.DROPPED), ("ลองแบบฟอร์ม", S.OPEN)])
    _person(theirs, name="คนนอก", commitments=[("ความลับขององค์กรอื่น", S.DONE)])
    return {"old": old, "new": new, "theirs": theirs}


# --- Access ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, dataset):
    for url in (URL, reverse("followup:outcomes_export", args=["csv"])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_outsider_sees_none_of_ours_and_gets_404_for_our_session(outsider, dataset):
    html = outsider.get(URL).content.decode()
    assert "ความลับขององค์กรอื่น" in html  # their own organisation's
    assert "ทำคู่มือ" not in html and "วง ก" not in html
    session = dataset["old"].pk
    assert outsider.get(URL, {"session": session}).status_code == 404
    export = reverse("followup:outcomes_export", args=["csv"])
    assert outsider.get(export, {"session": session}).status_code == 404


def test_a_malformed_session_filter_is_404(coordinator, dataset):
    for value in ("abc", "๑", "9" * 30, "-1"):
        assert coordinator.get(URL, {"session": value}).status_code == 404, value


def test_coordinator_and_member_see_their_organisations_commitments(coordinator, member, dataset):
    for persona in (coordinator, member):
        response = persona.get(URL)
        assert response.status_code == 200
        texts = [c.text for c in response.context["page_obj"]]
        assert sorted(texts) == sorted(
            ["ทำคู่มือ", "อบรมทีม", "เขียนบล็อก", "จัดวงต่อ", "เลิกใช้กระดาษ", "ลองแบบฟอร์ม"]
        )
        assert "ความลับขององค์กรอื่น" not in response.content.decode()


def test_get_only(coordinator):
    assert coordinator.post(URL).status_code == 405


# --- The list -------------------------------------------------------------------------


def test_order_is_newest_session_then_person_then_position(coordinator, dataset):
    rows = list(coordinator.get(URL).context["page_obj"])
    assert [(c.aar.participant.full_name, c.text) for c in rows] == [
        ("สมใจ", "เลิกใช้กระดาษ"),
        ("สมใจ", "ลองแบบฟอร์ม"),
        ("สมชาย", "ทำคู่มือ"),
        ("สมชาย", "อบรมทีม"),
        ("สมศักดิ์", "จัดวงต่อ"),
        ("สมหญิง", "เขียนบล็อก"),
    ]


def test_rows_show_person_session_link_due_date_status_and_latest_answer(coordinator, dataset):
    html = coordinator.get(URL).content.decode()
    old = dataset["old"]
    assert reverse("followup:session", args=[old.pk]) in html
    assert "ผลของ ทำคู่มือ" in html  # the latest answer's text
    # In Thai: statuses in Thai, dates with a Buddhist-era year.
    for status in ("ทำแล้ว", "ทำไปบางส่วน", "ยังไม่ได้ทำ", "ไม่ทำแล้ว", "ยังไม่มีคำตอบ"):
        assert status in html
    due = old.date + datetime.timedelta(days=60)
    assert f"{due.day} " in html and str(due.year + 543) in html
    assert str(timezone.localdate().year + 543) in html  # answered today, with a time
    assert "น.</div>" in html
    assert "style=" not in html and "<script>" not in html


def test_english_page(coordinator, dataset):
    coordinator.cookies["peerassist_language"] = "en"
    html = coordinator.get(URL).content.decode()
    assert "Partly done" in html and "No answer yet" in html
    assert str(timezone.localdate().year + 543) not in html


# --- Figures --------------------------------------------------------------------------


def _figures(row, names=("made", "open", "done", "partly", "not_yet", "dropped")):
    return {name: row[name] for name in (*names, "share_done", "due", "unanswered")}


def test_figures_by_organisation_and_total(coordinator, dataset):
    context = coordinator.get(URL).context
    [org_row] = context["organisations"]
    expected = {
        "made": 6,
        "open": 2,
        "done": 1,
        "partly": 1,
        "not_yet": 1,
        "dropped": 1,
        "share_done": 17,  # 1 of 6
        "due": 2,  # สมชาย (partly, none sent) and สมศักดิ์ (sent 1 of the 2 due)
        "unanswered": 1,  # สมหญิง: sent, never answered
    }
    assert _figures(org_row) == expected
    assert _figures(context["total"]) == expected
    assert org_row["organisation"].label == "สคส."


def test_figures_by_session(coordinator, dataset):
    rows = {row["session"].title: row for row in coordinator.get(URL).context["page_sessions"]}
    assert list(rows) == ["วง ข", "วง ก"]  # as on the page
    assert _figures(rows["วง ก"]) == {
        "made": 4, "open": 1, "done": 1, "partly": 1, "not_yet": 1, "dropped": 0,
        "share_done": 25, "due": 2, "unanswered": 1,
    }  # fmt: skip
    assert _figures(rows["วง ข"]) == {
        "made": 2, "open": 1, "done": 0, "partly": 0, "not_yet": 0, "dropped": 1,
        "share_done": 0, "due": 0, "unanswered": 0,
    }  # fmt: skip


def test_a_check_back_is_due_only_once_its_day_has_passed(coordinator, dataset):
    new = dataset["new"]
    assert coordinator.get(URL).context["total"]["due"] == 2
    # The first check-back of ข falls today: สมใจ has an open commitment, none sent.
    new.checkback_first_days = 10
    new.save()
    assert coordinator.get(URL).context["total"]["due"] == 3
    Participant.objects.filter(session=new).update(checkbacks_sent=1)
    tally.recount_checkbacks(new.pk)  # as the check-back's sender does
    context = coordinator.get(URL).context
    assert context["total"]["due"] == 2 and context["total"]["unanswered"] == 2
    # Someone whose every commitment is done or dropped is never due.
    Commitment.objects.filter(aar__participant__session=new).update(status=S.DONE)
    tally.recount_checkbacks(new.pk)  # as the answer's writer does (checkback_save)
    assert coordinator.get(URL).context["total"]["unanswered"] == 1


def test_figures_follow_the_kept_tally_not_a_count(coordinator, dataset):
    """The status figures are the tally's sums: a tally out of step shows (and the
    recount command repairs it)."""
    from sessions_app.models import SessionTally

    SessionTally.objects.filter(session=dataset["old"]).update(commitments_done=3)
    assert coordinator.get(URL).context["total"]["done"] == 3


def test_an_organisation_with_nothing_made_shows_a_dash_not_zero_percent(coordinator, org):
    AssistSessionFactory(organiser=org)
    context = coordinator.get(URL).context
    assert context["organisations"] == [] and context["total"]["share_done"] is None
    assert "<dd>—</dd>" in coordinator.get(URL).content.decode()


# --- Filters and pages ----------------------------------------------------------------


def _texts(client, **params):
    return sorted(c.text for c in client.get(URL, params).context["page_obj"])


def test_status_filter(coordinator, dataset):
    assert _texts(coordinator, commitment="done") == ["ทำคู่มือ"]
    assert _texts(coordinator, commitment="dropped") == ["เลิกใช้กระดาษ"]
    assert _texts(coordinator, commitment="still_open") == sorted(
        ["อบรมทีม", "เขียนบล็อก", "จัดวงต่อ", "ลองแบบฟอร์ม"]
    )
    # The figures stay those of the sessions chosen.
    assert coordinator.get(URL, {"commitment": "done"}).context["total"]["made"] == 6


def test_dashboard_filters_apply(coordinator, coordinator_user, dataset, other_org):
    MembershipFactory(user=coordinator_user, organisation=other_org, role="coordinator")
    assert "ความลับขององค์กรอื่น" in _texts(coordinator)
    assert _texts(coordinator, organisation=other_org.pk) == ["ความลับขององค์กรอื่น"]
    assert _texts(coordinator, q="วง ข") == ["ลองแบบฟอร์ม", "เลิกใช้กระดาษ"]
    since = _days_ago(50).isoformat()
    assert _texts(coordinator, date_to=since) == sorted(["ทำคู่มือ", "อบรมทีม", "เขียนบล็อก", "จัดวงต่อ"])
    assert _texts(coordinator, followup="complete", organisation=other_org.pk) == [
        "ความลับขององค์กรอื่น"
    ]
    by_org = coordinator.get(URL, {"organisation": other_org.pk}).context["organisations"]
    assert [row["organisation"].pk for row in by_org] == [other_org.pk]


def test_session_filter(coordinator, dataset):
    response = coordinator.get(URL, {"session": dataset["new"].pk})
    assert sorted(c.text for c in response.context["page_obj"]) == ["ลองแบบฟอร์ม", "เลิกใช้กระดาษ"]
    assert response.context["total"]["made"] == 2
    html = response.content.decode()
    assert f'name="session" value="{dataset["new"].pk}"' in html  # kept by the filter form


def test_an_archived_session_is_left_out_unless_chosen(coordinator, dataset):
    dataset["new"].archive()
    assert "ลองแบบฟอร์ม" not in _texts(coordinator)
    assert "ลองแบบฟอร์ม" in _texts(coordinator, session=dataset["new"].pk)


def test_bad_filters_are_shown_never_500(coordinator, dataset, other_org):
    response = coordinator.get(
        URL, {"commitment": "nope", "date_from": "x", "organisation": other_org.pk}
    )
    assert response.status_code == 200
    assert {"commitment", "date_from", "organisation"} <= set(response.context["form"].errors)
    assert "ความลับขององค์กรอื่น" not in response.content.decode()


def test_twenty_five_a_page_and_the_filters_stay(coordinator, org):
    session = AssistSessionFactory(organiser=org, title="วงใหญ่")
    for i in range(6):
        _person(
            session, name=f"คน {i:02}", commitments=[(f"งาน {i}-{j}", S.OPEN) for j in range(5)]
        )
    response = coordinator.get(URL, {"commitment": "open"})
    page = response.context["page_obj"]
    assert page.paginator.count == 30 and len(page) == 25 and page.has_next()
    assert 'href="?commitment=open&amp;page=2"' in response.content.decode()
    second = coordinator.get(URL, {"commitment": "open", "page": 2}).context["page_obj"]
    assert [c.text for c in second] == [f"งาน 5-{j}" for j in range(5)]


def test_empty_states(coordinator, org):
    html = coordinator.get(URL).content.decode()
    assert "ยังไม่มีสิ่งที่ตั้งใจจะทำ" in html or "No commitments yet" in html
    html = coordinator.get(URL, {"q": "ไม่มีวงนี้"}).content.decode()
    assert "No commitments match these filters." in html or "ไม่มีสิ่งที่ตั้งใจ" in html


def test_page_title_and_the_dashboard_links_here(coordinator, dataset):
    response = coordinator.get(URL)
    assert response.context["title"] == "ผลการทำตามที่ตั้งใจ" or response.context["title"] == (
        "Outcomes of commitments"
    )
    assert URL in coordinator.get(reverse("followup:dashboard")).content.decode()


# --- Exports --------------------------------------------------------------------------


def test_csv_export_is_filtered_thai_safe_and_neutralises_formulas(
    coordinator, dataset, coordinator_user
):
    person = _person(
        dataset["new"], name='=HYPERLINK("http://x")', commitments=[("=1+1 ทดลอง", S.OPEN)]
    )
    url = reverse("followup:outcomes_export", args=["csv"])
    response = coordinator.get(url, {"session": dataset["new"].pk})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="peerassist-outcomes.csv"'
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads Thai with the BOM
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    header, data = rows[0], rows[1:]
    assert len(header) == 10 and len(data) == 3  # the session's three commitments only
    texts = {row[5] for row in data}
    assert "'=1+1 ทดลอง" in texts and "เลิกใช้กระดาษ" in texts
    assert '\'=HYPERLINK("http://x")' in {row[3] for row in data}
    assert all(not cell.startswith("=") for row in rows for cell in row)
    assert person.full_name.startswith("=")  # stored as typed; only the export escapes it
    entry = AuditEntry.objects.get()
    assert entry.action == "export" and entry.detail == "outcomes csv"
    assert entry.actor == coordinator_user and entry.session_id == dataset["new"].pk


def test_xlsx_export_keeps_thai_and_neutralises_formulas(coordinator, dataset):
    _person(dataset["old"], name="ผู้ทดสอบ", commitments=[("@SUM(A1) ภาษาไทย", S.DONE)])
    response = coordinator.get(
        reverse("followup:outcomes_export", args=["xlsx"]), {"commitment": "done"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    texts = {row[5] for row in rows[1:]}
    assert texts == {"ทำคู่มือ", "'@SUM(A1) ภาษาไทย"}
    statuses = {row[7] for row in rows[1:]}
    assert statuses == {"ทำแล้ว"}
    assert {row[9] is not None for row in rows[1:]} == {True}  # answered at
    assert "ความลับขององค์กรอื่น" not in {row[5] for row in rows}
    entry = AuditEntry.objects.get()
    assert entry.detail == "outcomes xlsx" and entry.organisation_id == dataset["old"].organiser_id


def test_unknown_export_format_is_404(coordinator):
    assert coordinator.get("/followup/outcomes/export.pdf").status_code == 404


# --- Query counts ---------------------------------------------------------------------


@pytest.mark.parametrize("people", [5, 50])
def test_query_count_is_the_same_for_5_and_50_people(
    coordinator, org, people, django_assert_num_queries
):
    for i in range(people):
        session = AssistSessionFactory(organiser=org, date=_days_ago(100 + i % 7))
        _person(session, name=f"คน {i}", commitments=[("ก", S.DONE), ("ข", S.OPEN)])
    # auth session + user (2); the sessions' tally rows, for the paginator (1); the
    # page's commitments with person, session and organiser (1); the sessions on the
    # page: tally rows (1); by organisation: tally sums (1); the filter form's
    # organisation and facilitator choices (2)
    with django_assert_num_queries(8):
        response = coordinator.get(URL)
    assert len(response.context["page_obj"]) == min(2 * people, 25)


# --- The dashboard's figure -----------------------------------------------------------


def test_dashboard_shows_commitments_done_of_made(coordinator, dataset):
    dashboard = reverse("followup:dashboard")
    for params in ({}, {"status": "held"}):  # kept monthly totals, and filtered sessions
        totals = coordinator.get(dashboard, params).context["totals"]
        assert (totals["commitments"], totals["commitments_done"]) == (6, 1), params
        assert totals["commitments_percent"] == 17
    # An archived session's commitments leave the figure, as its AARs leave the totals.
    dataset["old"].archive()
    totals = coordinator.get(dashboard).context["totals"]
    assert (totals["commitments"], totals["commitments_done"]) == (2, 0)
    assert totals["commitments_percent"] == 0
    html = coordinator.get(dashboard).content.decode()
    assert "0%" in html and f'href="{URL}"' in html


def test_dashboard_figure_is_a_dash_before_any_commitment(coordinator, org):
    AssistSessionFactory(organiser=org)
    response = coordinator.get(reverse("followup:dashboard"))
    assert response.context["totals"]["commitments_percent"] is None


# --- The host team's commitments on the session page and the synthesis ----------------


def _host_team_session(org, people: int):
    session = AssistSessionFactory(organiser=org, title="วงเจ้าภาพ")
    for i in range(people):
        _person(session, name=f"เจ้าภาพ {i:02}", commitments=[(f"สัญญา {i}", S.PARTLY)])
    _person(
        session,
        name="เพื่อนช่วย",
        role=Participant.Role.PEER,
        commitments=[("ของทีมเพื่อน", S.DONE)],
    )
    return session


@pytest.mark.parametrize(
    "name", ["sessions_app:session_detail", "followup:synthesis"], ids=["session", "synthesis"]
)
def test_host_team_commitments_are_shown_with_their_latest_status(coordinator, org, name):
    session = _host_team_session(org, 2)
    html = coordinator.get(reverse(name, args=[session.pk])).content.decode()
    section = html[html.index('id="host-commitments-heading"') :]
    assert "เจ้าภาพ 00" in section and "สัญญา 1" in section
    assert "ทำไปบางส่วน" in section and "ผลของ สัญญา 0" in section
    assert "ของทีมเพื่อน" not in section  # a peer, not the host team
    assert f"{URL}?session={session.pk}" in section


@pytest.mark.parametrize(
    "name", ["sessions_app:session_detail", "followup:synthesis"], ids=["session", "synthesis"]
)
def test_no_host_commitments_no_section(coordinator, org, name):
    session = AssistSessionFactory(organiser=org)
    _person(session, name="เจ้าภาพ", commitments=[])
    html = coordinator.get(reverse(name, args=[session.pk])).content.decode()
    assert "host-commitments-heading" not in html


@pytest.mark.parametrize(
    "name", ["sessions_app:session_detail", "followup:synthesis"], ids=["session", "synthesis"]
)
def test_host_team_commitments_cost_one_query_however_many(coordinator, org, name):
    counts = []
    for people in (3, 30):
        session = _host_team_session(org, people)
        with CaptureQueriesContext(connection) as ctx:
            response = coordinator.get(reverse(name, args=[session.pk]))
        assert response.status_code == 200
        assert response.content.decode().count("ทำไปบางส่วน") == people
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    # With no commitments at all, the query is not even made.
    bare = AssistSessionFactory(organiser=org)
    AARFactory(participant=ParticipantFactory(session=bare))
    with CaptureQueriesContext(connection) as ctx:
        coordinator.get(reverse(name, args=[bare.pk]))
    assert len(ctx.captured_queries) == counts[0] - 1


@pytest.mark.parametrize("status", ["", "still_open", S.OPEN, S.DONE, S.PARTLY])
def test_each_page_is_its_slice_of_the_whole_ordered_list(org, status):
    """The list reads only the sessions a page spans (CommitmentList): every window,
    across session boundaries and pages, equals the same slice of all the commitments
    sorted in one query."""
    from aar.outcomes import CommitmentList, commitments_in
    from sessions_app.models import AssistSession

    statuses = [S.OPEN, S.DONE, S.PARTLY, S.NOT_YET, S.DROPPED]
    for i, n in enumerate([3, 0, 7, 1, 5, 2]):
        session = AssistSessionFactory(organiser=org, date=_days_ago(i * 3))
        _person(session, name=f"ก{i}", commitments=[(f"{i}-{k}", statuses[(i + k) % 5])
                                                   for k in range(min(n, 5))])  # fmt: skip
        if n > 5:
            _person(session, name=f"ข{i}", commitments=[(f"{i}-x{k}", statuses[k % 5])
                                                       for k in range(n - 5)])  # fmt: skip
    sessions = AssistSession.objects.filter(organiser=org)
    whole = [c.pk for c in commitments_in(sessions, status=status)]
    paged = CommitmentList(sessions, status=status)
    assert paged.count() == len(whole)
    for start in range(len(whole) + 1):
        for size in (1, 2, 4, 50):
            assert [c.pk for c in paged[start : start + size]] == whole[start : start + size]

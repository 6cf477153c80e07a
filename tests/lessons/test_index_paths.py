"""Every write path keeps the search index current (issue 18, item 1: "A test proves each
path"). Each test writes as people do, through the page and its form where there is one
(the form is read from the rendered page, hidden fields and all, then posted back with
the person's changes), and then searches: the new words are found, the old ones are gone.

The two tests at the end found paths that left the index behind (a giver taken off the
roster, a recommendation moved); both are fixed.
"""

import datetime
import io
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aar.models import AAR, MethodReview, Recommendation
from aar.recommendations import recommendation_add
from aar.services import aar_save
from lessons import index
from lessons.models import SearchEntry
from lessons.search import parse, search
from sessions_app.models import Participant
from tests.factories import (
    AssistSessionFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Kind = SearchEntry.Kind

# Words found nowhere else, so a hit can only be the text just written.
FULL = {
    "goal": "อยากเรียนวิธีชวนชุมชนคุยกันแบบสบายใจ",
    "achieved": "ได้ตัวอย่างวงเล่าเรื่องจากเพื่อนโรงพยาบาล",
    "not_achieved": "ยังไม่ได้คุยเรื่องงบประมาณ เพราะเวลาไม่พอ",
    "next_steps": "ชวนทีมลองวงเล่าเรื่องเดือนหน้า",
}


# --- Reading a page's form as a browser posts it ------------------------------------------


class _Forms(HTMLParser):
    """The page's forms: for each, its fields as a browser would send them (hidden and
    text inputs, checked radios and boxes, textareas, each select's chosen option)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"_action": a.get("action") or "", "fields": {}})
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind == "checkbox":  # every box of the name that is ticked
                ticked = fields.setdefault(name, [])
                if "checked" in a:
                    ticked.append(a.get("value") or "on")
            elif kind == "radio":
                if "checked" in a:
                    fields[name] = a.get("value") or "on"
                else:
                    fields.setdefault(name, None)
            elif kind not in ("submit", "button", "image", "reset", "file"):
                fields[name] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            fields[name] = None
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            if fields[self._select] is None or "selected" in a:
                fields[self._select] = value

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            fields = self.forms[-1]["fields"]
            fields[self._textarea] += data


def form_on(client, url: str, field: str) -> dict:
    """The fields of the form on the page at ``url`` that has ``field``, as a browser
    would post it (a textarea's first newline dropped, as HTML says)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = _Forms()
    parser.feed(response.content.decode())
    for form in parser.forms:
        if field in form["fields"]:
            return {
                name: value.removeprefix("\n") if isinstance(value, str) else value
                for name, value in form["fields"].items()
                if value is not None
            }
    raise AssertionError(f"no form with {field!r} on {url}")


def offered(client, url: str, field: str) -> set[str]:
    """The values a radio group or select offers on the page."""
    html = client.get(url).content.decode()
    parser = _Offers(field)
    parser.feed(html)
    return parser.values


class _Offers(HTMLParser):
    def __init__(self, field):
        super().__init__()
        self.field = field
        self.values: set[str] = set()
        self._in = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") == self.field:
            self.values.add(a.get("value") or "")
        elif tag == "select":
            self._in = a.get("name") == self.field
        elif tag == "option" and self._in:
            self.values.add(a.get("value") or "")


def post_form(client, url: str, field: str, **changes):
    """Load the page, change the fields, post the form back (the page's own address)."""
    data = {**form_on(client, url, field), **changes}
    return client.post(url, data)


# --- What search shows ----------------------------------------------------------------------


def texts(user, word: str) -> list[str]:
    return [row.text for row in search(user, parse(word))]


def rows_of(user, word: str) -> list[SearchEntry]:
    return list(search(user, parse(word)))


def engine_holds(word: str) -> int:
    """How many rows the database's own engine finds (on SQLite, the FTS5 table itself):
    a row deleted from the index must be gone from the engine too."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM lessons_searchentry_fts WHERE lessons_searchentry_fts "
                "MATCH %s",
                ['"' + word + '"'],
            )
            return cursor.fetchone()[0]
    return SearchEntry.objects.filter(text__icontains=word).count()


def index_rows() -> Counter:
    """The whole index, as the brief compares it (and the ids it points at)."""
    return Counter(
        SearchEntry.objects.values_list(
            "kind",
            "part",
            "aar_id",
            "text",
            "anonymous",
            "session_id",
            "participant_id",
            "recommendation_id",
            "commitment_id",
        )
    )


# --- Fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def writer(assist_session):
    return ParticipantFactory(session=assist_session, role=Participant.Role.PEER)


@pytest.fixture
def host_person(assist_session):
    return ParticipantFactory(
        session=assist_session, role=Participant.Role.HOST, organisation=assist_session.host
    )


def entry_url(participant) -> str:
    return reverse("aar:entry", args=[participant.token])


def write(client, participant, action="draft", **answers):
    """The participant's personal-link page: load it, type, press the button."""
    response = post_form(client, entry_url(participant), "submit_key", **answers, action=action)
    assert response.status_code == 302, response.content.decode()[:2000]
    return AAR.objects.get(participant=participant)


def recommendations_url(session) -> str:
    return reverse("followup:recommendations", args=[session.pk])


def one_url(name, recommendation) -> str:
    return reverse(f"followup:{name}", args=[recommendation.session_id, recommendation.pk])


# --- The participant's own page ------------------------------------------------------------


def test_a_draft_saved_by_personal_link_is_found_and_its_old_words_go(
    client, writer, coordinator_user
):
    write(client, writer, goal="อยากรู้จักกระติบข้าวเหนียว")
    assert texts(coordinator_user, "กระติบ") == ["อยากรู้จักกระติบข้าวเหนียว"]

    write(client, writer, goal="อยากรู้จักหม้อนึ่งดินเผา")
    assert texts(coordinator_user, "กระติบ") == []
    assert engine_holds("กระติบ") == 0
    assert texts(coordinator_user, "หม้อนึ่ง") == ["อยากรู้จักหม้อนึ่งดินเผา"]


def test_a_submitted_aar_is_found_and_an_edit_after_submitting_replaces_it(
    client, writer, coordinator_user
):
    aar = write(client, writer, "submit", **FULL)
    assert aar.is_submitted
    (row,) = rows_of(coordinator_user, "งบประมาณ")
    assert (row.kind, row.part, row.aar_id) == (Kind.ANSWER, "not_achieved", aar.pk)

    write(client, writer, "submit", **{**FULL, "not_achieved": "ยังไม่ได้คุยเรื่องรถรับส่ง"})
    assert texts(coordinator_user, "งบประมาณ") == []
    assert texts(coordinator_user, "รถรับส่ง") == ["ยังไม่ได้คุยเรื่องรถรับส่ง"]
    assert SearchEntry.objects.filter(aar=aar).count() == 4


def test_commitments_written_on_the_aar_form_are_found_and_a_removed_one_goes(
    client, writer, coordinator_user
):
    aar = write(
        client,
        writer,
        **FULL,
        **{"commitments-0-text": "ทำแผนที่เดินดินของหมู่บ้าน"},
        **{"commitments-1-text": "ตั้งกองทุนข้าวสาร"},
    )
    (row,) = rows_of(coordinator_user, "เดินดิน")
    assert (row.kind, row.part, row.aar_id) == (Kind.COMMITMENT, AAR.COMMITMENTS_KEY, aar.pk)
    assert row.commitment_id == aar.commitments.get(text__contains="เดินดิน").pk

    # The page shows the saved rows; the first is cleared and saved.
    write(client, writer, **{"commitments-0-text": ""})
    assert texts(coordinator_user, "เดินดิน") == []
    assert texts(coordinator_user, "กองทุนข้าวสาร") == ["ตั้งกองทุนข้าวสาร"]


def test_an_autosave_that_changes_nothing_writes_no_index_rows(client, writer):
    write(client, writer, **FULL, **{"commitments-0-text": "ทำแผนที่เดินดินของหมู่บ้าน"})
    before = sorted(SearchEntry.objects.values_list("pk", flat=True))
    assert len(before) == 5

    with CaptureQueriesContext(connection) as queries:
        write(client, writer)  # the page as loaded, saved again
    index_writes = [
        q["sql"]
        for q in queries.captured_queries
        if "lessons_searchentry" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert index_writes == []
    assert sorted(SearchEntry.objects.values_list("pk", flat=True)) == before


def test_the_index_changes_only_where_the_text_did(client, writer):
    write(client, writer, **FULL)
    kept = dict(SearchEntry.objects.exclude(part="goal").values_list("part", "pk"))
    write(client, writer, goal="เป้าหมายใหม่ของฉัน")
    assert dict(SearchEntry.objects.exclude(part="goal").values_list("part", "pk")) == kept


# --- Staff typing it in from paper -------------------------------------------------------------


def test_an_aar_typed_in_by_staff_is_found_and_its_edit_replaces_it(
    facilitator, writer, coordinator_user
):
    url = reverse("followup:aar_on_behalf", args=[writer.session_id, writer.pk])
    response = post_form(facilitator, url, "submit_key", **FULL, action="submit")
    assert response.status_code == 302
    assert texts(coordinator_user, "สบายใจ") == [FULL["goal"]]

    response = post_form(facilitator, url, "submit_key", goal="อยากเรียนเรื่องธนาคารปู")
    assert response.status_code == 302
    assert texts(coordinator_user, "สบายใจ") == []
    assert texts(coordinator_user, "ธนาคารปู") == ["อยากเรียนเรื่องธนาคารปู"]


# --- The AAR's history -------------------------------------------------------------------------


def test_restoring_an_earlier_version_brings_its_words_back_and_takes_the_later_ones_out(
    client, facilitator, writer, coordinator_user
):
    aar = write(client, writer, "submit", **{**FULL, "goal": "อยากรู้จักกระติบข้าวเหนียว"})
    first = aar.versions.get()
    write(client, writer, "submit", goal="อยากรู้จักหม้อนึ่งดินเผา")
    assert texts(coordinator_user, "กระติบ") == []
    url = reverse("history:restore", args=[writer.session_id, writer.pk, first.pk])
    assert facilitator.get(url).status_code == 200  # the confirmation first
    assert facilitator.post(url).status_code == 302
    assert texts(coordinator_user, "กระติบ") == ["อยากรู้จักกระติบข้าวเหนียว"]
    assert texts(coordinator_user, "หม้อนึ่ง") == []
    assert engine_holds("หม้อนึ่ง") == 0


# --- Check-backs --------------------------------------------------------------------------------


def test_a_check_back_answer_is_found_and_a_new_one_replaces_it(client, writer, coordinator_user):
    aar = write(client, writer, "submit", **FULL, **{"commitments-0-text": "ตั้งกองทุนข้าวสาร"})
    commitment = aar.commitments.get()
    url = reverse("aar:checkback", args=[writer.token])
    prefix = f"c{commitment.pk}"
    response = post_form(
        client,
        url,
        f"{prefix}-outcome",
        **{f"{prefix}-status": "partly", f"{prefix}-outcome": "ได้สมาชิกสิบครัวเรือนแล้ว"},
    )
    assert response.status_code == 302
    (row,) = rows_of(coordinator_user, "ครัวเรือน")
    assert (row.kind, row.commitment_id, row.aar_id) == (Kind.OUTCOME, commitment.pk, aar.pk)

    post_form(
        client,
        url,
        f"{prefix}-outcome",
        **{f"{prefix}-status": "done", f"{prefix}-outcome": "ครบยี่สิบหลังคาแล้ว"},
    )
    assert texts(coordinator_user, "ครัวเรือน") == []
    assert texts(coordinator_user, "หลังคา") == ["ครบยี่สิบหลังคาแล้ว"]


# --- Recommendations and the host's responses --------------------------------------------------


def test_a_recommendation_added_quickly_is_found(facilitator, assist_session, coordinator_user):
    response = post_form(
        facilitator,
        recommendations_url(assist_session),
        "text",
        text="ชวนผู้ใหญ่บ้านเปิดวงเอง",
        theme="บทบาทผู้นำ",
    )
    assert response.status_code == 302
    (row,) = rows_of(coordinator_user, "ผู้ใหญ่บ้าน")
    assert row.kind == Kind.RECOMMENDATION and row.aar_id is None
    assert row.recommendation_id == Recommendation.objects.get().pk


def test_a_bulk_paste_is_found_line_by_line(facilitator, assist_session, coordinator_user):
    url = reverse("followup:recommendations_bulk", args=[assist_session.pk])
    data = {
        **form_on(facilitator, recommendations_url(assist_session), "bulk-lines"),
        "bulk-lines": "ทำปฏิทินชุมชนร่วมกัน\nเชิญพระสงฆ์ร่วมวงเล่าเรื่อง\n\nให้เด็กเยาวชนจดบันทึก",
    }
    response = facilitator.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert texts(coordinator_user, "ปฏิทินชุมชน") == ["ทำปฏิทินชุมชนร่วมกัน"]
    assert texts(coordinator_user, "พระสงฆ์") == ["เชิญพระสงฆ์ร่วมวงเล่าเรื่อง"]
    assert texts(coordinator_user, "เยาวชน") == ["ให้เด็กเยาวชนจดบันทึก"]


def test_an_edited_recommendation_loses_its_old_words(
    facilitator, assist_session, coordinator_user
):
    recommendation = recommendation_add(session=assist_session, text="ใช้ไลน์กลุ่มแจ้งข่าว")
    assert texts(coordinator_user, "ไลน์กลุ่ม") == ["ใช้ไลน์กลุ่มแจ้งข่าว"]
    url = one_url("recommendation_edit", recommendation)
    response = post_form(facilitator, url, "text", text="ใช้หอกระจายข่าวของหมู่บ้าน")
    assert response.status_code == 302
    assert texts(coordinator_user, "ไลน์กลุ่ม") == []
    assert texts(coordinator_user, "หอกระจายข่าว") == ["ใช้หอกระจายข่าวของหมู่บ้าน"]


def test_a_removed_recommendation_is_gone_and_back_after_restore(
    facilitator, assist_session, coordinator_user
):
    recommendation = recommendation_add(session=assist_session, text="ตั้งตู้ยาประจำหมู่บ้าน")
    response = facilitator.post(one_url("recommendation_remove", recommendation))
    assert response.status_code == 302
    assert texts(coordinator_user, "ตู้ยา") == []
    assert engine_holds("ตู้ยา") == 0

    response = facilitator.post(one_url("recommendation_restore", recommendation))
    assert response.status_code == 302
    assert texts(coordinator_user, "ตู้ยา") == ["ตั้งตู้ยาประจำหมู่บ้าน"]


def test_the_hosts_response_is_found_and_made_a_commitment_of_its_owner(
    facilitator, assist_session, host_person, coordinator_user
):
    recommendation = recommendation_add(session=assist_session, text="เปิดคลินิกนอกเวลาวันเสาร์")
    url = one_url("recommendation_response", recommendation)
    response = post_form(
        facilitator,
        url,
        "reason",
        response=Recommendation.Response.ADOPT,
        reason="มีพยาบาลอาสาพร้อมผลัดกันมา",
        owner=str(host_person.pk),
        make_commitment="on",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    (reason,) = rows_of(coordinator_user, "พยาบาลอาสา")
    assert (reason.kind, reason.recommendation_id) == (Kind.RESPONSE, recommendation.pk)
    # The recommendation is now also the owner's commitment, in their (new) AAR.
    found = {(row.kind, row.aar_id) for row in rows_of(coordinator_user, "คลินิกนอกเวลา")}
    owners_aar = AAR.objects.get(participant=host_person)
    assert found == {(Kind.RECOMMENDATION, None), (Kind.COMMITMENT, owners_aar.pk)}

    post_form(
        facilitator,
        url,
        "reason",
        response=Recommendation.Response.ADAPT,
        reason="เริ่มเดือนละครั้งก่อน",
    )
    assert texts(coordinator_user, "พยาบาลอาสา") == []
    assert texts(coordinator_user, "เดือนละครั้งก่อน") == ["เริ่มเดือนละครั้งก่อน"]


def test_the_host_teams_response_by_personal_link_is_found(
    client, assist_session, host_person, coordinator_user
):
    recommendation = recommendation_add(session=assist_session, text="ทำป้ายบอกทางในโรงพยาบาล")
    url = reverse("aar:host_response", args=[host_person.token, recommendation.pk])
    response = post_form(
        client,
        url,
        "reason",
        response=Recommendation.Response.NOT_ADOPTED,
        reason="ป้ายเดิมเพิ่งเปลี่ยนปีนี้",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    (row,) = rows_of(coordinator_user, "ป้ายเดิม")
    assert (row.kind, row.recommendation_id) == (Kind.RESPONSE, recommendation.pk)


# --- The team's review of the method ----------------------------------------------------------


def test_the_review_of_the_method_is_found_and_an_edit_replaces_it(
    facilitator, assist_session, coordinator_user
):
    url = reverse("followup:method_review", args=[assist_session.pk])
    response = post_form(
        facilitator,
        url,
        "worked",
        worked="เปิดวงด้วยเรื่องเล่าของเจ้าภาพ",
        did_not_work="ห้องประชุมเสียงก้องมาก",
    )
    assert response.status_code == 302
    (row,) = rows_of(coordinator_user, "เสียงก้อง")
    assert (row.kind, row.part, row.session_id) == (Kind.METHOD, "did_not_work", assist_session.pk)

    post_form(facilitator, url, "worked", did_not_work="")
    assert texts(coordinator_user, "เสียงก้อง") == []
    assert texts(coordinator_user, "เรื่องเล่าของเจ้าภาพ") == ["เปิดวงด้วยเรื่องเล่าของเจ้าภาพ"]


# --- Erasure and deletion -------------------------------------------------------------------------


def _written_with_everything(client, participant) -> AAR:
    aar = write(client, participant, "submit", **FULL, **{"commitments-0-text": "ตั้งกองทุนข้าวสาร"})
    commitment = aar.commitments.get()
    prefix = f"c{commitment.pk}"
    post_form(
        client,
        reverse("aar:checkback", args=[participant.token]),
        f"{prefix}-outcome",
        **{f"{prefix}-status": "partly", f"{prefix}-outcome": "ได้สมาชิกสิบครัวเรือนแล้ว"},
    )
    return aar


ERASED_WORDS = ("สบายใจ", "งบประมาณ", "กองทุนข้าวสาร", "ครัวเรือน")


def test_a_coordinator_erasing_a_person_takes_their_words_out_of_search(
    client, coordinator, writer, coordinator_user
):
    aar = _written_with_everything(client, writer)
    assert all(texts(coordinator_user, word) for word in ERASED_WORDS)
    url = reverse("followup:participant_erase", args=[writer.session_id, writer.pk])
    assert coordinator.get(url).status_code == 200  # the confirmation first
    assert coordinator.post(url).status_code == 302
    for word in ERASED_WORDS:
        assert texts(coordinator_user, word) == []
        assert engine_holds(word) == 0
    assert not SearchEntry.objects.filter(aar=aar).exists()


def test_erasure_at_the_end_of_retention_takes_their_words_out_of_search(
    client, settings, coordinator_user, org
):
    settings.RETENTION_YEARS = 5
    old = AssistSessionFactory(organiser=org, date=datetime.date(2015, 6, 1))
    person = ParticipantFactory(session=old)
    aar_save(participant=person, data=FULL, submit=True)
    assert texts(coordinator_user, "สบายใจ") == [FULL["goal"]]
    out = io.StringIO()
    call_command("send_aar_reminders", stdout=out)
    assert "anonymised" in out.getvalue()
    assert texts(coordinator_user, "สบายใจ") == []
    assert not SearchEntry.objects.filter(session=old).exists()


def test_the_admins_aar_delete_takes_its_words_out_of_search(client, writer, coordinator_user):
    aar = _written_with_everything(client, writer)
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:aar_aar_delete", args=[aar.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not AAR.objects.filter(pk=aar.pk).exists()
    for word in ERASED_WORDS:
        assert texts(coordinator_user, word) == []
        assert engine_holds(word) == 0


def test_deleting_a_session_takes_its_rows_out_of_search(facilitator, org, facilitator_user):
    session = AssistSessionFactory(organiser=org, facilitator=facilitator_user)
    recommendation_add(session=session, text="ทำบัญชีครัวเรือนร่วมกัน")
    post_form(
        facilitator,
        reverse("followup:method_review", args=[session.pk]),
        "worked",
        worked="วงเล็กได้ผลดีกว่าวงใหญ่",
    )
    assert SearchEntry.objects.filter(session=session).count() == 2
    url = reverse("sessions_app:session_delete", args=[session.pk])
    assert facilitator.get(url).status_code == 200  # the confirmation first
    assert facilitator.post(url).status_code == 302
    assert not SearchEntry.objects.exists()
    assert engine_holds("บัญชีครัวเรือน") == engine_holds("วงเล็ก") == 0


# --- Who may read, and how it is shown ----------------------------------------------------------


@pytest.fixture
def peer_reader(assist_session, django_user_model):
    """Staff of an organisation that takes part in the session (a participant's), who
    do not organise it: they read only what is shared with the participating
    organisations."""
    peer_org = OrganisationFactory()
    reader = UserFactory(username="peer_reader")
    MembershipFactory(user=reader, organisation=peer_org)
    reader.peer_org = peer_org
    return reader


def test_a_change_of_sharing_shows_the_aar_to_a_participating_organisations_staff(
    client, assist_session, peer_reader
):
    writer = ParticipantFactory(session=assist_session, organisation=peer_reader.peer_org)
    write(client, writer, "submit", **FULL, sharing=AAR.Sharing.PARTICIPANTS)
    assert texts(peer_reader, "สบายใจ") == []

    assert AAR.Sharing.ORGANISATIONS in offered(client, entry_url(writer), "sharing")
    write(client, writer, "submit", sharing=AAR.Sharing.ORGANISATIONS)
    assert texts(peer_reader, "สบายใจ") == [FULL["goal"]]

    write(client, writer, "submit", sharing=AAR.Sharing.ORGANISERS)
    assert texts(peer_reader, "สบายใจ") == []


def test_asking_to_be_shown_without_a_name_sets_the_flag_on_the_rows(
    client, writer, coordinator_user
):
    write(client, writer, "submit", **FULL, **{"commitments-0-text": "ตั้งกองทุนข้าวสาร"})
    assert not SearchEntry.objects.filter(anonymous=True).exists()

    write(client, writer, "submit", anonymous=["not_achieved", AAR.COMMITMENTS_KEY])
    expected = {
        (Kind.ANSWER, "goal"): False,
        (Kind.ANSWER, "achieved"): False,
        (Kind.ANSWER, "not_achieved"): True,
        (Kind.ANSWER, "next_steps"): False,
        (Kind.COMMITMENT, AAR.COMMITMENTS_KEY): True,
    }
    assert {(row.kind, row.part): row.anonymous for row in SearchEntry.objects.all()} == expected
    (row,) = rows_of(coordinator_user, "งบประมาณ")
    assert row.anonymous

    # A later save of the page as loaded keeps the choice, and its rows.
    write(client, writer, "submit", goal="อยากเรียนเรื่องธนาคารปู")
    assert {(row.kind, row.part): row.anonymous for row in SearchEntry.objects.all()} == expected

    write(client, writer, "submit", anonymous=[])  # every box unticked
    assert not SearchEntry.objects.filter(anonymous=True).exists()


# --- The full rebuild agrees with the incremental path -------------------------------------------


def test_rebuild_makes_exactly_the_rows_the_write_paths_made(
    client, facilitator, coordinator, assist_session, writer, host_person
):
    # Every kind of write, through the pages.
    _written_with_everything(client, writer)
    other = ParticipantFactory(session=assist_session)
    write(client, other, "draft", goal="ร่างที่ยังไม่ส่ง", achieved="  ")
    erased = ParticipantFactory(session=assist_session)
    _written_with_everything(client, erased)
    coordinator.post(reverse("followup:participant_erase", args=[assist_session.pk, erased.pk]))
    write(client, writer, "submit", anonymous=["goal"], sharing=AAR.Sharing.ORGANISATIONS)
    post_form(
        facilitator,
        recommendations_url(assist_session),
        "text",
        text="ชวนผู้ใหญ่บ้านเปิดวงเอง",
        giver=f"p:{writer.pk}",
    )
    facilitator.post(
        reverse("followup:recommendations_bulk", args=[assist_session.pk]),
        {
            **form_on(facilitator, recommendations_url(assist_session), "bulk-lines"),
            "bulk-lines": "ทำปฏิทินชุมชนร่วมกัน\nเชิญพระสงฆ์ร่วมวงเล่าเรื่อง",
        },
    )
    first, second, third = Recommendation.objects.order_by("position")
    facilitator.post(one_url("recommendation_remove", second))
    facilitator.post(one_url("recommendation_remove", third))
    facilitator.post(one_url("recommendation_restore", third))
    post_form(
        facilitator,
        one_url("recommendation_response", first),
        "reason",
        response=Recommendation.Response.ADOPT,
        reason="ผู้ใหญ่บ้านรับปากแล้ว",
        owner=str(host_person.pk),
        make_commitment="on",
    )
    post_form(
        facilitator,
        reverse("followup:method_review", args=[assist_session.pk]),
        "worked",
        worked="เปิดวงด้วยเรื่องเล่าของเจ้าภาพ",
        change_next="ขอเวลาครึ่งวัน",
    )
    assert MethodReview.objects.exists() and Recommendation.objects.current().count() == 2

    incremental = index_rows()
    assert len(incremental) >= 12
    index.rebuild()
    assert index_rows() == incremental


# --- Two paths found missing while writing these tests, now fixed ---------------------------------


def test_taking_a_giver_off_the_roster_keeps_their_recommendations_findable(
    facilitator, assist_session, coordinator_user
):
    giver = ParticipantFactory(session=assist_session, role=Participant.Role.PEER)
    post_form(
        facilitator,
        recommendations_url(assist_session),
        "text",
        text="ตั้งธนาคารเมล็ดพันธุ์",
        giver=f"p:{giver.pk}",
    )
    assert texts(coordinator_user, "เมล็ดพันธุ์") == ["ตั้งธนาคารเมล็ดพันธุ์"]
    url = reverse("sessions_app:participant_remove", args=[assist_session.pk, giver.pk])
    assert facilitator.post(url).status_code == 302
    assert not Participant.objects.filter(pk=giver.pk).exists()
    assert Recommendation.objects.current().get().given_by is None
    assert texts(coordinator_user, "เมล็ดพันธุ์") == ["ตั้งธนาคารเมล็ดพันธุ์"]


def test_moving_a_recommendation_keeps_the_index_as_a_rebuild_makes_it(facilitator, assist_session):
    for text in ("ข้อแรกของวง", "ข้อสองของวง"):
        recommendation_add(session=assist_session, text=text)
    second = Recommendation.objects.get(text="ข้อสองของวง")
    response = facilitator.post(one_url("recommendation_move", second), {"direction": "up"})
    assert response.status_code == 302
    positions = Counter(SearchEntry.objects.values_list("recommendation_id", "kind", "position"))
    index.rebuild()
    assert Counter(SearchEntry.objects.values_list("recommendation_id", "kind", "position")) == (
        positions
    )

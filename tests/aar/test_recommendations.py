"""Peers' recommendations: the page (read by the session's viewers, written by its
editors), quick entry, bulk paste, order, edit, removal with restore, and a query count
that stays flat as the list grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aar.models import RECOMMENDATION_MAX_LENGTH, Recommendation
from aar.recommendations import BULK_MAX_LINES, recommendation_move
from sessions_app.models import Participant
from tests.factories import AssistSessionFactory, OrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def rec(session, text="ลองให้ทีมเล่าเรื่องความสำเร็จก่อน", **kwargs):
    kwargs.setdefault("position", session.recommendations.count())
    return Recommendation.objects.create(session=session, text=text, **kwargs)


def page_url(session):
    return reverse("followup:recommendations", args=[session.pk])


def one_url(name, r):
    return reverse(f"followup:{name}", args=[r.session_id, r.pk])


def texts(session):
    return list(session.recommendations.current().values_list("text", flat=True))


# --- The persona matrix ----------------------------------------------------------------


def _assert_sign_in(response):
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_page_persona_matrix(client, outsider, member, facilitator, coordinator, assist_session):
    url = page_url(assist_session)
    _assert_sign_in(client.get(url))
    _assert_sign_in(client.post(url, {"text": "x"}))
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"text": "x"}).status_code == 404
    assert member.get(url).status_code == 200  # may read
    assert member.post(url, {"text": "x"}).status_code == 403  # may not write
    assert facilitator.get(url).status_code == 200
    assert coordinator.get(url).status_code == 200
    assert not assist_session.recommendations.exists()


def test_bulk_persona_matrix(client, outsider, member, facilitator, assist_session):
    url = reverse("followup:recommendations_bulk", args=[assist_session.pk])
    data = {"bulk-lines": "หนึ่ง\nสอง"}
    _assert_sign_in(client.post(url, data))
    assert outsider.post(url, data).status_code == 404
    assert member.post(url, data).status_code == 403
    assert facilitator.get(url).status_code == 405
    assert not assist_session.recommendations.exists()
    assert facilitator.post(url, data).status_code == 302
    assert texts(assist_session) == ["หนึ่ง", "สอง"]


@pytest.mark.parametrize(
    ("name", "get_allowed"),
    [
        ("recommendation_edit", True),
        ("recommendation_remove", True),
        ("recommendation_move", False),
        ("recommendation_restore", False),
        ("recommendation_response", True),
    ],
)
def test_one_recommendation_persona_matrix(
    client, outsider, member, facilitator, coordinator, assist_session, name, get_allowed
):
    r = rec(assist_session)
    if name == "recommendation_restore":
        r.removed_at = r.created_at
        r.save()
    url = one_url(name, r)
    _assert_sign_in(client.get(url) if get_allowed else client.post(url))
    assert outsider.get(url).status_code in (404, 405)
    assert outsider.post(url).status_code == 404
    assert member.post(url).status_code == 403
    if get_allowed:
        assert member.get(url).status_code == 403
        assert facilitator.get(url).status_code == 200
        assert coordinator.get(url).status_code == 200
    else:
        assert facilitator.get(url).status_code == 405
    r.refresh_from_db()
    assert r.text == "ลองให้ทีมเล่าเรื่องความสำเร็จก่อน"
    assert r.response == ""
    assert (r.removed_at is None) == (name != "recommendation_restore")


def test_a_recommendation_of_another_session_is_404(facilitator, assist_session):
    other = rec(AssistSessionFactory(organiser=assist_session.organiser))
    url = reverse("followup:recommendation_edit", args=[assist_session.pk, other.pk])
    assert facilitator.get(url).status_code == 404


def test_viewer_sees_the_list_but_no_forms(member, assist_session):
    rec(assist_session, "แบ่งทีมย่อยให้เล่าเรื่อง")
    page = member.get(page_url(assist_session)).content.decode()
    assert "แบ่งทีมย่อยให้เล่าเรื่อง" in page
    assert 'name="text"' not in page
    assert "recommendations/paste/" not in page


def test_empty_state(facilitator, assist_session):
    page = facilitator.get(page_url(assist_session)).content.decode()
    assert "ยังไม่มีข้อเสนอแนะ" in page or "No recommendations yet." in page


# --- Quick entry -------------------------------------------------------------------------


def test_quick_entry_saves_and_comes_back_focused_for_the_next(
    facilitator, facilitator_user, assist_session
):
    peer = ParticipantFactory(session=assist_session, role=Participant.Role.PEER)
    response = facilitator.post(
        page_url(assist_session),
        {"text": "  ให้คุณลิขิตจดทันที  ", "giver": f"p:{peer.pk}", "theme": "การจดบันทึก"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(page_url(assist_session) + "?")
    r = assist_session.recommendations.get()
    assert (r.text, r.given_by, r.given_by_organisation, r.theme, r.created_by) == (
        "ให้คุณลิขิตจดทันที",
        peer,
        None,
        "การจดบันทึก",
        facilitator_user,
    )
    page = facilitator.get(response["Location"])
    html = page.content.decode()
    # The message, and the text box empty and focused, the giver and theme kept.
    assert "ให้คุณลิขิตจดทันที" in html
    assert any("ให้คุณลิขิตจดทันที" in str(m) for m in page.context["messages"])
    form = page.context["form"]
    assert form["text"].value() in (None, "")
    assert "autofocus" in str(form["text"])
    assert form["giver"].value() == f"p:{peer.pk}"
    assert form["theme"].value() == "การจดบันทึก"


def test_quick_entry_with_a_peer_organisation(facilitator, assist_session):
    peer_org = OrganisationFactory()
    assist_session.peers.add(peer_org)
    facilitator.post(page_url(assist_session), {"text": "ก", "giver": f"o:{peer_org.pk}"})
    r = assist_session.recommendations.get()
    assert (r.given_by, r.given_by_organisation) == (None, peer_org)


def test_second_entry_goes_after_the_first(facilitator, assist_session):
    for text in ("หนึ่ง", "สอง", "สาม"):
        facilitator.post(page_url(assist_session), {"text": text})
    assert texts(assist_session) == ["หนึ่ง", "สอง", "สาม"]


def test_empty_text_is_refused_beside_the_field(facilitator, assist_session):
    response = facilitator.post(page_url(assist_session), {"text": "   ", "theme": "ธีม"})
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert 'value="ธีม"' in response.content.decode()
    assert not assist_session.recommendations.exists()


def test_a_person_of_another_session_is_refused(facilitator, assist_session):
    stranger = ParticipantFactory(session=AssistSessionFactory(organiser=assist_session.organiser))
    outsider_org = OrganisationFactory()
    for giver in (f"p:{stranger.pk}", f"o:{outsider_org.pk}", "p:abc", "x:1"):
        response = facilitator.post(
            page_url(assist_session), {"text": "ข้อความที่พิมพ์ไว้", "giver": giver}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["giver"], giver
        assert "ข้อความที่พิมพ์ไว้" in response.content.decode()
    assert not assist_session.recommendations.exists()


def test_too_long_text_is_refused_and_kept(facilitator, assist_session):
    text = "ก" * (RECOMMENDATION_MAX_LENGTH + 1)
    response = facilitator.post(page_url(assist_session), {"text": text})
    assert response.context["form"].errors["text"]
    assert text in response.content.decode()
    assert not assist_session.recommendations.exists()


# --- Bulk paste --------------------------------------------------------------------------


def bulk_url(session):
    return reverse("followup:recommendations_bulk", args=[session.pk])


def test_bulk_paste_one_a_line_blank_lines_ignored_same_giver_and_theme(
    facilitator, assist_session
):
    rec(assist_session, "มีอยู่แล้ว")
    host = assist_session.host
    response = facilitator.post(
        bulk_url(assist_session),
        {
            "bulk-lines": "หนึ่ง\r\n\r\n  สอง  \n   \nสาม\n",
            "bulk-giver": f"o:{host.pk}",
            "bulk-theme": "ทีม",
        },
    )
    assert response.status_code == 302
    assert texts(assist_session) == ["มีอยู่แล้ว", "หนึ่ง", "สอง", "สาม"]
    added = assist_session.recommendations.exclude(text="มีอยู่แล้ว")
    assert {(r.given_by_organisation_id, r.theme) for r in added} == {(host.pk, "ทีม")}


def test_bulk_paste_with_bad_lines_saves_nothing_and_names_the_lines(facilitator, assist_session):
    long = "ข" * (RECOMMENDATION_MAX_LENGTH + 1)
    pasted = f"ดีหนึ่ง\n{long}\nดีสอง\n\n{long}\n"
    response = facilitator.post(bulk_url(assist_session), {"bulk-lines": pasted})
    assert response.status_code == 200
    errors = response.context["bulk"].errors["lines"]
    # Line 5 counts the blank line: the numbers are those the person sees.
    assert "2, 5" in errors[0]
    html = response.content.decode()
    assert "ดีหนึ่ง" in html and long in html  # the paste comes back
    assert '<details id="paste" class="mt-3" open>' in html
    assert not assist_session.recommendations.exists()


def test_bulk_paste_of_nothing(facilitator, assist_session):
    response = facilitator.post(bulk_url(assist_session), {"bulk-lines": "\n   \n"})
    assert response.context["bulk"].errors["lines"]
    assert not assist_session.recommendations.exists()


def test_bulk_paste_of_ten_thousand_lines_gets_a_limit_message(facilitator, assist_session):
    response = facilitator.post(bulk_url(assist_session), {"bulk-lines": "ข้อเสนอ\n" * 10_000})
    assert response.status_code == 200
    error = response.context["bulk"].errors["lines"][0]
    assert "10000" in error.replace(",", "") and str(BULK_MAX_LINES) in error
    assert not assist_session.recommendations.exists()


def test_bulk_paste_of_a_megabyte_gets_a_limit_message(facilitator, assist_session):
    response = facilitator.post(bulk_url(assist_session), {"bulk-lines": "ก" * 400_000})
    assert response.status_code == 200
    assert "KB" in response.context["bulk"].errors["lines"][0]
    assert not assist_session.recommendations.exists()


def test_bulk_paste_of_five_megabytes_is_refused_before_the_view(facilitator, assist_session):
    response = facilitator.post(bulk_url(assist_session), {"bulk-lines": "x" * 5_000_000})
    assert response.status_code == 413
    assert not assist_session.recommendations.exists()


# --- Order, edit, removal ---------------------------------------------------------------


def test_move_up_and_down(facilitator, assist_session):
    a, b, c = (rec(assist_session, t) for t in ("ก", "ข", "ค"))
    response = facilitator.post(one_url("recommendation_move", c), {"direction": "up"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#rec-{c.pk}")
    assert texts(assist_session) == ["ก", "ค", "ข"]
    facilitator.post(one_url("recommendation_move", a), {"direction": "down"})
    assert texts(assist_session) == ["ค", "ก", "ข"]
    # Already first: nothing changes.
    facilitator.post(one_url("recommendation_move", c), {"direction": "up"})
    assert texts(assist_session) == ["ค", "ก", "ข"]
    # A bad direction changes nothing.
    facilitator.post(one_url("recommendation_move", b), {"direction": "sideways"})
    assert texts(assist_session) == ["ค", "ก", "ข"]


def test_move_works_past_ties_and_removed_ones(assist_session):
    a = rec(assist_session, "ก", position=0)
    gone = rec(assist_session, "ลบ", position=0, removed_at="2026-01-01T00:00Z")
    b = rec(assist_session, "ข", position=0)
    assert recommendation_move(recommendation=b, up=True)
    assert texts(assist_session) == ["ข", "ก"]
    assert not recommendation_move(recommendation=b, up=True)
    gone.refresh_from_db()
    assert gone.position == 0
    a.refresh_from_db()
    assert a.position == 1


def test_page_shows_move_buttons_but_not_beyond_the_ends(facilitator, assist_session):
    rec(assist_session, "ก")
    rec(assist_session, "ข")
    html = facilitator.get(page_url(assist_session)).content.decode()
    assert html.count('name="direction" value="up"') == 1
    assert html.count('name="direction" value="down"') == 1


def test_edit(facilitator, assist_session):
    r = rec(assist_session, "เดิม", theme="เก่า")
    url = one_url("recommendation_edit", r)
    form = facilitator.get(url).context["form"]
    assert form["text"].value() == "เดิม" and form["theme"].value() == "เก่า"
    response = facilitator.post(
        url, {"text": "ใหม่", "giver": f"o:{assist_session.host_id}", "theme": "ใหม่"}
    )
    assert response.status_code == 302
    r.refresh_from_db()
    assert (r.text, r.theme, r.given_by_organisation_id) == ("ใหม่", "ใหม่", assist_session.host_id)


def test_edit_with_bad_input_keeps_what_was_typed(facilitator, assist_session):
    r = rec(assist_session, "เดิม")
    response = facilitator.post(one_url("recommendation_edit", r), {"text": "", "theme": "ธ" * 101})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "text" in errors and "theme" in errors
    assert "ธ" * 101 in response.content.decode()
    r.refresh_from_db()
    assert r.text == "เดิม"


def test_remove_asks_first_then_keeps_it_under_removed_and_restore(
    facilitator, facilitator_user, assist_session
):
    r = rec(assist_session, "จะลบ")
    rec(assist_session, "อยู่ต่อ")
    url = one_url("recommendation_remove", r)
    confirm = facilitator.get(url)
    assert confirm.status_code == 200
    assert "จะลบ" in confirm.content.decode()
    r.refresh_from_db()
    assert r.removed_at is None  # a GET changes nothing

    response = facilitator.post(url)
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.removed_at is not None and r.removed_by == facilitator_user
    assert texts(assist_session) == ["อยู่ต่อ"]
    page = facilitator.get(page_url(assist_session))
    assert [x.pk for x in page.context["removed"]] == [r.pk]
    assert one_url("recommendation_restore", r) in page.content.decode()
    # Removed ones cannot be edited or removed again, only restored.
    assert facilitator.get(one_url("recommendation_edit", r)).status_code == 404
    assert facilitator.post(url).status_code == 404

    response = facilitator.post(one_url("recommendation_restore", r))
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.removed_at is None and r.removed_by is None
    assert texts(assist_session) == ["จะลบ", "อยู่ต่อ"]  # back at its place
    assert facilitator.post(one_url("recommendation_restore", r)).status_code == 404


# --- Query count -------------------------------------------------------------------------


def _fill(session, n):
    host = ParticipantFactory(session=session, role=Participant.Role.HOST)
    peer = ParticipantFactory(session=session, role=Participant.Role.PEER)
    for i in range(n):
        kwargs = [
            {"given_by": peer},
            {"given_by_organisation": session.host},
            {},
        ][i % 3]
        r = rec(session, f"ข้อเสนอ {i}", position=i, theme=f"ธีม {i % 4}", **kwargs)
        if i % 2:
            r.response = Recommendation.Response.ADOPT
            r.response_reason = "เหตุผล"
            r.response_owner = host
            r.response_due = session.date
            r.save()
    rec(session, "ที่ลบไป", removed_at="2026-01-01T00:00Z")


def _queries(client, session, n):
    Recommendation.objects.filter(session=session).delete()
    Participant.objects.filter(session=session).delete()
    _fill(session, n)
    url = page_url(session)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["rows"]) == n
    return len(captured)


@pytest.mark.parametrize(("few", "many"), [(5, 50), (2, 200)])
def test_page_query_count_does_not_grow(facilitator, member, assist_session, few, many):
    for client in (facilitator, member):
        small = _queries(client, assist_session, few)
        large = _queries(client, assist_session, many)
        assert small == large


def test_page_query_count_is_known(facilitator, assist_session, django_assert_num_queries):
    _fill(assist_session, 20)
    url = page_url(assist_session)
    # The sign-in's session, the user, the session (with the user's coordination), the
    # current recommendations (with giver, organisation, owner), the removed ones (with
    # who removed them), the people on the roster and the organisations for the select.
    with django_assert_num_queries(7):
        response = facilitator.get(url)
    assert len(response.context["rows"]) == 20


def test_editing_keeps_a_giver_taken_off_the_roster_since(facilitator, assist_session):
    peer = ParticipantFactory(session=assist_session, role=Participant.Role.PEER)
    r = rec(assist_session, "เดิม", given_by=peer)
    peer.removed_at = r.created_at
    peer.save()
    response = facilitator.post(
        one_url("recommendation_edit", r), {"text": "แก้แล้ว", "giver": f"p:{peer.pk}"}
    )
    assert response.status_code == 302
    r.refresh_from_db()
    assert (r.text, r.given_by) == ("แก้แล้ว", peer)
    # A new one cannot name them.
    response = facilitator.post(page_url(assist_session), {"text": "ใหม่", "giver": f"p:{peer.pk}"})
    assert response.context["form"].errors["giver"]

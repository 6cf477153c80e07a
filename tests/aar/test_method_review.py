"""The facilitation team's AAR of the method: one session's review
(/followup/sessions/<pk>/method-review/), the list across sessions
(/followup/method-reviews/) and the read-only partial for the synthesis page."""

import datetime

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from aar.method_review import method_review_of, method_review_parts, method_review_save
from aar.method_review_forms import METHOD_REVIEW_MAX_LENGTH
from aar.method_review_views import REVIEWS_PER_PAGE
from aar.models import MethodReview
from sessions_app.models import Membership
from tests.factories import AssistSessionFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

REVIEW = {
    "worked": "โจทย์ชัด ทีมเพื่อนเตรียมคำถามมา",
    "did_not_work": "เวลาถามตอบสั้นไป",
    "change_next": "ส่งเอกสารล่วงหน้าให้เร็วขึ้น",
}


def edit_url(session):
    return reverse("followup:method_review", args=[session.pk])


LIST_URL = reverse("followup:method_reviews")


# --- one session's review -------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, assist_session):
    for response in (client.get(edit_url(assist_session)), client.post(edit_url(assist_session))):
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.get(LIST_URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_outsider_gets_404(outsider, assist_session):
    assert outsider.get(edit_url(assist_session)).status_code == 404
    assert outsider.post(edit_url(assist_session), REVIEW).status_code == 404
    assert not MethodReview.objects.exists()


def test_read_only_member_gets_403_like_the_brief(member, assist_session):
    assert member.get(edit_url(assist_session)).status_code == 403
    assert member.post(edit_url(assist_session), REVIEW).status_code == 403
    assert not MethodReview.objects.exists()
    # The brief page answers the same.
    brief = reverse("sessions_app:session_brief", args=[assist_session.pk])
    assert member.get(brief).status_code == 403


@pytest.mark.parametrize("persona", ["facilitator", "coordinator"])
def test_editors_get_the_form(request, persona, assist_session):
    response = request.getfixturevalue(persona).get(edit_url(assist_session))
    assert response.status_code == 200
    html = response.content.decode()
    for name in MethodReview.FIELDS:
        assert f'name="{name}"' in html
    assert assist_session.title in html
    assert response.context["title"]


def test_other_methods_are_refused(facilitator, assist_session):
    assert facilitator.put(edit_url(assist_session)).status_code == 405
    assert facilitator.post(LIST_URL).status_code == 405


def test_the_review_is_saved_with_who_and_a_message(facilitator, facilitator_user, assist_session):
    response = facilitator.post(edit_url(assist_session), REVIEW, follow=True)
    assert response.redirect_chain[-1][0] == edit_url(assist_session)
    review = MethodReview.objects.get(session=assist_session)
    assert {name: getattr(review, name) for name in MethodReview.FIELDS} == REVIEW
    assert review.updated_by == facilitator_user
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["บันทึกการทบทวนวิธีการแล้ว"]
    html = response.content.decode()
    assert REVIEW["worked"] in html  # the form shows the saved text


def test_a_second_editor_changes_it_and_nothing_changed_is_said(
    facilitator, coordinator, coordinator_user, assist_session
):
    facilitator.post(edit_url(assist_session), REVIEW, follow=True)
    before = MethodReview.objects.get(session=assist_session).updated_at
    response = facilitator.post(edit_url(assist_session), REVIEW, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["ไม่มีอะไรเปลี่ยนไปจากที่บันทึกครั้งก่อน"]
    assert MethodReview.objects.get(session=assist_session).updated_at == before
    coordinator.post(edit_url(assist_session), {**REVIEW, "change_next": "เพิ่มเวลาเป็นสองชั่วโมง"})
    review = MethodReview.objects.get(session=assist_session)
    assert review.change_next == "เพิ่มเวลาเป็นสองชั่วโมง"
    assert review.updated_by == coordinator_user
    assert MethodReview.objects.count() == 1


def test_a_too_long_part_is_refused_beside_it_and_nothing_is_half_saved(
    facilitator, assist_session
):
    long_text = "ก" * (METHOD_REVIEW_MAX_LENGTH + 1)
    response = facilitator.post(edit_url(assist_session), {**REVIEW, "did_not_work": long_text})
    assert response.status_code == 200
    html = response.content.decode()
    form = response.context["form"]
    assert list(form.errors) == ["did_not_work"]
    assert 'id="id_did_not_work_error"' in html  # beside the field
    assert '<a class="alert-link" href="#id_did_not_work">' in html  # and in the summary
    assert long_text in html and REVIEW["worked"] in html  # what was typed is kept
    assert not MethodReview.objects.exists()


def test_exactly_the_limit_is_accepted(facilitator, assist_session):
    text = "ข" * METHOD_REVIEW_MAX_LENGTH
    assert facilitator.post(edit_url(assist_session), {"worked": text}).status_code == 302
    assert MethodReview.objects.get(session=assist_session).worked == text


def test_an_empty_review_creates_nothing(facilitator, assist_session):
    response = facilitator.post(edit_url(assist_session), {"worked": "  ", "change_next": ""})
    assert response.status_code == 302
    assert not MethodReview.objects.exists()


def test_a_review_can_be_emptied(facilitator, assist_session):
    facilitator.post(edit_url(assist_session), REVIEW)
    facilitator.post(edit_url(assist_session), dict.fromkeys(REVIEW, ""))
    assert MethodReview.objects.get(session=assist_session).is_empty


def test_a_get_changes_nothing(facilitator, assist_session):
    facilitator.get(edit_url(assist_session), REVIEW)
    assert not MethodReview.objects.exists()


def test_the_service_keeps_parts_left_out(facilitator_user, assist_session):
    method_review_save(session=assist_session, data=REVIEW, user=facilitator_user)
    review, changed = method_review_save(
        session=assist_session, data={"worked": "ใหม่"}, user=facilitator_user
    )
    assert changed and review.worked == "ใหม่" and review.change_next == REVIEW["change_next"]


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_page_is_in_english_too(facilitator, assist_session):
    html = english(facilitator).get(edit_url(assist_session)).content.decode()
    assert '<html lang="en">' in html and "What worked in how we ran it" in html


def test_the_parts_for_exports(facilitator_user, assist_session):
    assert method_review_of(assist_session) is None and method_review_parts(None) == []
    method_review_save(
        session=assist_session, data={**REVIEW, "did_not_work": " "}, user=facilitator_user
    )
    with translation.override("en"):
        parts = method_review_parts(method_review_of(assist_session))
    assert parts == [
        ("What worked in how we ran it", REVIEW["worked"]),
        ("What to change next time", REVIEW["change_next"]),
    ]


# --- the partial ----------------------------------------------------------------------


def test_the_partial_shows_the_review_read_only(assist_session, facilitator_user):
    review, _changed = method_review_save(
        session=assist_session, data={**REVIEW, "did_not_work": ""}, user=facilitator_user
    )
    with translation.override("en"):
        html = render_to_string(
            "aar/_method_review.html", {"method_review": review, "session": assist_session}
        )
    assert REVIEW["worked"] in html and REVIEW["change_next"] in html
    assert "What did not work" not in html  # an empty part is left out
    assert "<textarea" not in html and edit_url(assist_session) not in html
    with translation.override("en"):
        editable = render_to_string(
            "aar/_method_review.html",
            {"method_review": review, "session": assist_session, "can_edit": True},
        )
    assert edit_url(assist_session) in editable


def test_the_partial_has_an_empty_state(assist_session):
    with translation.override("en"):
        html = render_to_string(
            "aar/_method_review.html", {"method_review": None, "session": assist_session}
        )
    assert "has not yet reviewed" in html


# --- the list across sessions ---------------------------------------------------------


def _review(session, **fields):
    return MethodReview.objects.create(session=session, **{**REVIEW, **fields})


def test_the_list_shows_every_non_empty_review_newest_session_first(member, org):
    today = timezone.localdate()
    older = AssistSessionFactory(organiser=org, date=today - datetime.timedelta(days=30))
    newer = AssistSessionFactory(organiser=org, date=today - datetime.timedelta(days=2))
    empty = AssistSessionFactory(organiser=org)
    _review(older, worked="เก่ากว่า")
    _review(newer, worked="ใหม่กว่า")
    _review(empty, worked="", did_not_work="", change_next="")
    response = member.get(LIST_URL)  # a read-only member reads them all
    assert response.status_code == 200
    assert [r.session for r in response.context["page_obj"]] == [newer, older]
    html = response.content.decode()
    assert html.index("ใหม่กว่า") < html.index("เก่ากว่า")
    assert newer.get_absolute_url() in html and older.get_absolute_url() in html
    assert empty.title not in html
    # Read-only: no link to edit for someone who may not.
    assert edit_url(newer) not in html


def test_editors_get_a_link_to_edit(coordinator, assist_session):
    _review(assist_session)
    assert edit_url(assist_session) in coordinator.get(LIST_URL).content.decode()


def test_the_list_hides_other_organisations_reviews(outsider, member, assist_session):
    _review(assist_session, worked="ของเรา")
    assert "ของเรา" not in outsider.get(LIST_URL).content.decode()
    assert "ของเรา" in member.get(LIST_URL).content.decode()


def test_the_list_has_an_empty_state(member, assist_session):
    _review(assist_session, worked="", did_not_work="", change_next="")
    response = english(member).get(LIST_URL)
    assert response.status_code == 200 and response.context["title"]
    assert "No reviews of the method yet" in response.content.decode()


def test_filter_by_organisation(member, member_user, org):
    second = OrganisationFactory()
    MembershipFactory(user=member_user, organisation=second, role=Membership.Role.FACILITATOR)
    ours = AssistSessionFactory(organiser=org)
    theirs = AssistSessionFactory(organiser=second)
    _review(ours, worked="ของสคส")
    _review(theirs, worked="ขององค์กรที่สอง")
    html = member.get(LIST_URL).content.decode()
    assert "ของสคส" in html and "ขององค์กรที่สอง" in html
    html = member.get(LIST_URL, {"organisation": second.pk}).content.decode()
    assert "ขององค์กรที่สอง" in html and "ของสคส" not in html


def test_filter_by_year_in_the_pages_era(member, org):
    this_year = timezone.localdate().year
    last = AssistSessionFactory(organiser=org, date=datetime.date(this_year - 1, 6, 1))
    now = AssistSessionFactory(organiser=org, date=datetime.date(this_year, 1, 15))
    _review(last, worked="ปีที่แล้ว")
    _review(now, worked="ปีนี้")
    response = member.get(LIST_URL, {"year": this_year - 1})
    html = response.content.decode()
    assert "ปีที่แล้ว" in html and "ปีนี้" not in html
    # The years offered, in Buddhist years on a Thai page, newest first.
    choices = list(response.context["form"].fields["year"].choices)
    assert choices[1:] == [(this_year, str(this_year + 543)), (this_year - 1, str(this_year + 542))]


def test_a_bad_filter_is_said_beside_it_and_shows_everything(member, assist_session):
    _review(assist_session, worked="ยังเห็นอยู่")
    response = member.get(LIST_URL, {"year": "abc"})
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    html = response.content.decode()
    assert 'id="id_year_error"' in html and "ยังเห็นอยู่" in html


def test_no_match_has_its_own_empty_state(member, member_user, org):
    second = OrganisationFactory()
    MembershipFactory(user=member_user, organisation=second, role=Membership.Role.FACILITATOR)
    _review(AssistSessionFactory(organiser=org, date=datetime.date(2025, 3, 3)))
    _review(AssistSessionFactory(organiser=second, date=datetime.date(2024, 3, 3)))
    response = english(member).get(LIST_URL, {"organisation": org.pk, "year": 2024})
    assert response.context["form"].is_valid()
    assert not response.context["page_obj"].object_list
    assert "No reviews of the method match these filters." in response.content.decode()


def test_the_list_is_paginated(member, org):
    for _ in range(REVIEWS_PER_PAGE + 1):
        _review(AssistSessionFactory(organiser=org))
    first = member.get(LIST_URL)
    assert len(first.context["page_obj"].object_list) == REVIEWS_PER_PAGE
    second = member.get(LIST_URL, {"page": 2})
    assert len(second.context["page_obj"].object_list) == 1


def test_the_list_keeps_a_constant_query_count(
    coordinator, coordinator_user, org, django_assert_num_queries
):
    sessions = [AssistSessionFactory(organiser=org) for _ in range(30)]
    for session in sessions[:3]:
        _review(session, updated_by=coordinator_user)
    # Sign-in session, user; the organisations and years of the filters; the count and
    # the page of reviews with their sessions, organisations and writers; the user's
    # coordinator memberships (who may edit).
    with django_assert_num_queries(7):
        assert coordinator.get(LIST_URL).status_code == 200
    for session in sessions[3:]:
        _review(session, updated_by=coordinator_user)
    with django_assert_num_queries(7):
        response = coordinator.get(LIST_URL)
    assert len(response.context["page_obj"].object_list) == REVIEWS_PER_PAGE

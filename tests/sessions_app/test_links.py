"""Personal links: the list, one person's page, QR codes and new links."""

import pytest
from django.urls import reverse

from tests.factories import AARFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def _links(session):
    return reverse("sessions_app:participant_links", args=[session.pk])


def _link(p):
    return reverse("sessions_app:participant_link", args=[p.session_id, p.pk])


def _qr(p):
    return reverse("sessions_app:participant_qr", args=[p.session_id, p.pk])


def _regenerate(p):
    return reverse("sessions_app:participant_regenerate", args=[p.session_id, p.pk])


@pytest.fixture
def person(assist_session):
    return ParticipantFactory(session=assist_session, full_name="น้ำฝน ศรีสุข")


def _urls(person):
    return [_links(person.session), _link(person), _qr(person), _regenerate(person)]


def test_anonymous_is_sent_to_sign_in(client, person):
    for url in _urls(person):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login"))


def test_outsider_gets_404(outsider, person):
    for url in _urls(person):
        assert outsider.get(url).status_code == 404, url


def test_read_only_member_gets_403_links_are_credentials(member, person):
    for url in _urls(person):
        assert member.get(url).status_code == 403, url
    token = person.token
    assert member.post(_regenerate(person)).status_code == 403
    person.refresh_from_db()
    assert person.token == token


@pytest.mark.parametrize("persona", ["facilitator", "coordinator"])
def test_editors_see_the_links(request, persona, person):
    client = request.getfixturevalue(persona)
    for url in _urls(person):
        assert client.get(url).status_code == 200, url


def test_links_page_shows_absolute_link_copy_share_and_qr(facilitator, person, settings):
    settings.SITE_URL = "https://peerassist.example.org"
    html = facilitator.get(_links(person.session)).content.decode()
    link = f"https://peerassist.example.org/aar/{person.token}/"
    assert f'data-copy-text="{link}"' in html
    assert f'data-share-url="{link}"' in html
    assert f'value="{link}"' in html  # visible and selectable without JavaScript
    assert _qr(person) in html
    assert "js/copy.js" in html
    assert "<script>" not in html and "style=" not in html


def test_one_person_page_shows_a_large_qr(facilitator, person):
    html = facilitator.get(_link(person)).content.decode()
    assert "qr-large" in html
    assert person.token in html


def test_qr_is_an_svg_of_the_link(facilitator, person):
    response = facilitator.get(_qr(person))
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert body.lstrip().startswith("<svg")
    assert "style=" not in body


def test_removed_person_has_no_links(facilitator, person):
    AARFactory(participant=person)
    person.remove()
    response = facilitator.get(_link(person))
    assert response.status_code == 302
    html = facilitator.get(_links(person.session)).content.decode()
    assert person.token not in html


def test_empty_roster_empty_state(facilitator, assist_session):
    html = facilitator.get(_links(assist_session)).content.decode()
    assert "empty-state" in html


def test_regenerate_asks_first_then_the_old_link_stops_working(facilitator, person):
    old = person.token
    old_url = person.get_aar_url()
    assert facilitator.get(_regenerate(person)).status_code == 200
    person.refresh_from_db()
    assert person.token == old  # GET changes nothing
    response = facilitator.post(_regenerate(person))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.token != old
    assert facilitator.get(old_url).status_code == 404
    assert facilitator.get(person.get_aar_url()).status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_links_page_runs_the_same_number_of_queries(
    facilitator, assist_session, django_assert_num_queries, count
):
    for i, participant in enumerate(ParticipantFactory.create_batch(count, session=assist_session)):
        if i % 2:
            AARFactory(participant=participant)
    # 1 sign-in session, 2 user, 3 the session with organiser/host/facilitator (the
    # facilitator may edit without a membership query), 4 paginator count, 5 the page of
    # participants with organisation and AAR, 6 the not-invited counts for "invite all"
    # (to email, without email, already written: one aggregate).
    with django_assert_num_queries(6):
        response = facilitator.get(_links(assist_session))
    assert response.status_code == 200
    assert len(response.context["participants"]) == min(count, 25)


def test_links_are_paginated(facilitator, assist_session):
    ParticipantFactory.create_batch(30, session=assist_session)
    first = facilitator.get(_links(assist_session))
    second = facilitator.get(_links(assist_session) + "?page=2")
    assert len(first.context["participants"]) == 25
    assert len(second.context["participants"]) == 5

"""Walk-in: the room's screen, switching it off and on, and joining by /join/<code>/."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from sessions_app.models import Participant
from tests.factories import AARFactory, OrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _screen(session):
    return reverse("sessions_app:walkin_screen", args=[session.pk])


def _qr(session):
    return reverse("sessions_app:walkin_qr", args=[session.pk])


def _toggle(session):
    return reverse("sessions_app:walkin_toggle", args=[session.pk])


def _join(session):
    return reverse("sessions_app:walkin_join", args=[session.walkin_code])


def _data(session, **overrides):
    return {
        "full_name": "ผู้ใหญ่ลี่ บุญมา",
        "email": "Lee@Example.org",
        "organisation": session.host_id,
        "role": "host",
        "language": "th",
        **overrides,
    }


# The screen and the toggle -----------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, assist_session):
    for url in (_screen(assist_session), _qr(assist_session)):
        assert client.get(url).url.startswith(reverse("login"))
    assert client.post(_toggle(assist_session)).url.startswith(reverse("login"))
    assist_session.refresh_from_db()
    assert assist_session.walkin_open is True


def test_outsider_gets_404(outsider, assist_session):
    for url in (_screen(assist_session), _qr(assist_session)):
        assert outsider.get(url).status_code == 404
    assert outsider.post(_toggle(assist_session)).status_code == 404


def test_member_may_show_the_screen_but_not_switch_it(member, assist_session):
    response = member.get(_screen(assist_session))
    assert response.status_code == 200
    assert _toggle(assist_session) not in response.content.decode()
    assert member.get(_qr(assist_session)).status_code == 200
    assert member.post(_toggle(assist_session)).status_code == 403
    assist_session.refresh_from_db()
    assert assist_session.walkin_open is True


def test_toggle_get_is_405(facilitator, assist_session):
    assert facilitator.get(_toggle(assist_session)).status_code == 405


@pytest.mark.parametrize("persona", ["facilitator", "coordinator"])
def test_editor_sees_the_screen_with_big_qr_and_short_url(
    request, persona, assist_session, settings
):
    settings.SITE_URL = "https://peerassist.example.org"
    response = request.getfixturevalue(persona).get(_screen(assist_session))
    html = response.content.decode()
    assert f"https://peerassist.example.org/join/{assist_session.walkin_code}/" in html
    assert _qr(assist_session) in html
    assert _toggle(assist_session) in html


def test_walkin_qr_is_svg(facilitator, assist_session):
    response = facilitator.get(_qr(assist_session))
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response.content.decode().lstrip().startswith("<svg")


def test_toggle_switches_off_and_on(facilitator, assist_session):
    facilitator.post(_toggle(assist_session))
    assist_session.refresh_from_db()
    assert assist_session.walkin_open is False
    html = facilitator.get(_screen(assist_session)).content.decode()
    assert _qr(assist_session) not in html
    facilitator.post(_toggle(assist_session))
    assist_session.refresh_from_db()
    assert assist_session.walkin_open is True


# Joining ------------------------------------------------------------------------------


def test_join_page_is_public_and_offers_host_and_peers(client, assist_session, org):
    stranger = OrganisationFactory(name="ไม่เกี่ยว")
    response = client.get(_join(assist_session))
    assert response.status_code == 200
    choices = list(response.context["form"].fields["organisation"].queryset)
    assert set(choices) == {assist_session.host, org}
    assert stranger not in choices


def test_join_puts_the_person_on_the_roster_and_opens_their_aar(client, assist_session):
    response = client.post(_join(assist_session), _data(assist_session))
    participant = assist_session.participants.get()
    assert response.status_code == 302
    assert response.url == reverse("aar:entry", args=[participant.token])
    assert participant.joined_by_walkin is True
    assert participant.full_name == "ผู้ใหญ่ลี่ บุญมา"
    assert participant.email == "lee@example.org"
    assert participant.organisation == assist_session.host
    assert participant.role == "host"


def test_second_join_with_the_same_email_is_the_same_person(client, assist_session):
    first = client.post(_join(assist_session), _data(assist_session))
    second = client.post(_join(assist_session), _data(assist_session, email=" LEE@example.org "))
    assert assist_session.participants.count() == 1
    assert first.url == second.url


def test_join_with_the_email_of_someone_on_the_roster_finds_them(client, assist_session):
    listed = ParticipantFactory(session=assist_session, email="lee@example.org")
    response = client.post(_join(assist_session), _data(assist_session))
    assert response.url == reverse("aar:entry", args=[listed.token])
    assert assist_session.participants.count() == 1


def test_removed_person_who_joins_again_is_back_on_the_roster(client, assist_session):
    listed = ParticipantFactory(session=assist_session, email="lee@example.org")
    AARFactory(participant=listed, draft=True)
    listed.remove()
    client.post(_join(assist_session), _data(assist_session))
    listed.refresh_from_db()
    assert listed.removed_at is None


def test_bad_input_is_shown_beside_the_field_and_kept(client, assist_session):
    response = client.post(
        _join(assist_session), _data(assist_session, email="nope", full_name="น้ำฝน")
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert "น้ำฝน" in response.content.decode()
    assert not Participant.objects.exists()


def test_email_is_required(client, assist_session):
    response = client.post(_join(assist_session), _data(assist_session, email=""))
    assert "email" in response.context["form"].errors
    assert not Participant.objects.exists()


def test_unknown_code_is_404(client, db):
    assert client.get(reverse("sessions_app:walkin_join", args=["nope-nope"])).status_code == 404


def test_closed_walkin_says_so_and_saves_nothing(client, assist_session):
    assist_session.walkin_open = False
    assist_session.save()
    page = client.get(_join(assist_session))
    assert page.status_code == 200
    assert "walkin_closed.html" in [t.name.split("/")[-1] for t in page.templates]
    response = client.post(_join(assist_session), _data(assist_session))
    assert response.status_code == 200
    assert not Participant.objects.exists()


def test_cap_on_walkins_is_a_clear_message(client, assist_session, settings):
    settings.WALKIN_MAX_PARTICIPANTS = 2
    ParticipantFactory.create_batch(2, session=assist_session, joined_by_walkin=True)
    ParticipantFactory(session=assist_session)  # on the roster, not a walk-in: not counted
    response = client.post(_join(assist_session), _data(assist_session))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert assist_session.participants.count() == 3
    # Someone already there may still come back.
    existing = assist_session.participants.filter(joined_by_walkin=True).first()
    again = client.post(_join(assist_session), _data(assist_session, email=existing.email))
    assert again.url == reverse("aar:entry", args=[existing.token])


def test_joins_are_rate_limited(client, assist_session, settings):
    settings.RATELIMIT_WALKIN_PER_MINUTE = 2
    for i in range(2):
        client.post(_join(assist_session), _data(assist_session, email=f"p{i}@example.org"))
    response = client.post(_join(assist_session), _data(assist_session, email="p9@example.org"))
    assert response.status_code == 429
    assert assist_session.participants.count() == 2

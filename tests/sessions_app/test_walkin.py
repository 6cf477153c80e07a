"""Walk-in: the room's screen, switching it off and on, and joining by /join/<code>/."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from sessions_app import roster_services
from sessions_app.models import AssistSession, Participant
from tests.factories import (
    AARFactory,
    AssistSessionFactory,
    OrganisationFactory,
    ParticipantFactory,
)

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


def test_member_may_neither_show_the_screen_nor_switch_it(member, assist_session):
    # The screen and its QR code carry the code that lets anyone join: editors only.
    assert member.get(_screen(assist_session)).status_code == 403
    assert member.get(_qr(assist_session)).status_code == 403
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


@pytest.mark.parametrize("persona", ["facilitator", "coordinator"])
def test_editor_gets_the_qr_code(request, persona, assist_session):
    assert request.getfixturevalue(persona).get(_qr(assist_session)).status_code == 200


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


def test_screen_of_a_closed_session_offers_no_qr_code(facilitator, assist_session):
    assist_session.close()
    response = facilitator.get(_screen(assist_session))
    assert response.status_code == 200
    assert _qr(assist_session) not in response.content.decode()


# Joining ------------------------------------------------------------------------------


def _template_names(response) -> list[str]:
    return [t.name for t in response.templates if t.name]


def _checks_email(response) -> bool:
    """The neutral page for an address that is not new: no link, no redirect."""
    return response.status_code == 200 and (
        "sessions_app/walkin_check_email.html" in _template_names(response)
    )


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
    assert mail.outbox == []


def test_known_email_gets_their_link_by_email_never_on_the_page(client, assist_session):
    listed = ParticipantFactory(session=assist_session, email="lee@example.org")
    AARFactory(participant=listed, draft=True)
    response = client.post(_join(assist_session), _data(assist_session))
    assert _checks_email(response)
    assert not response.has_header("Location")
    html = response.content.decode()
    assert listed.token not in html
    assert listed.full_name not in html  # nor whose address it is
    assert assist_session.participants.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lee@example.org"]
    assert listed.get_absolute_aar_url() in mail.outbox[0].body
    assert listed.get_absolute_aar_url() in mail.outbox[0].alternatives[0][0]


def test_link_email_is_in_the_participants_language(client, assist_session):
    ParticipantFactory(session=assist_session, email="lee@example.org", language="en")
    client.post(_join(assist_session), _data(assist_session, language="th"))
    assert mail.outbox[0].subject.startswith("Your personal AAR link for")
    assert "You are already on the roster" in mail.outbox[0].body


def test_second_join_with_the_same_email_does_not_open_the_first_aar(client, assist_session):
    first = client.post(_join(assist_session), _data(assist_session))
    participant = assist_session.participants.get()
    assert first.url == reverse("aar:entry", args=[participant.token])
    second = client.post(_join(assist_session), _data(assist_session, email=" LEE@example.org "))
    assert _checks_email(second)
    assert participant.token not in second.content.decode()
    assert assist_session.participants.count() == 1
    assert [m.to for m in mail.outbox] == [["lee@example.org"]]


def test_link_email_is_sent_at_most_once_in_a_while(client, assist_session):
    ParticipantFactory(session=assist_session, email="lee@example.org")
    for _ in range(3):
        assert _checks_email(client.post(_join(assist_session), _data(assist_session)))
    assert len(mail.outbox) == 1


def test_a_failed_link_email_is_kept_with_its_reason_not_a_500(client, assist_session, monkeypatch):
    ParticipantFactory(session=assist_session, email="lee@example.org")

    def fail(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", fail)
    assert _checks_email(client.post(_join(assist_session), _data(assist_session)))
    # The worker met the failure, not the request: the queued email keeps the reason
    # (the worker retries it later; the tests' immediate backend cannot wait).
    from peerassist.models import OutgoingEmail

    email = OutgoingEmail.objects.get(kind="walkin_link")
    assert email.status == "failed" and "connection refused" in email.last_error
    assert mail.outbox == []


def test_removed_person_stays_removed_and_is_sent_nothing(client, assist_session):
    listed = ParticipantFactory(session=assist_session, email="lee@example.org")
    AARFactory(participant=listed, draft=True)
    listed.remove()
    removed_at = listed.removed_at
    response = client.post(_join(assist_session), _data(assist_session, email=" Lee@EXAMPLE.org"))
    # The same neutral page as for someone on the roster: a stranger learns nothing more.
    assert _checks_email(response)
    assert listed.token not in response.content.decode()
    listed.refresh_from_db()
    assert listed.removed_at == removed_at
    assert assist_session.participants.count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize("typed", ["LEE@EXAMPLE.ORG", "  lee@example.org  ", "Lee@Example.Org\t"])
def test_mixed_case_and_spaces_find_the_same_person(client, assist_session, typed):
    ParticipantFactory(session=assist_session, email="lee@example.org")
    response = client.post(_join(assist_session), _data(assist_session, email=typed))
    assert _checks_email(response)
    assert assist_session.participants.count() == 1
    assert mail.outbox[0].to == ["lee@example.org"]


def test_email_on_another_sessions_roster_joins_this_session_as_someone_new(client, assist_session):
    elsewhere = ParticipantFactory(session=AssistSessionFactory(), email="lee@example.org")
    AARFactory(participant=elsewhere)
    response = client.post(_join(assist_session), _data(assist_session))
    joined = assist_session.participants.get()
    assert joined.pk != elsewhere.pk
    assert response.url == reverse("aar:entry", args=[joined.token])
    assert joined.token != elsewhere.token
    elsewhere.refresh_from_db()
    assert elsewhere.session_id != assist_session.pk
    assert elsewhere.removed_at is None
    assert mail.outbox == []


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
    assert "sessions_app/walkin_closed.html" in _template_names(page)
    response = client.post(_join(assist_session), _data(assist_session))
    assert response.status_code == 200
    assert not Participant.objects.exists()


def test_closed_session_refuses_walkins(client, assist_session):
    listed = ParticipantFactory(session=assist_session, email="known@example.org")
    assist_session.close()
    assert assist_session.walkin_open is True  # closing the session is enough
    page = client.get(_join(assist_session))
    assert page.status_code == 200
    assert "sessions_app/walkin_closed.html" in _template_names(page)
    for email in ("lee@example.org", listed.email):
        response = client.post(_join(assist_session), _data(assist_session, email=email))
        assert response.status_code == 200
        assert "sessions_app/walkin_closed.html" in _template_names(response)
    assert list(assist_session.participants.all()) == [listed]
    assert mail.outbox == []


def test_cap_on_walkins_is_a_clear_message(client, assist_session, settings):
    settings.WALKIN_MAX_PARTICIPANTS = 2
    ParticipantFactory.create_batch(2, session=assist_session, joined_by_walkin=True)
    ParticipantFactory(session=assist_session)  # on the roster, not a walk-in: not counted
    response = client.post(_join(assist_session), _data(assist_session))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert assist_session.participants.count() == 3
    # Someone already there still gets their link, by email.
    existing = assist_session.participants.filter(joined_by_walkin=True).first()
    again = client.post(_join(assist_session), _data(assist_session, email=existing.email))
    assert _checks_email(again)
    assert mail.outbox[0].to == [existing.email]


def test_other_methods_are_405(client, assist_session):
    assert client.put(_join(assist_session)).status_code == 405


# Rate limit ---------------------------------------------------------------------------


def test_joins_are_rate_limited(client, assist_session, settings):
    settings.RATELIMIT_WALKIN_PER_MINUTE = 2
    for i in range(2):
        client.post(_join(assist_session), _data(assist_session, email=f"p{i}@example.org"))
    response = client.post(_join(assist_session), _data(assist_session, email="p9@example.org"))
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert assist_session.participants.count() == 2


def test_opening_the_page_counts_too(client, assist_session, settings):
    settings.RATELIMIT_WALKIN_PER_MINUTE = 2
    for _ in range(2):
        assert client.get(_join(assist_session)).status_code == 200
    assert client.get(_join(assist_session)).status_code == 429
    assert client.post(_join(assist_session), _data(assist_session)).status_code == 429
    assert not Participant.objects.exists()


def test_guessing_codes_counts_against_the_limit(client, assist_session, settings):
    settings.RATELIMIT_WALKIN_PER_MINUTE = 3
    for i in range(3):
        guess = reverse("sessions_app:walkin_join", args=[f"guess-{i}"])
        assert client.get(guess).status_code == 404
    # Over the limit, a guess is refused before it is looked up: a right one too.
    assert client.post(reverse("sessions_app:walkin_join", args=["guess-9"])).status_code == 429
    assert client.get(_join(assist_session)).status_code == 429
    assert client.post(_join(assist_session), _data(assist_session)).status_code == 429
    assert not Participant.objects.exists()


# The service, whoever calls it ---------------------------------------------------------


def _service_data(session, **overrides):
    return {
        "full_name": "ผู้ใหญ่ลี่ บุญมา",
        "email": "lee@example.org",
        "organisation": session.host,
        "role": Participant.Role.PEER,
        "language": Participant.Language.THAI,
        **overrides,
    }


def test_service_creates_a_new_walkin(assist_session):
    participant, outcome = roster_services.walkin_join(
        session=assist_session, data=_service_data(assist_session)
    )
    assert outcome == roster_services.WalkinOutcome.CREATED
    assert participant.joined_by_walkin is True
    assert participant.session_id == assist_session.pk


def test_service_refuses_when_walkin_is_switched_off(assist_session):
    assist_session.walkin_open = False
    assist_session.save()
    with pytest.raises(roster_services.WalkinClosed):
        roster_services.walkin_join(session=assist_session, data=_service_data(assist_session))
    assert not Participant.objects.exists()


def test_service_refuses_a_closed_session(assist_session):
    assist_session.close()
    with pytest.raises(roster_services.WalkinClosed):
        roster_services.walkin_join(session=assist_session, data=_service_data(assist_session))
    assert not Participant.objects.exists()


def test_service_reads_the_session_as_it_is_now_not_as_passed(assist_session):
    stale = AssistSession.objects.get(pk=assist_session.pk)
    assist_session.close()  # elsewhere, after the caller loaded it
    assert stale.is_closed is False
    with pytest.raises(roster_services.WalkinClosed):
        roster_services.walkin_join(session=stale, data=_service_data(assist_session))


def test_service_never_restores_a_removed_person(assist_session):
    listed = ParticipantFactory(session=assist_session, email="lee@example.org")
    AARFactory(participant=listed, draft=True)
    listed.remove()
    participant, outcome = roster_services.walkin_join(
        session=assist_session, data=_service_data(assist_session, email="LEE@example.org ")
    )
    assert outcome == roster_services.WalkinOutcome.REMOVED
    assert participant.pk == listed.pk
    listed.refresh_from_db()
    assert listed.removed_at is not None
    assert assist_session.participants.count() == 1


def test_service_normalises_the_email_before_looking_it_up(assist_session):
    listed = ParticipantFactory(session=assist_session, email="lee@example.org")
    participant, outcome = roster_services.walkin_join(
        session=assist_session, data=_service_data(assist_session, email="  Lee@Example.ORG ")
    )
    assert outcome == roster_services.WalkinOutcome.EXISTING
    assert participant.pk == listed.pk
    assert assist_session.participants.count() == 1


def test_service_keeps_the_cap(assist_session, settings):
    settings.WALKIN_MAX_PARTICIPANTS = 1
    ParticipantFactory(session=assist_session, joined_by_walkin=True)
    with pytest.raises(roster_services.WalkinFull):
        roster_services.walkin_join(session=assist_session, data=_service_data(assist_session))


def test_link_email_goes_only_to_someone_on_the_roster(assist_session):
    listed = ParticipantFactory(session=assist_session, email="lee@example.org")
    AARFactory(participant=listed, draft=True)
    listed.remove()
    assert roster_services.walkin_link_send(participant=listed) is False
    assert roster_services.walkin_link_send(participant=ParticipantFactory(email="")) is False
    assert mail.outbox == []


# The projector view (issue 15) ---------------------------------------------------------


def _projector(session):
    return reverse("sessions_app:walkin_projector", args=[session.pk])


def test_projector_view_keeps_the_screens_access_rules(client, outsider, member, assist_session):
    assert client.get(_projector(assist_session)).url.startswith(reverse("login"))
    assert outsider.get(_projector(assist_session)).status_code == 404
    assert member.get(_projector(assist_session)).status_code == 403


def test_projector_view_is_the_code_alone_without_navigation_or_script(
    facilitator, assist_session, settings
):
    settings.SITE_URL = "https://peerassist.example.org"
    response = facilitator.get(_projector(assist_session))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"peerassist.example.org/join/{assist_session.walkin_code}/" in html
    assert _qr(assist_session) in html
    # No site header, menu, language switcher or script: nothing but the code to read.
    assert "site-header" not in html and "<nav" not in html
    assert reverse("logout") not in html and reverse("set_language") not in html
    assert "<script" not in html
    # A way back to the ordinary screen, where the switch is.
    assert _screen(assist_session) in html
    assert _toggle(assist_session) not in html


def test_walkin_screen_links_to_the_projector_view(facilitator, assist_session):
    html = facilitator.get(_screen(assist_session)).content.decode()
    assert _projector(assist_session) in html
    # The ordinary screen keeps its navigation.
    assert "site-header" in html


def test_projector_view_of_closed_walkin_or_session_shows_no_code(facilitator, assist_session):
    assist_session.walkin_open = False
    assist_session.save(update_fields=["walkin_open"])
    html = facilitator.get(_projector(assist_session)).content.decode()
    assert _qr(assist_session) not in html and assist_session.walkin_code not in html
    assert "ปิดรับ" in html
    assist_session.walkin_open = True
    assist_session.save(update_fields=["walkin_open"])
    assist_session.close()
    html = facilitator.get(_projector(assist_session)).content.decode()
    assert _qr(assist_session) not in html and assist_session.walkin_code not in html

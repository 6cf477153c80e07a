import datetime

import pytest
from django.db import IntegrityError, transaction

from sessions_app.models import AssistSession, Participant
from tests.factories import AssistSessionFactory, MembershipFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_token_is_long_random_and_unique():
    tokens = {ParticipantFactory().token for _ in range(20)}
    assert len(tokens) == 20
    # 24 random bytes, base64url: 32 characters, 192 bits (the brief asks at least 128).
    assert all(len(token) == 32 for token in tokens)


def test_token_field_is_unique_and_indexed():
    field = Participant._meta.get_field("token")
    assert field.unique  # unique implies an index in every backend


def test_duplicate_token_is_refused():
    first = ParticipantFactory()
    second = ParticipantFactory()
    second.token = first.token
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_regenerate_token_replaces_the_old_one():
    participant = ParticipantFactory()
    old = participant.token
    participant.regenerate_token()
    participant.refresh_from_db()
    assert participant.token != old
    assert not Participant.objects.filter(token=old).exists()


def test_deadline_defaults_to_seven_days_after_the_session():
    session = AssistSessionFactory(date=datetime.date(2026, 11, 24))
    session.refresh_from_db()
    assert session.aar_deadline == datetime.date(2026, 12, 1)


def test_explicit_deadline_is_kept():
    session = AssistSessionFactory(
        date=datetime.date(2026, 11, 24), aar_deadline=datetime.date(2026, 11, 30)
    )
    session.refresh_from_db()
    assert session.aar_deadline == datetime.date(2026, 11, 30)


def test_email_is_unique_within_a_session_when_given():
    session = AssistSessionFactory()
    ParticipantFactory(session=session, email="a@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(session=session, email="A@example.org")


def test_blank_emails_may_repeat_and_other_sessions_may_share_an_email():
    session = AssistSessionFactory()
    ParticipantFactory(session=session, email="")
    ParticipantFactory(session=session, email="")
    ParticipantFactory(email="a@example.org")
    ParticipantFactory(email="a@example.org")
    assert Participant.objects.count() == 4


def test_for_user_limits_sessions_to_member_organisations():
    mine = AssistSessionFactory()
    AssistSessionFactory()
    user = UserFactory()
    MembershipFactory(user=user, organisation=mine.organiser)
    assert list(AssistSession.objects.for_user(user)) == [mine]


def test_editable_by_coordinator_all_facilitator_own():
    session = AssistSessionFactory()
    other = AssistSessionFactory(organiser=session.organiser)
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, organisation=session.organiser, role="coordinator")
    facilitator = UserFactory()
    MembershipFactory(user=facilitator, organisation=session.organiser, role="facilitator")
    session.facilitator = facilitator
    session.save()
    assert set(AssistSession.objects.editable_by(coordinator)) == {session, other}
    assert list(AssistSession.objects.editable_by(facilitator)) == [session]
    assert session.can_be_edited_by(facilitator)
    assert not other.can_be_edited_by(facilitator)
    assert other.can_be_edited_by(coordinator)


def test_walkin_codes_differ():
    assert AssistSessionFactory().walkin_code != AssistSessionFactory().walkin_code


@pytest.mark.parametrize("language", ["th", "en"])
def test_choice_labels_are_django_s_in_the_active_language(language):
    from django.utils import translation

    for role in Participant.Role.values:
        for lang in Participant.Language.values:
            person = Participant(role=role, language=lang)
            with translation.override(language):
                assert person.get_role_display() == Participant.Role(role).label
                assert type(person.get_role_display()) is str
                assert person.get_language_display() == str(Participant.Language(lang).label)
    assert Participant(role="retired").get_role_display() == "retired"

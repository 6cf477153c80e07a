"""A factory for every model.

Sessions, people and AARs are saved directly, as a bulk load would, and then counted
through ``sessions_app.tally`` like every writer does, so the follow-up counts stay true.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from aar.commitments import recount_commitments
from aar.models import AAR, AARVersion, Commitment, ReminderLog
from lessons.index import reindex_aar
from sessions_app import tally
from sessions_app.models import AssistSession, Membership, Organisation, Participant

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"องค์กรทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test Organisation {n}")
    short_name = factory.Sequence(lambda n: f"อท{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.FACILITATOR


class AssistSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssistSession
        skip_postgeneration_save = True

    organiser = factory.SubFactory(OrganisationFactory)
    host = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Peer Assist ครั้งที่ {n}")
    purpose = "สร้างวัฒนธรรมการแลกเปลี่ยนเรียนรู้ภายในองค์กร"
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    start_time = datetime.time(9, 0)
    duration_minutes = 60
    place = "ห้องประชุม 1"
    status = AssistSession.Status.HELD

    @factory.post_generation
    def peers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.peers.set(extracted)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        session = super()._create(model_class, *args, **kwargs)
        tally.session_added(session)
        return session


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    session = factory.SubFactory(AssistSessionFactory)
    full_name = factory.Sequence(lambda n: f"ผู้เข้าร่วม {n}")
    email = factory.Sequence(lambda n: f"participant{n}@example.org")
    organisation = factory.SelfAttribute("session.host")
    role = Participant.Role.HOST
    language = Participant.Language.THAI

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        participant = super()._create(model_class, *args, **kwargs)
        tally.recount_session(participant.session_id)
        return participant


class AARFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AAR

    participant = factory.SubFactory(ParticipantFactory)
    goal = "มาฟังวัฒนธรรมแลกเปลี่ยนเรียนรู้"
    achieved = "ได้เล่าให้เห็นความแตกต่างค่อนข้างชัดเจน"
    not_achieved = "ยังไม่เห็นสัญญาณการตอบรับ เพราะเวลาน้อย"
    next_steps = "ติดตามผลหลังกิจกรรม"
    status = AAR.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    # Shared with the session's participants, as most test data wants; a new AAR on the
    # form starts private (the model's default), which tests/aar/test_entry_v15.py covers.
    sharing = AAR.Sharing.PARTICIPANTS

    class Params:
        draft = factory.Trait(status=AAR.Status.DRAFT, submitted_at=None, next_steps="")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        aar = super()._create(model_class, *args, **kwargs)
        person = Participant.objects.get(pk=aar.participant_id)
        tally.aar_changed(person, before=None, after=aar.status, submitted_at=aar.submitted_at)
        reindex_aar(aar.pk)  # as aar_save does: search finds it
        return aar


class AARVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AARVersion

    aar = factory.SubFactory(AARFactory)
    goal = factory.SelfAttribute("aar.goal")
    achieved = factory.SelfAttribute("aar.achieved")
    not_achieved = factory.SelfAttribute("aar.not_achieved")
    next_steps = factory.SelfAttribute("aar.next_steps")
    status = factory.SelfAttribute("aar.status")
    saved_by = factory.SelfAttribute("aar.participant.full_name")


class CommitmentFactory(factory.django.DjangoModelFactory):
    """A commitment, counted through ``aar.commitments`` like every writer does."""

    class Meta:
        model = Commitment

    aar = factory.SubFactory(AARFactory)
    text = factory.Sequence(lambda n: f"ทดลองใช้แบบฟอร์มใหม่กับทีม {n}")
    position = factory.Sequence(lambda n: n)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        commitment = super()._create(model_class, *args, **kwargs)
        recount_commitments(commitment.aar.participant.session_id)
        reindex_aar(commitment.aar_id)
        return commitment


class ReminderLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderLog

    participant = factory.SubFactory(ParticipantFactory)
    channel = ReminderLog.Channel.EMAIL
    sent_by = None


# A complete four-part AAR as the participant's form posts it (add "action").
AAR_FORM = {
    "goal": "ก",
    "achieved": "ข",
    "not_achieved": "ค",
    "next_steps": "ง",
    "sharing": "participants",
}


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "lessons.Lesson"

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"บทเรียนที่ {n}")
    statement = "เริ่มจากกลุ่มเล็กที่พร้อมก่อน แล้วค่อยขยาย"

"""The session page lists the host team's commitments under each name, except those
their writer asked to show without a name: those are listed apart, by text."""

import pytest
from django.urls import reverse

from sessions_app.models import Participant
from tests.factories import AARFactory, CommitmentFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def test_anonymous_host_commitments_are_listed_apart_from_the_names(coordinator, assist_session):
    named = ParticipantFactory(
        session=assist_session, role=Participant.Role.HOST, full_name="เจ้าภาพมีชื่อ"
    )
    hidden = ParticipantFactory(
        session=assist_session, role=Participant.Role.HOST, full_name="เจ้าภาพไม่ออกชื่อ"
    )
    CommitmentFactory(aar=AARFactory(participant=named), text="ทำแผนติดตามผลรายเดือน")
    CommitmentFactory(
        aar=AARFactory(participant=hidden, anonymous=["commitments"]), text="คุยกับผู้บริหาร"
    )
    html = coordinator.get(reverse("sessions_app:session_detail", args=[assist_session.pk]))
    section = html.content.decode().split('id="host-commitments-heading"')[1].split("</section>")[0]
    assert "เจ้าภาพมีชื่อ" in section and "ทำแผนติดตามผลรายเดือน" in section
    assert "คุยกับผู้บริหาร" in section
    assert "เจ้าภาพไม่ออกชื่อ" not in section
    assert section.index("คุยกับผู้บริหาร") > section.index("ทำแผนติดตามผลรายเดือน")

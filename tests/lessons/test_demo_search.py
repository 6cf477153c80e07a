"""The demo data holds enough AARs for search to be meaningful (issue 18, "Done when"):
a demo coordinator searching a common Thai word finds many, a rare one few, and
nothing they could not open."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from aar.management.commands._demo_library import LIBRARY
from aar.models import AAR
from lessons import index
from lessons.models import SearchEntry
from lessons.search import parse, search
from sessions_app.models import AssistSession, Membership, Organisation
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

INFECTION = "Peer Assist: ลดการติดเชื้อในหอผู้ป่วยใน"  # the hospital's, without KMI
NEWCOMERS = "Peer Assist: วงเล่าเรื่องสำหรับเจ้าหน้าที่ใหม่"  # ThaiHealth's, KMI a peer


@pytest.fixture
def demo():
    call_command("load_demo", with_demo_user=True, stdout=io.StringIO())
    return get_user_model().objects.get(username="demo")


def found(user, word: str) -> list[SearchEntry]:
    return list(search(user, parse(word)))


def test_the_demo_holds_many_submitted_aars_across_sessions_and_organisations(demo):
    submitted = AAR.objects.submitted()
    assert submitted.count() >= 40
    sessions = AssistSession.objects.filter(participants__aar__status=AAR.Status.SUBMITTED)
    assert sessions.distinct().count() >= 9
    assert Organisation.objects.filter(organised_sessions__isnull=False).distinct().count() >= 3
    assert set(submitted.values_list("sharing", flat=True)) == set(AAR.Sharing.values)
    assert submitted.exclude(anonymous=[]).count() >= 4
    assert SearchEntry.objects.filter(anonymous=True).exists()
    assert len(LIBRARY) >= 6


def test_a_common_thai_word_finds_many_and_a_rare_one_few(demo):
    common = found(demo, "เวลา")
    assert len(common) >= 20
    assert len({row.session_id for row in common}) >= 6
    for word in ("ทีม", "ชุมชน", "การสื่อสาร", "ติดตามผล"):
        assert len(found(demo, word)) >= 5, word
    rare = found(demo, "ปุ๋ยหมัก")
    assert 1 <= len(rare) <= 3
    assert all("ปุ๋ยหมัก" in row.text for row in rare)


def test_english_aars_are_found_too(demo):
    assert found(demo, "mentor")
    assert len(found(demo, "time")) >= 2


def test_recommendations_commitments_and_reviews_are_found(demo):
    kinds = {row.kind for row in found(demo, "วงเล่าเรื่อง")} | {
        row.kind for row in found(demo, "เวร")
    }
    assert {
        SearchEntry.Kind.ANSWER,
        SearchEntry.Kind.RECOMMENDATION,
        SearchEntry.Kind.COMMITMENT,
    } <= kinds
    assert any(row.kind == SearchEntry.Kind.OUTCOME for row in found(demo, "เวรดึก"))
    assert any(row.kind == SearchEntry.Kind.RESPONSE for row in found(demo, "งบ"))
    assert any(row.kind == SearchEntry.Kind.METHOD for row in found(demo, "ครึ่งวัน"))


def test_the_demo_coordinator_finds_only_what_they_may_read(demo):
    # The hospital's own session, without KMI: its staff find it, KMI's do not.
    assert found(demo, "ล้างมือ") == []
    hospital_staff = UserFactory(username="hospital_staff")
    MembershipFactory(
        user=hospital_staff,
        organisation=Organisation.objects.get(short_name="รพ.บ้านสวน"),
        role=Membership.Role.COORDINATOR,
    )
    assert len(found(hospital_staff, "ล้างมือ")) >= 3

    # ThaiHealth's session, where KMI was a peer: only AARs shared that widely.
    newcomers = AssistSession.objects.get(title=NEWCOMERS)
    rows = [row for row in found(demo, "วง") if row.session_id == newcomers.pk]
    assert rows
    assert {row.aar.sharing for row in rows} == {AAR.Sharing.ORGANISATIONS}
    assert AAR.objects.filter(participant__session=newcomers).exclude(
        sharing=AAR.Sharing.ORGANISATIONS
    )


def test_loading_twice_leaves_the_index_as_a_rebuild_makes_it(demo):
    def rows():
        return sorted(
            SearchEntry.objects.values_list(
                "kind", "part", "session__title", "aar__participant__full_name", "text", "anonymous"
            )
        )

    first = rows()
    call_command("load_demo", with_demo_user=True, stdout=io.StringIO())
    assert rows() == first
    index.rebuild()
    assert rows() == first

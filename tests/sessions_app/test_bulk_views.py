"""Bulk add through the browser forms: preview, then confirm; all or nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sessions_app import bulk
from sessions_app.models import Participant
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

FIVE = """น้ำฝน ศรีสุข, namfon@example.org, สสส., ทีมเจ้าภาพ
ผู้ใหญ่ลี่ บุญมา, lee@example.org, สสส., host
สมชาย ใจดี, somchai@example.org, สคส., ทีมเพื่อน
Jane Doe, jane@example.org, KMI, Peer team, en
ประสิทธิ์ มั่นคง, , สคส., คุณลิขิต
"""


def _url(session):
    return reverse("sessions_app:participant_bulk_add", args=[session.pk])


def _preview(client, session, text="", file=None):
    data = {"action": "preview", "text": text}
    if file is not None:
        data["file"] = file
    return client.post(_url(session), data)


def _confirm(client, session, text):
    return client.post(_url(session), {"action": "confirm", "text": text})


def test_anonymous_is_sent_to_sign_in(client, assist_session):
    assert client.get(_url(assist_session)).url.startswith(reverse("login"))
    _confirm(client, assist_session, FIVE)
    assert not Participant.objects.exists()


def test_outsider_gets_404(outsider, assist_session):
    assert outsider.get(_url(assist_session)).status_code == 404
    assert _confirm(outsider, assist_session, FIVE).status_code == 404
    assert not Participant.objects.exists()


def test_read_only_member_gets_403(member, assist_session):
    assert member.get(_url(assist_session)).status_code == 403
    assert _confirm(member, assist_session, FIVE).status_code == 403
    assert not Participant.objects.exists()


@pytest.mark.parametrize("persona", ["facilitator", "coordinator"])
def test_editors_get_the_page(request, persona, assist_session):
    response = request.getfixturevalue(persona).get(_url(assist_session))
    assert response.status_code == 200
    assert "text" in response.context["form"].fields


def test_preview_shows_every_row_and_saves_nothing(facilitator, assist_session):
    response = _preview(facilitator, assist_session, FIVE)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 5
    assert response.context["error_count"] == 0
    html = response.content.decode()
    assert "ผู้ใหญ่ลี่ บุญมา" in html
    assert 'name="action" value="confirm"' in html
    assert not Participant.objects.exists()


def test_confirm_saves_all_rows_and_goes_to_the_links(facilitator, assist_session, org):
    response = _confirm(facilitator, assist_session, FIVE)
    assert response.status_code == 302
    assert response.url == reverse("sessions_app:participant_links", args=[assist_session.pk])
    people = {p.full_name: p for p in assist_session.participants.all()}
    assert set(people) == {
        "น้ำฝน ศรีสุข",
        "ผู้ใหญ่ลี่ บุญมา",
        "สมชาย ใจดี",
        "Jane Doe",
        "ประสิทธิ์ มั่นคง",
    }
    assert people["น้ำฝน ศรีสุข"].organisation == assist_session.host
    assert people["น้ำฝน ศรีสุข"].role == "host"
    assert people["สมชาย ใจดี"].organisation == org
    assert people["Jane Doe"].language == "en"
    assert people["ประสิทธิ์ มั่นคง"].role == "note_taker"
    assert people["ประสิทธิ์ มั่นคง"].email == ""
    assert len({p.token for p in people.values()}) == 5


def test_one_bad_row_blocks_the_whole_import(facilitator, assist_session):
    text = FIVE + "คนที่หก, not-an-email, สสส., peer\n"
    preview = _preview(facilitator, assist_session, text)
    assert preview.context["error_count"] == 1
    assert 'value="confirm"' not in preview.content.decode()
    # Even a forged confirm is checked again and saves nothing.
    response = _confirm(facilitator, assist_session, text)
    assert response.status_code == 200
    assert response.context["error_count"] == 1
    assert not Participant.objects.exists()


def test_duplicate_with_the_session_is_an_error(facilitator, assist_session):
    ParticipantFactory(session=assist_session, email="lee@example.org")
    response = _preview(facilitator, assist_session, FIVE)
    assert response.context["error_count"] == 1
    assert "lee@example.org" in " ".join(response.context["rows"][1].errors)
    _confirm(facilitator, assist_session, FIVE)
    assert assist_session.participants.count() == 1


def test_duplicate_within_the_file_is_an_error(facilitator, assist_session):
    text = FIVE + "อีกคน, NAMFON@example.org, สสส., peer\n"
    response = _preview(facilitator, assist_session, text)
    assert response.context["error_count"] == 1
    assert not response.context["rows"][5].ok


def test_csv_upload_from_excel_with_bom_and_crlf(facilitator, assist_session):
    data = ("\ufeffName,Email,Organisation,Role\r\n" + FIVE.replace("\n", "\r\n")).encode()
    upload = SimpleUploadedFile("roster.csv", data, content_type="text/csv")
    response = _preview(facilitator, assist_session, file=upload)
    assert response.context["error_count"] == 0
    assert [row.full_name for row in response.context["rows"]][0] == "น้ำฝน ศรีสุข"
    # The text travels in the hidden field; confirming saves it.
    text = response.context["confirm_form"]["text"].value()
    _confirm(facilitator, assist_session, text)
    assert assist_session.participants.count() == 5


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",  # binary
        "สมชาย,a@example.org".encode("cp874"),  # Thai Windows encoding, not UTF-8
        b"a,b@example.org\n" * 70000,  # over 1 MB
    ],
)
def test_bad_files_are_refused_beside_the_field(facilitator, assist_session, data):
    upload = SimpleUploadedFile("roster.csv", data, content_type="text/csv")
    response = _preview(facilitator, assist_session, file=upload)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Participant.objects.exists()


def test_over_a_thousand_rows_is_refused(facilitator, assist_session):
    text = "\n".join(f"คน {i}, p{i}@example.org, สสส., peer" for i in range(bulk.MAX_ROWS + 1))
    response = _preview(facilitator, assist_session, text)
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    _confirm(facilitator, assist_session, text)
    assert not Participant.objects.exists()


def test_empty_form_asks_for_something(facilitator, assist_session):
    response = _preview(facilitator, assist_session, "  \n ")
    assert response.status_code == 200
    # On the box, so the error summary links to it.
    assert response.context["form"].errors["text"]
    assert 'href="#id_text"' in response.content.decode()


def test_empty_confirm_saves_nothing(facilitator, assist_session):
    response = _confirm(facilitator, assist_session, "")
    assert response.status_code == 200
    assert not Participant.objects.exists()


def test_roster_import_refuses_rows_with_errors(assist_session):
    from sessions_app import roster_services

    rows = bulk.parse(
        "ก, a@example.org\nข, not-an-email",
        organisations=bulk.OrganisationIndex.build([]),
    )
    with pytest.raises(roster_services.RosterImportError):
        roster_services.roster_import(session=assist_session, rows=rows)
    assert not Participant.objects.exists()

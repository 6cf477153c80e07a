"""The error summary (templates/includes/error_summary.html) on every staff form, and the
Thai of Django's own form and password messages in the project's catalogue."""

import re

import pytest
from django import forms
from django.contrib.auth import password_validation
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD, ParticipantFactory

SUMMARY = re.compile(r'<div class="error-summary[^"]*"[^>]*data-error-summary>.*?</div>', re.S)


class ExampleForm(forms.Form):
    name = forms.CharField(error_messages={"required": "Enter your name."})
    colour = forms.ChoiceField(
        choices=[("r", "red"), ("g", "green")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a colour."},
    )
    token = forms.CharField(widget=forms.HiddenInput, error_messages={"required": "Token gone."})

    def clean(self):
        raise forms.ValidationError("The whole form is wrong.")


def _summary(html: str) -> str:
    found = SUMMARY.findall(html)
    assert len(found) == 1, html
    return found[0]


def _links(summary: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="alert-link" href="#([^"]+)">([^<]+)</a>', summary)


# --- the include itself ---------------------------------------------------------------


def test_nothing_is_shown_for_a_form_without_errors():
    html = render_to_string("includes/error_summary.html", {"form": ExampleForm()})
    assert html.strip() == ""
    valid = ExampleForm({"name": "x", "colour": "r", "token": "t"})
    valid.clean = lambda: valid.cleaned_data
    assert render_to_string("includes/error_summary.html", {"form": valid}).strip() == ""


def test_summary_lists_every_problem_with_links_to_the_fields():
    with translation.override("en"):
        html = render_to_string("includes/error_summary.html", {"form": ExampleForm({})})
    summary = _summary(html)
    assert 'role="alert"' in summary
    assert 'tabindex="-1"' in summary
    assert "autofocus" not in summary
    assert ">There is a problem</h2>" in summary
    # Errors of no field and of hidden fields first, without a link: nothing to focus.
    items = re.findall(r"<li>(.*?)</li>", summary)
    assert items[:2] == ["The whole form is wrong.", "Token gone."]
    # Then each field in the form's order; a radio group links to its first box.
    assert _links(summary) == [("id_name", "Enter your name."), ("id_colour_0", "Choose a colour.")]
    # The script that focuses it on load, from a static file (the CSP forbids inline).
    assert '<script src="/static/js/error_summary.js" defer></script>' in html


def test_summary_heading_is_in_thai():
    with translation.override("th"):
        html = render_to_string("includes/error_summary.html", {"form": ExampleForm({})})
        heading = translation.gettext("There is a problem")
    assert heading != "There is a problem"
    assert f">{heading}</h2>" in _summary(html)


def test_a_prefixed_form_gets_its_own_heading_id():
    html = render_to_string("includes/error_summary.html", {"form": ExampleForm({}, prefix="x")})
    assert 'id="x-error-summary-title"' in html
    assert 'aria-labelledby="x-error-summary-title"' in html
    assert 'href="#id_x-name"' in html


# --- on every staff form --------------------------------------------------------------


@pytest.mark.django_db
def test_session_form_summary_links_the_missing_essentials(facilitator, org):
    response = facilitator.post(reverse("sessions_app:session_create"), {"organiser": org.pk})
    summary = _summary(response.content.decode())
    assert [target for target, _text in _links(summary)] == [
        "id_title",
        "id_host",
        "id_date",
        "id_purpose",
        "id_duration_minutes",
        "id_status",
    ]
    assert ("id_title", "กรุณาใส่ชื่อวง") in _links(summary)


@pytest.mark.django_db
def test_participant_form_has_the_summary(facilitator, assist_session):
    url = reverse("sessions_app:participant_add", args=[assist_session.pk])
    response = facilitator.post(url, {"full_name": " ", "email": "nope", "role": "peer"})
    assert response.status_code == 200
    links = dict(_links(_summary(response.content.decode())))
    assert links["id_full_name"] == "กรุณาใส่ชื่อ"
    assert links["id_email"] == "กรุณาใส่อีเมลให้ถูกต้อง เช่น name@example.org"
    assert "id_language" in links


@pytest.mark.django_db
def test_participant_form_errors_in_english(facilitator, assist_session, settings):
    facilitator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("sessions_app:participant_add", args=[assist_session.pk])
    response = facilitator.post(url, {"full_name": "", "role": "", "language": ""})
    links = dict(_links(_summary(response.content.decode())))
    assert links == {
        "id_full_name": "Enter the person&#x27;s name.",
        "id_role": "Choose the person&#x27;s role.",
        "id_language": "Choose the language of the person&#x27;s AAR.",
    }


@pytest.mark.django_db
def test_participant_edit_form_has_the_summary(facilitator, assist_session):
    person = ParticipantFactory(session=assist_session)
    url = reverse("sessions_app:participant_edit", args=[assist_session.pk, person.pk])
    response = facilitator.post(url, {"full_name": "", "role": "peer", "language": "th"})
    assert dict(_links(_summary(response.content.decode())))["id_full_name"]


@pytest.mark.django_db
def test_bulk_add_has_the_summary(facilitator, assist_session):
    url = reverse("sessions_app:participant_bulk_add", args=[assist_session.pk])
    response = facilitator.post(url, {"action": "preview", "text": ""})
    assert _links(_summary(response.content.decode())) == [("id_text", "กรุณาวางรายชื่อหรือเลือกไฟล์")]


@pytest.mark.django_db
def test_organisation_step_has_the_summary(facilitator):
    url = reverse("sessions_app:session_create_organisation")
    response = facilitator.post(url, {"new_org-name": "", "new_org-use_as": ""})
    links = dict(_links(_summary(response.content.decode())))
    assert links == {
        "id_new_org-name": "กรุณาใส่ชื่อองค์กรภาษาไทย",
        "id_new_org-use_as_0": "กรุณาเลือกว่าองค์กรใหม่นี้เป็นองค์กรเจ้าภาพหรือองค์กรเพื่อน",
    }


@pytest.mark.django_db
def test_sign_in_lists_the_wrong_password_once_and_the_empty_fields(client):
    html = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert dict(_links(_summary(html))) == {
        "id_username": "กรุณาใส่ข้อมูลในช่องนี้",
        "id_password": "กรุณาใส่ข้อมูลในช่องนี้",
    }
    assert "ฟิลด์นี้จำเป็น" not in html
    html = client.post(reverse("login"), {"username": "x", "password": "y"}).content.decode()
    summary = _summary(html)
    assert "หรือรหัสผ่านไม่ถูกต้อง" in summary
    # Only in the summary: crispy's own alert for it is gone.
    assert html.count("หรือรหัสผ่านไม่ถูกต้อง") == 1


@pytest.mark.django_db
def test_password_change_lists_the_validators_problems_in_thai(facilitator):
    response = facilitator.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "12345678", "new_password2": "1234"},
    )
    links = dict(_links(_summary(response.content.decode())))
    assert links["id_old_password"] == "รหัสผ่านเดิมไม่ถูกต้อง กรุณาใส่อีกครั้ง"
    assert links["id_new_password2"] == "รหัสผ่านทั้งสองช่องไม่ตรงกัน"


@pytest.mark.django_db
def test_password_validators_speak_thai(facilitator_user):
    with translation.override("th"):
        with pytest.raises(Exception) as caught:
            password_validation.validate_password("1234567", facilitator_user)
        messages = " ".join(caught.value.messages)
        help_text = password_validation.password_validators_help_text_html()
    assert "รหัสผ่านนี้สั้นเกินไป ต้องมีอย่างน้อย 8 ตัวอักษร" in messages
    assert "รหัสผ่านนี้มีคนใช้กันมาก" in messages
    assert "รหัสผ่านนี้เป็นตัวเลขล้วน" in messages
    assert "รหัสผ่านต้องไม่เป็นตัวเลขล้วน" in help_text
    assert "can’t" not in help_text


@pytest.mark.django_db
def test_password_reset_form_has_the_summary(client):
    html = client.post(reverse("password_reset"), {"email": "not an email"}).content.decode()
    assert dict(_links(_summary(html))) == {"id_email": "กรุณาใส่อีเมลให้ถูกต้อง เช่น name@example.org"}


@pytest.mark.django_db
def test_password_reset_confirm_has_the_summary(client, facilitator_user):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(facilitator_user.pk))
    token = default_token_generator.make_token(facilitator_user)
    page = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    set_url = page.redirect_chain[-1][0]
    html = client.post(set_url, {"new_password1": "", "new_password2": ""}).content.decode()
    assert [target for target, _ in _links(_summary(html))] == [
        "id_new_password1",
        "id_new_password2",
    ]
    facilitator_user.refresh_from_db()
    assert facilitator_user.check_password(PASSWORD)


def test_django_required_message_is_ours_in_thai():
    with translation.override("th"):
        assert str(forms.Field.default_error_messages["required"]) == "กรุณาใส่ข้อมูลในช่องนี้"

"""Sign in and out, change a password, reset a forgotten one by email."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-42"


def test_sign_in_page_renders_our_template_in_thai(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "registration/login.html" in [t.name for t in response.templates]
    assert '<html lang="th"' in response.content.decode()
    assert reverse("password_reset") in response.content.decode()


def test_sign_in_page_speaks_english_when_chosen(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("login"))
    assert '<html lang="en"' in response.content.decode()
    assert "Forgotten your password?" in response.content.decode()


def test_signing_in_lands_on_home(client):
    UserFactory(username="somchai")
    response = client.post(reverse("login"), {"username": "somchai", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("sessions_app:home")


def test_wrong_password_shows_an_error_and_keeps_the_username(client):
    UserFactory(username="somchai")
    response = client.post(reverse("login"), {"username": "somchai", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'value="somchai"' in response.content.decode()


def test_sign_out_is_post_only_and_goes_to_sign_in(facilitator):
    assert facilitator.get(reverse("logout")).status_code == 405
    response = facilitator.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert facilitator.get(reverse("sessions_app:home")).status_code == 302


def test_nav_has_change_password_link(facilitator):
    response = facilitator.get(reverse("sessions_app:home"))
    assert reverse("password_change") in response.content.decode()


def test_change_password_needs_sign_in(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_change_password_works(facilitator, facilitator_user):
    page = facilitator.get(reverse("password_change"))
    assert page.status_code == 200
    assert "registration/password_change_form.html" in [t.name for t in page.templates]
    response = facilitator.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    facilitator_user.refresh_from_db()
    assert facilitator_user.check_password(NEW_PASSWORD)
    done = facilitator.get(response.url)
    assert "registration/password_change_done.html" in [t.name for t in done.templates]


def test_change_password_with_wrong_old_password_changes_nothing(facilitator, facilitator_user):
    response = facilitator.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    facilitator_user.refresh_from_db()
    assert facilitator_user.check_password(PASSWORD)


def _reset_link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", body)
    assert match, body
    return match.group(1)


def test_password_reset_email_arrives_with_a_working_link(client):
    user = UserFactory(username="nok", email="nok@example.org")
    page = client.get(reverse("password_reset"))
    assert "registration/password_reset_form.html" in [t.name for t in page.templates]

    response = client.post(reverse("password_reset"), {"email": "NOK@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["nok@example.org"]
    assert "\n" not in email.subject
    assert "nok" in email.body  # the username is reminded

    link = _reset_link(email.body)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # A used link does not work twice.
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False
    assert reverse("password_reset") in again.content.decode()


def test_password_reset_email_is_in_english_when_english_is_chosen(client, settings):
    UserFactory(username="john", email="john@example.org")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("password_reset"), {"email": "john@example.org"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Choose a new password for peerassist"
    assert "To choose a new password, open this link" in mail.outbox[0].body


def test_password_reset_for_unknown_email_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []
    assert get_user_model().objects.count() == 0

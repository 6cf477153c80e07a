import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HOME, ATTACKER, ELSEWHERE, PROXY = "198.51.100.7", "203.0.113.5", "192.0.2.44", "10.0.0.9"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every attempt hashes a password; the real hasher would make this module slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client, username, password, address="127.0.0.1", **headers):
    data = {"username": username, "password": password}
    return client.post(reverse("login"), data, REMOTE_ADDR=address, **headers)


def fail(client, settings, username="somchai", address=ATTACKER, times=None, **headers):
    for _ in range(settings.AXES_FAILURE_LIMIT if times is None else times):
        sign_in(client, username, "wrong", address, **headers)


def test_sign_in_works_with_the_right_password(client):
    UserFactory(username="somchai")
    response = client.post(reverse("login"), {"username": "somchai", "password": PASSWORD})
    assert response.status_code == 302


def test_sign_in_locks_out_after_repeated_failures_with_a_clear_message(client, settings):
    UserFactory(username="somchai")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("login"), {"username": "somchai", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post(reverse("login"), {"username": "somchai", "password": "wrong"})
    assert response.status_code == 429
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post(reverse("login"), {"username": "somchai", "password": PASSWORD})
    assert response.status_code == 429


def test_failures_from_another_address_never_lock_the_user_out(client, settings):
    UserFactory(username="somchai")
    fail(client, settings, address=ATTACKER)
    assert sign_in(client, "somchai", PASSWORD, ATTACKER).status_code == 429
    assert sign_in(client, "somchai", PASSWORD, HOME).status_code == 302


def test_behind_a_trusted_proxy_each_client_has_its_own_lockout(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    UserFactory(username="somchai")
    fail(client, settings, address=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    locked = sign_in(client, "somchai", PASSWORD, PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert locked.status_code == 429
    # Every sign-in comes from the proxy's address; the user's own is what counts.
    response = sign_in(client, "somchai", PASSWORD, PROXY, HTTP_X_FORWARDED_FOR=HOME)
    assert response.status_code == 302


def test_an_untrusted_client_cannot_dodge_the_lockout_with_x_forwarded_for(client, settings):
    UserFactory(username="somchai")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "somchai", "wrong", ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = sign_in(client, "somchai", PASSWORD, ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_one_address_trying_many_usernames_is_refused_for_every_username(client, settings):
    """Password spraying: a few guesses at each of many accounts, below the per-account
    limit, are stopped by the limit per address."""
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    UserFactory(username="somchai")
    for n in range(3):
        fail(client, settings, username=f"user{n}", times=2)  # 2 < AXES_FAILURE_LIMIT
    response = sign_in(client, "somchai", PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert reverse("password_reset") in response.content.decode()
    # Someone else, elsewhere, is not affected.
    assert sign_in(client, "somchai", PASSWORD, HOME).status_code == 302


def test_the_limit_per_address_counts_only_within_the_cool_off(client, settings, time_machine):
    settings.LOGIN_FAILURES_PER_ADDRESS = 4
    UserFactory(username="somchai")
    time_machine.move_to("2026-03-01 09:00 +07:00", tick=False)
    for n in range(2):
        fail(client, settings, username=f"user{n}", times=2)
    assert sign_in(client, "somchai", PASSWORD, ATTACKER).status_code == 429
    time_machine.shift(settings.AXES_COOLOFF_TIME.total_seconds() + 60)
    assert sign_in(client, "somchai", PASSWORD, ATTACKER).status_code == 302


def test_the_limit_per_address_can_be_switched_off(client, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 0
    UserFactory(username="somchai")
    for n in range(8):
        fail(client, settings, username=f"user{n}", times=2)
    assert sign_in(client, "somchai", PASSWORD, ATTACKER).status_code == 302


def test_the_limit_per_address_defaults_to_thirty():
    from peerassist import settings as project_settings

    assert project_settings.LOGIN_FAILURES_PER_ADDRESS == 30


def test_the_admin_sign_in_is_locked_out_too(client, settings):
    UserFactory(username="somchai", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "somchai", "password": "wrong"},
            REMOTE_ADDR=ATTACKER,
        )
    data = {"username": "somchai", "password": PASSWORD}
    assert client.post(reverse("admin:login"), data, REMOTE_ADDR=ATTACKER).status_code == 429


def test_locked_out_page_offers_a_password_reset_in_the_users_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    UserFactory(username="somchai")
    fail(client, settings)
    response = sign_in(client, "somchai", PASSWORD, ATTACKER)
    assert response.status_code == 429
    page = response.content.decode()
    assert f'href="{reverse("password_reset")}"' in page
    assert "Forgotten your password?" in page
    assert f"{int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} minutes" in page


def test_a_new_password_by_email_lifts_the_lockout(client, settings):
    user = UserFactory(username="somchai")
    fail(client, settings, address=HOME)  # the owner, forgetting
    assert sign_in(client, "somchai", PASSWORD, HOME).status_code == 429

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    landing = client.get(reverse("password_reset_confirm", args=[uid, token]), REMOTE_ADDR=HOME)
    assert landing.status_code == 302  # Django moves the token out of the address
    new = "a-new-and-long-password-2026"
    done = client.post(landing.url, {"new_password1": new, "new_password2": new}, REMOTE_ADDR=HOME)
    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    assert sign_in(client, "somchai", new, HOME).status_code == 302

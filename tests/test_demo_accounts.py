"""The demo accounts (demo, aor; password peerassist-demo) never open a real server:
sign-in refuses them, `check --deploy` names them, and `remove_demo` removes them."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.checks import run_checks
from django.core.management import call_command
from django.urls import reverse

from aar.management.commands import load_demo
from peerassist.auth import DEMO_PASSWORD, DEMO_USERNAMES
from sessions_app.models import AssistSession
from tests.factories import PASSWORD, UserFactory
from tests.helpers import manage
from tests.test_production import PRODUCTION_ENV

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_loaded(settings):
    """A database that `load_demo` once filled in development."""
    call_command("load_demo", with_demo_user=True, stdout=io.StringIO())
    settings.DEMO_USER_ALLOWED = False  # then served in production
    assert set(User.objects.values_list("username", flat=True)) >= set(DEMO_USERNAMES)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_published_password_is_the_one_load_demo_sets():
    assert DEMO_PASSWORD == load_demo.DEMO_PASSWORD


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_demo_account_cannot_sign_in_when_not_allowed(client, demo_loaded, username):
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not _signed_in(client)


def test_demo_superuser_cannot_sign_in_to_the_admin_either(client, demo_loaded):
    data = {"username": "demo", "password": DEMO_PASSWORD, "next": "/admin/"}
    response = client.post(reverse("admin:login"), data)
    assert response.status_code == 200
    assert not _signed_in(client)
    assert client.get("/admin/").status_code == 302  # to the admin's sign-in


def test_demo_account_with_a_changed_password_still_cannot_sign_in(client, demo_loaded):
    demo = User.objects.get(username="demo")
    demo.set_password("a-changed-and-long-password")
    demo.save()
    data = {"username": "demo", "password": "a-changed-and-long-password"}
    assert client.post(reverse("login"), data).status_code == 200
    assert not _signed_in(client)


def test_no_account_opens_with_the_published_password(client, settings):
    settings.DEMO_USER_ALLOWED = False
    somchai = UserFactory(username="somchai")
    somchai.set_password(DEMO_PASSWORD)
    somchai.save()
    client.post(reverse("login"), {"username": "somchai", "password": DEMO_PASSWORD})
    assert not _signed_in(client)


def test_a_real_person_called_aor_signs_in(client, settings):
    settings.DEMO_USER_ALLOWED = False
    UserFactory(username="aor", email="wanna@kmi.or.th")
    response = client.post(reverse("login"), {"username": "aor", "password": PASSWORD})
    assert response.status_code == 302
    assert _signed_in(client)


def test_demo_signs_in_where_allowed(client, demo_loaded, settings):
    settings.DEMO_USER_ALLOWED = True  # development
    response = client.post(reverse("login"), {"username": "demo", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def _demo_errors():
    return [m for m in run_checks(include_deployment_checks=True) if m.id == "peerassist.E001"]


def test_check_deploy_names_the_demo_accounts_and_the_command(demo_loaded):
    (error,) = _demo_errors()
    assert error.is_serious()
    assert "aor, demo" in error.msg
    assert "manage.py remove_demo" in error.hint


def test_check_is_quiet_without_demo_accounts_or_where_they_are_allowed(settings, demo_loaded):
    settings.DEMO_USER_ALLOWED = True
    assert _demo_errors() == []
    settings.DEMO_USER_ALLOWED = False
    call_command("remove_demo", stdout=io.StringIO())
    assert _demo_errors() == []


def test_remove_demo_removes_only_the_demo_accounts_and_says_so(demo_loaded):
    real = UserFactory(username="somchai")
    sessions = AssistSession.objects.count()
    out = io.StringIO()
    call_command("remove_demo", stdout=out)
    assert "aor, demo" in out.getvalue()
    assert not User.objects.filter(username__in=DEMO_USERNAMES).exists()
    assert User.objects.filter(pk=real.pk).exists()
    assert AssistSession.objects.count() == sessions  # the demo sessions stay

    again = io.StringIO()
    call_command("remove_demo", stdout=again)
    assert "No demo accounts" in again.getvalue()


def test_remove_demo_keeps_a_real_person_called_aor(settings):
    UserFactory(username="aor", email="wanna@kmi.or.th")
    out = io.StringIO()
    call_command("remove_demo", stdout=out)
    assert "No demo accounts" in out.getvalue()
    assert User.objects.filter(username="aor").exists()


def test_make_serve_on_a_demo_database_stops_until_remove_demo(tmp_path):
    """`make serve`'s order: check --deploy (before migrate: no tables yet), migrate,
    then, on a database that load_demo filled, check --deploy refuses."""
    production = {**PRODUCTION_ENV, "SQLITE_PATH": str(tmp_path / "db.sqlite3")}
    check = ("check", "--deploy", "--fail-level", "WARNING")
    first = manage(*check, env=production)
    assert first.returncode == 0, first.stdout + first.stderr  # no tables: no crash

    assert manage("migrate", "--noinput", env=production).returncode == 0
    development = {"DEBUG": "1", "SQLITE_PATH": production["SQLITE_PATH"]}
    assert manage("load_demo", env=development).returncode == 0

    refused = manage(*check, env=production)
    assert refused.returncode != 0
    assert "peerassist.E001" in refused.stderr
    assert "manage.py remove_demo" in refused.stderr

    removed = manage("remove_demo", env=production)
    assert removed.returncode == 0, removed.stderr
    assert "aor, demo" in removed.stdout
    assert manage(*check, env=production).returncode == 0


def test_signed_in_sessions_are_never_bound_to_the_demo_backend(facilitator, settings):
    # force_login (and Django) bind a session to the first backend with get_user.
    settings.DEMO_USER_ALLOWED = False
    assert facilitator.get(reverse("sessions_app:home")).status_code == 200

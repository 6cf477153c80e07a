"""Shared fixtures: the personas of the persona matrix (after healthchecks'
alice/bob/charlie) and a session they can be tested against.

- ``anonymous``: the plain ``client``, not signed in.
- ``outsider``: a member of another organisation. Sees nothing of ours: 404.
- ``member``: a facilitator of the organising organisation who neither created nor
  facilitates the session. May read, may not change: 403 on edit views.
- ``facilitator``: facilitates the session. May edit it.
- ``coordinator``: coordinator of the organising organisation. May edit every session.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

import tests.helpers  # noqa: F401 (loads the Hypothesis profile: dev, or ci under CI)
from sessions_app.models import Membership
from tests.factories import (
    AssistSessionFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)


@pytest.fixture
def host_org(db):
    """ThaiHealth (สสส.), the host in the session form's tests."""
    return OrganisationFactory(
        name="สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ", name_en="ThaiHealth", short_name="สสส."
    )


@pytest.fixture
def session_form_day():
    """Today is 24 November 2026, 10:00 in Bangkok: the session form's tests type dates
    around it (``pytestmark = pytest.mark.usefixtures("session_form_day")``)."""
    moment = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Bangkok"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture(autouse=True)
def _thai_by_default(settings):
    settings.LANGUAGE_CODE = "th"
    # A fast hash for the test users: PBKDF2's deliberate slowness cost each persona
    # matrix a second and a half of set-up, and proves nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Rate limits are tested on their own; elsewhere they must not bite.
    settings.RATELIMIT_TOKEN_PER_MINUTE = 100_000
    settings.RATELIMIT_WALKIN_PER_MINUTE = 100_000
    cache.clear()
    # Email tasks run at once, inside the test (the worker has its own tests).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def org(db):
    return OrganisationFactory(
        name="สถาบันส่งเสริมการจัดการความรู้เพื่อสังคม", name_en="KMI", short_name="สคส."
    )


@pytest.fixture
def other_org(db):
    return OrganisationFactory(name="องค์กรอื่น", name_en="Other Org", short_name="อื่น")


def _user_in(org, username, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=org, role=role)
    return user


@pytest.fixture
def coordinator_user(org):
    return _user_in(org, "coordinator", Membership.Role.COORDINATOR)


@pytest.fixture
def facilitator_user(org):
    return _user_in(org, "facilitator", Membership.Role.FACILITATOR)


@pytest.fixture
def member_user(org):
    return _user_in(org, "member", Membership.Role.FACILITATOR)


@pytest.fixture
def outsider_user(other_org):
    return _user_in(other_org, "outsider", Membership.Role.COORDINATOR)


@pytest.fixture
def assist_session(org, facilitator_user):
    host = OrganisationFactory(
        name="สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ", name_en="ThaiHealth", short_name="สสส."
    )
    return AssistSessionFactory(
        organiser=org,
        host=host,
        peers=[org],
        facilitator=facilitator_user,
        created_by=facilitator_user,
    )


def _client_for(user):
    # force_login: sign-in itself (and its lockout) is tested on the real form.
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator(coordinator_user):
    return _client_for(coordinator_user)


@pytest.fixture
def facilitator(facilitator_user):
    return _client_for(facilitator_user)


@pytest.fixture
def member(member_user):
    return _client_for(member_user)


@pytest.fixture
def outsider(outsider_user):
    return _client_for(outsider_user)

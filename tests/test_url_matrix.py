"""The persona matrix, generated from the URLconf.

Every URL pattern is either on the explicit public allow-list below or refuses anonymous
users (a redirect to sign-in, for GET and POST alike). Every URL that names one of our
objects gives 404 to a signed-in outsider. A new view that forgets its access check
fails here without anyone having to remember to write a test for it.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from aar.models import Recommendation
from lessons.models import Comment, Lesson
from tests.factories import AARFactory, AARVersionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

# Reachable without signing in, on purpose. Each entry is a URL name.
PUBLIC = {
    "healthz",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    "sessions_app:walkin_join",
}
# Whole namespaces that are public: the participant's token pages (the token is the
# credential; the shared AARs and their comments by personal link too) and Django's
# admin (its own staff sign-in).
PUBLIC_NAMESPACES = {"aar", "lessons_link", "admin"}


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                f"{namespace}:{ns}".strip(":") if ns else namespace,
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}".strip(":") if entry.name else None
            yield prefix + str(entry.pattern), name


ALL = sorted(set(walk(get_resolver().url_patterns)), key=lambda item: item[0])


def is_public(route, name):
    if route.startswith("admin/"):  # admin's unnamed redirects included
        return True
    return name in PUBLIC or (name or "").split(":")[0] in PUBLIC_NAMESPACES


PROTECTED = [(route, name) for route, name in ALL if not is_public(route, name)]


@pytest.fixture
def objects(assist_session):
    participant = ParticipantFactory(session=assist_session)
    aar = AARFactory(participant=participant)
    version = AARVersionFactory(aar=aar)
    recommendation = Recommendation.objects.create(session=aar.participant.session, text="ข้อเสนอ")
    comment = Comment.objects.create(aar=aar, author_name="ผู้อ่าน", text="ความเห็น")
    lesson = Lesson.objects.create(
        organisation=assist_session.organiser, title="บทเรียน", statement="ข้อความ"
    )
    return {
        "pk": assist_session.pk,
        "session_pk": assist_session.pk,
        "participant_pk": participant.pk,
        "participant_id": participant.pk,
        "aar_pk": aar.pk,
        "version_pk": version.pk,
        "recommendation_pk": recommendation.pk,
        "comment_pk": comment.pk,
        "lesson_pk": lesson.pk,
        "organisation_pk": assist_session.organiser_id,
        "year": assist_session.date.year,
        "token": participant.token,
        "code": assist_session.walkin_code,
        "format": "csv",
        "fmt": "csv",
        "kind": "md",
    }


CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def build(route, objects):
    missing = [m["name"] for m in CONVERTER.finditer(route) if m["name"] not in objects]
    assert not missing, f"{route}: teach tests/test_url_matrix.py the kwarg(s) {missing}"
    path = CONVERTER.sub(lambda m: str(objects[m["name"]]), route)
    path = path.lstrip("^").rstrip("$").replace("\\Z", "")
    return "/" + path


def test_the_matrix_covers_every_url():
    print(
        f"URL matrix: {len(ALL)} patterns, {len(PROTECTED)} protected, {len(OBJECT_ROUTES)} object URLs"
    )
    assert len(PROTECTED) >= 30, "the URLconf walk found too few protected URLs"
    assert len(OBJECT_ROUTES) >= 20
    assert all(name for _route, name in PROTECTED), "every protected URL needs a name"


@pytest.mark.parametrize(("route", "name"), PROTECTED, ids=[n for _r, n in PROTECTED])
def test_anonymous_is_sent_to_sign_in(client, objects, route, name):
    url = build(route, objects)
    # A POST-only view may answer a GET with 405 before asking who you are.
    assert client.get(url).status_code in (302, 405), f"{name} GET {url}"
    response = client.post(url)
    assert response.status_code == 302, f"{name} POST {url}"
    assert response["Location"].startswith("/accounts/login/"), name


OBJECT_KWARGS = {
    "pk",
    "session_pk",
    "participant_pk",
    "participant_id",
    "aar_pk",
    "version_pk",
    "recommendation_pk",
    "comment_pk",
    "lesson_pk",
    "organisation_pk",
}
OBJECT_ROUTES = [
    (r, n) for r, n in PROTECTED if {m["name"] for m in CONVERTER.finditer(r)} & OBJECT_KWARGS
]


@pytest.mark.parametrize(("route", "name"), OBJECT_ROUTES, ids=[n for _r, n in OBJECT_ROUTES])
def test_outsider_gets_404_on_every_object_url(outsider, objects, route, name):
    url = build(route, objects)
    # The method the view serves answers 404; the other may answer 405. Nothing else:
    # no 200, no redirect, no 403 that would confirm the object exists.
    codes = {"GET": outsider.get(url).status_code, "POST": outsider.post(url).status_code}
    assert set(codes.values()) <= {404, 405} and 404 in codes.values(), f"{name} {url} {codes}"


# Pages that name a session in the query string rather than the path (the outcomes page
# and its exports, ``?session=``): the same access helper decides, so an outsider gets
# 404 there too, never the page without the filter.
QUERY_SESSION_URLS = [
    ("followup:outcomes", {}),
    ("followup:outcomes_export", {"format": "csv"}),
    ("followup:outcomes_export", {"format": "xlsx"}),
]


@pytest.mark.parametrize(
    ("name", "kwargs"), QUERY_SESSION_URLS, ids=[f"{n} {k}" for n, k in QUERY_SESSION_URLS]
)
def test_session_named_in_the_query_string(
    client, outsider, member, coordinator, assist_session, name, kwargs
):
    from django.urls import reverse

    url = f"{reverse(name, kwargs=kwargs)}?session={assist_session.pk}"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert outsider.get(url).status_code == 404
    assert outsider.post(url).status_code in (404, 405)
    assert member.get(url).status_code == 200
    assert coordinator.get(url).status_code == 200
    assert coordinator.post(url).status_code == 405

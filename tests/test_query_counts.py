"""Query counts that do not grow with the data, for the pages the benchmark measures and
the others that list rows: exports, blog copies and the AAR submission.

Each is run at two sizes; the counts must be equal. (The dashboard, follow-up, session,
synthesis, history, links, home and AAR pages have their own tests beside their views.)
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AAR_FORM, AARFactory, AssistSessionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

SUBMIT = {**AAR_FORM, "action": "submit"}


def _fill(session, people):
    for i in range(people):
        participant = ParticipantFactory(session=session)
        if i % 3:
            AARFactory(participant=participant)


def _queries(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data)
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(ctx.captured_queries)


SESSION_PAGES = [
    ("followup:session_export", {"format": "csv"}),
    ("followup:session_export", {"format": "xlsx"}),
    ("followup:session_blog", {"kind": "md"}),
    ("followup:session_blog_page", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), SESSION_PAGES, ids=lambda v: str(v))
def test_session_pages_do_not_grow_with_the_roster(coordinator, org, name, kwargs):
    small, large = AssistSessionFactory(organiser=org), AssistSessionFactory(organiser=org)
    _fill(small, 3)
    _fill(large, 30)
    counts = [
        _queries(coordinator, "get", reverse(name, kwargs={"pk": session.pk, **kwargs}))
        for session in (small, large)
    ]
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_dashboard_export_does_not_grow_with_the_sessions(coordinator, org, format):
    url = reverse("followup:dashboard_export", args=[format])
    counts = []
    for sessions in (2, 20):
        while org.organised_sessions.count() < sessions:
            _fill(AssistSessionFactory(organiser=org), 4)
        counts.append(_queries(coordinator, "get", url))
    assert counts[0] == counts[1], counts


def test_aar_submission_does_not_grow_with_the_session(client, org):
    small, large = AssistSessionFactory(organiser=org), AssistSessionFactory(organiser=org)
    _fill(small, 3)
    _fill(large, 40)
    counts = []
    for session in (small, large):
        token = ParticipantFactory(session=session).token
        counts.append(_queries(client, "post", reverse("aar:entry", args=[token]), SUBMIT))
    assert counts[0] == counts[1], counts


OUTCOME_PAGES = [
    ("followup:outcomes", {}),
    ("followup:outcomes_export", {"format": "csv"}),
    ("followup:outcomes_export", {"format": "xlsx"}),
]


@pytest.mark.parametrize(("name", "kwargs"), OUTCOME_PAGES, ids=lambda v: str(v))
def test_outcomes_do_not_grow_with_the_commitments(coordinator, org, name, kwargs):
    """The outcomes page and its export: the same queries with 2 sessions and 6
    commitments as with 20 and 120 (more than a page of 50)."""
    from tests.factories import CommitmentFactory

    url = reverse(name, kwargs=kwargs)
    counts = []
    for sessions in (2, 20):
        while org.organised_sessions.count() < sessions:
            session = AssistSessionFactory(organiser=org)
            for person in range(2):
                aar = AARFactory(participant=ParticipantFactory(session=session))
                for position in range(3):
                    CommitmentFactory(
                        aar=aar, position=position, status="done" if person else "open"
                    )
        counts.append(_queries(coordinator, "get", url))
    assert counts[0] == counts[1], counts

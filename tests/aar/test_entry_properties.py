"""Property-based and corpus tests for the AAR form: never a 500, and what is accepted
comes back exactly, escaped on the way out."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from aar.models import AAR
from tests.corpus import CORPUS, DANGEROUS_MARKUP
from tests.factories import ParticipantFactory
from tests.helpers import examples

pytestmark = pytest.mark.django_db
PARTS = ("goal", "achieved", "not_achieved", "next_steps")


def _post(client, participant, text, action="draft"):
    data = dict.fromkeys(PARTS, text) | {"sharing": "participants", "action": action}
    return client.post(reverse("aar:entry", args=[participant.token]), data)


@examples(60)
@given(text=st.text(max_size=300))
def test_random_unicode_never_errors_and_round_trips(client, text):
    participant = ParticipantFactory()
    response = _post(client, participant, text)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert AAR.objects.get(participant=participant).goal == text
    else:  # refused: said why, beside the field, and nothing saved
        assert "invalid-feedback" in response.content.decode()
        assert not AAR.objects.filter(participant=participant).exists()


@pytest.mark.parametrize("value", CORPUS, ids=range(len(CORPUS)))
def test_corpus_is_saved_verbatim_or_refused_clearly(client, value):
    participant = ParticipantFactory()
    response = _post(client, participant, value, action="submit")
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        aar = AAR.objects.get(participant=participant)
        assert aar.goal == value
        thanks = client.get(reverse("aar:thanks", args=[participant.token])).content.decode()
        for markup in DANGEROUS_MARKUP:
            assert markup not in thanks
    else:
        html = response.content.decode()
        assert "invalid-feedback" in html
        assert not AAR.objects.filter(participant=participant).exists()
        for markup in DANGEROUS_MARKUP:
            assert markup not in html

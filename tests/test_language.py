"""Thai first: the cookie's choice wins; on a first visit a browser whose first choice is
English gets English; every other visitor gets Thai."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _language(response) -> str:
    return response.headers["Content-Language"]


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("", "th"),
        ("th-TH,th;q=0.9", "th"),
        ("th-TH,th;q=0.9,en-US;q=0.8,en;q=0.7", "th"),  # most Thai phones
        ("en-US,en;q=0.9", "en"),
        ("en", "en"),
        ("en-GB", "en"),
        ("EN-us", "en"),
        ("th;q=0.5,en;q=0.9", "en"),  # the highest q wins, not the first listed
        ("en;q=0.5,th;q=0.9", "th"),
        ("ja,en;q=0.9", "th"),  # neither Thai nor English first: Thai
        ("fr-FR", "th"),
        ("*", "th"),
        ("en;q=0", "th"),  # q=0: "not English"
        ("english", "th"),
        ("garbage;;;q=x", "th"),
    ],
)
def test_first_visit_follows_a_browser_that_prefers_english(client, accept_language, expected):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 200
    assert _language(response) == expected
    assert f'<html lang="{expected}">' in response.content.decode()


def test_the_answer_varies_with_accept_language_for_caches(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize("cookie", ["th", "en"])
@pytest.mark.parametrize("accept_language", ["en-US,en;q=0.9", "th", ""])
def test_the_cookie_choice_wins(client, settings, cookie, accept_language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept_language)
    assert _language(response) == cookie


def test_an_unknown_cookie_value_falls_back_to_the_browser_then_thai(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert _language(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")) == "en"
    assert _language(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr")) == "th"


def test_switching_to_thai_sticks_for_an_english_browser(client):
    response = client.post(reverse("set_language"), {"language": "th", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert _language(page) == "th"

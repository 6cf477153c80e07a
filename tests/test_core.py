import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from peerassist.dates import format_thai_date


def test_healthz_touches_no_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"OK"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("th", "24 พ.ย. 2569"), ("en", "24 Nov 2026")],
)
def test_dates_show_buddhist_era_in_thai(language, expected):
    with translation.override(language):
        assert format_thai_date(datetime.date(2026, 11, 24)) == expected


def test_long_thai_date_with_time_in_bangkok():
    moment = datetime.datetime(2026, 11, 24, 3, 30, tzinfo=datetime.UTC)
    with translation.override("th"):
        assert format_thai_date(moment, long=True, with_time=True) == "24 พฤศจิกายน 2569 10:30 น."


@pytest.mark.django_db
def test_pages_are_thai_by_default_even_for_browsers_that_also_read_english(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="th-TH,th;q=0.9,en;q=0.8")
    assert response["Content-Language"] == "th"
    assert '<html lang="th">' in response.content.decode()


@pytest.mark.django_db
def test_language_switch_is_one_click(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_login_page_has_a_title(client):
    response = client.get(reverse("login"))
    assert "<title>" in response.content.decode()


@pytest.mark.django_db
def test_unknown_page_is_our_own_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404

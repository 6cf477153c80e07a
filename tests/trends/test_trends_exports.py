"""The trends' exports: CSV and XLSX of every trend table, the same filters as the
pages, injection-safe and Excel-Thai safe."""

import csv
import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from aar.exports import date_column
from sessions_app.models import Organisation
from tests.factories import AARFactory, AssistSessionFactory, ParticipantFactory

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, tzinfo=BANGKOK), tick=False):
        yield


@pytest.fixture
def data(org):
    """Our organisation named like a formula, one September session: two people, one
    AAR."""
    Organisation.objects.filter(pk=org.pk).update(
        short_name='=HYPERLINK("http://evil.example","คลิก")'
    )
    session = AssistSessionFactory(
        organiser=org, date=datetime.date(2026, 9, 1), aar_deadline=datetime.date(2026, 9, 15)
    )
    AARFactory(participant=ParticipantFactory(session=session))
    ParticipantFactory(session=session)
    org.refresh_from_db()
    return org


PERIOD = {"start": "9/2569", "end": "10/2569"}


def _csv(response):
    body = response.content
    assert body.startswith("\ufeff".encode())  # Excel reads Thai with the BOM
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_trends_csv_has_a_row_an_organisation_and_period(coordinator, data):
    response = coordinator.get(reverse("trends:trends_export", args=["csv"]), PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    header, september, october = rows
    assert header[0] == "องค์กร"
    with translation.override("th"):  # a Christian-era date, and the header says so
        assert header[2] == date_column(gettext("Period starts"))
    assert september[1] == "ก.ย. 2569"  # Thai survives
    assert september[2] == "2026-09-01"
    assert september[3:7] == ["1", "2", "1", "50"]  # sessions, people, AARs, completion %
    assert october[3:6] == ["0", "0", "0"] and october[6] == ""


def test_a_cell_like_a_formula_is_neutralised_in_csv(coordinator, data):
    rows = _csv(coordinator.get(reverse("trends:trends_export", args=["csv"]), PERIOD))
    assert rows[1][0] == "'" + data.short_name
    compare = _csv(coordinator.get(reverse("trends:compare_export", args=["csv"]), PERIOD))
    assert compare[1][0] == "'" + data.short_name


@pytest.mark.parametrize("name", ["trends:trends_export", "trends:compare_export"])
def test_xlsx_is_neutralised_and_keeps_thai(coordinator, data, name):
    response = coordinator.get(reverse(name, args=["xlsx"]), PERIOD)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "'" + data.short_name
    assert sheet.cell(row=2, column=1).data_type == "s"  # text, not a formula
    assert "องค์กร" in rows[0][0]


def test_compare_csv_follows_the_sort(coordinator_user, coordinator, data):
    from sessions_app.models import Membership
    from tests.factories import MembershipFactory, OrganisationFactory

    quiet = OrganisationFactory(name="องค์กรเงียบ", short_name="เงียบ")
    MembershipFactory(user=coordinator_user, organisation=quiet, role=Membership.Role.COORDINATOR)
    rows = _csv(
        coordinator.get(
            reverse("trends:compare_export", args=["csv"]), {**PERIOD, "sort": "-participants"}
        )
    )
    assert [row[0] for row in rows[1:]] == ["'" + data.short_name, "เงียบ"]
    assert rows[1][1:5] == ["1", "2", "1", "50"]


def test_an_unknown_format_is_404(coordinator, db):
    assert coordinator.get("/followup/trends/export.pdf").status_code == 404
    assert coordinator.get("/followup/trends/organisations/export.pdf").status_code == 404


def test_an_export_with_a_refused_period_still_answers(coordinator, data):
    response = coordinator.get(reverse("trends:trends_export", args=["csv"]), {"year": "9999"})
    assert response.status_code == 200
    assert len(_csv(response)) == 1 + 12  # the default twelve months


def test_outsider_export_holds_none_of_our_figures(outsider, data):
    for name in ("trends:trends_export", "trends:compare_export"):
        body = outsider.get(reverse(name, args=["csv"]), PERIOD).content.decode("utf-8-sig")
        assert "HYPERLINK" not in body

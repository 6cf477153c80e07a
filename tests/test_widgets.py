"""FastSelect and FastSelectMultiple render exactly the HTML of Django's Select and
SelectMultiple, only faster."""

import pytest
from django import forms
from django.http import QueryDict

from peerassist.widgets import FastSelect, FastSelectMultiple
from sessions_app.models import Organisation
from tests.factories import OrganisationFactory

CHOICES = [
    ("", "ทั้งหมด"),
    ("a", 'Quote " & <b>'),
    (1, "หนึ่ง"),
    ("Group <g>", [("x", "เอ็กซ์"), ("y", "วาย")]),
]


@pytest.mark.parametrize("value", [None, "", "a", 1, "1", "y", "missing", '"><script>'])
@pytest.mark.parametrize(
    "attrs", [None, {"class": "form-select", "id": "id_f"}, {"disabled": True, "data-x": False}]
)
def test_same_html_as_django_select(value, attrs):
    expected = forms.Select(choices=CHOICES).render("field", value, attrs)
    assert FastSelect(choices=CHOICES).render("field", value, attrs) == expected
    assert "<script>" not in expected


@pytest.mark.django_db
def test_same_html_for_model_choices():
    OrganisationFactory.create_batch(3, name="<องค์กร>")
    chosen = Organisation.objects.first()

    class Form(forms.Form):
        plain = forms.ModelChoiceField(Organisation.objects.all(), required=False)
        fast = forms.ModelChoiceField(Organisation.objects.all(), required=False, widget=FastSelect)

    form = Form({"plain": chosen.pk, "fast": chosen.pk})
    assert str(form["fast"]).replace("fast", "plain") == str(form["plain"])
    assert "selected" in str(form["fast"])


@pytest.mark.parametrize("value", [None, [], ["a"], ["a", 1], ["1", "y"], ['"><script>']])
@pytest.mark.parametrize("attrs", [None, {"class": "form-select", "id": "id_f", "size": 6}])
def test_same_html_as_django_select_multiple(value, attrs):
    expected = forms.SelectMultiple(choices=CHOICES).render("field", value, attrs)
    fast = FastSelectMultiple(choices=CHOICES).render("field", value, attrs)
    assert fast == expected
    assert " multiple" in fast and "<script>" not in fast


def test_select_multiple_reads_every_value_chosen():
    data = QueryDict("field=a&field=1")
    assert FastSelectMultiple().value_from_datadict(data, {}, "field") == ["a", "1"]
    assert not FastSelectMultiple().value_omitted_from_data(QueryDict(""), {}, "field")

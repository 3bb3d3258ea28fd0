"""Date fields say which format they expect and read dates the Indonesian way."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.utils import translation

from prima.organizations.datefields import DateField, DateTimeField


class Form(forms.Form):
    day = DateField(required=False)
    moment = DateTimeField(required=False)


def test_dates_are_read_day_first_and_iso_still_works():
    form = Form({"day": "05/12/2025", "moment": "19/11/2025 10.00"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(2025, 12, 5)  # 5 December, not 12 May
    assert form.cleaned_data["moment"].replace(tzinfo=None) == datetime(2025, 11, 19, 10, 0)
    iso = Form({"day": "2025-12-05", "moment": "2025-11-19T10:00"})
    assert iso.is_valid() and iso.cleaned_data["day"] == date(2025, 12, 5)


def test_the_field_says_its_format_in_the_users_language():
    with translation.override("id"):
        html = str(Form(initial={"day": date(2025, 12, 5)})["day"].as_field_group())
        assert 'placeholder="hh/bb/tttt"' in html
        assert 'value="05/12/2025"' in html
        assert "Hari/bulan/tahun, mis. 19/11/2025." in html
        bad = Form({"day": "12/31/2025"})
        assert not bad.is_valid()
        assert "hari/bulan/tahun" in bad.errors["day"][0]
    with translation.override("en"):
        assert 'placeholder="dd/mm/yyyy"' in str(Form()["day"])

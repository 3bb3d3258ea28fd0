"""The template filters format numbers, money, dates and durations Indonesian-style and
never break a page: what they cannot format is shown as it is."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from prima.front.templatetags.prima import angka, durasi, jam, rupiah, tanggal, tanggal_jam


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def test_numbers_and_money_are_formatted_indonesian_style():
    assert angka(1234567) == "1.234.567"
    assert angka(Decimal("1234.56"), 1) == "1.234,6"
    assert angka("2500") == "2.500"
    assert rupiah(350000) == "Rp 350.000"
    assert durasi(3900) == "1 jam 5 menit"


@pytest.mark.parametrize(
    "value", ["–", "n/a", "abc", float("nan"), float("inf"), Decimal("NaN"), [1], object()]
)
def test_number_filters_show_what_they_cannot_format_as_it_is(value):
    for fmt in (angka, rupiah, durasi):
        assert fmt(value) == str(value)


@pytest.mark.parametrize("arg", ["x", None, "", "99"])
def test_a_bad_argument_falls_back(arg):
    assert angka(1234, arg) in {"1.234", "1.234,0000000000"}


def test_empty_values_give_nothing():
    for fmt in (angka, rupiah, durasi, tanggal, tanggal_jam, jam):
        assert fmt(None) == "" and fmt("") == ""  # type: ignore[arg-type]


def test_date_filters_show_what_they_cannot_format_as_it_is():
    moment = datetime(2025, 11, 19, 3, 0, tzinfo=UTC)
    assert tanggal(moment) == "Rabu, 19 November 2025"
    assert tanggal("–") == "–"  # type: ignore[arg-type]
    assert tanggal_jam("kemarin") == "kemarin"  # type: ignore[arg-type]
    assert jam(42) == "42"  # type: ignore[arg-type]
    # A bad zone argument:
    assert tanggal(moment, 17) == "Rabu, 19 November 2025"  # type: ignore[arg-type]


def test_a_placeholder_piped_into_a_number_filter_renders():
    # The bug the probe found: default_if_none:"–"|angka raised InvalidOperation (500).
    html = Template('{{ v|default_if_none:"–"|angka }} {{ w|angka }}').render(
        Context({"v": None, "w": 12000})
    )
    assert html == "– 12.000"

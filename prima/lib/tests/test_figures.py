"""Golden cases for the figure extractor (``data/figures_golden.txt``) and its guarantees:
offsets point at the words, and no text makes it fail."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prima.lib.figures import Kind, extract, number_text, parse_number

GOLDEN = Path(__file__).parent / "data" / "figures_golden.txt"


def _cases() -> list[tuple[str, list[tuple[str, str]]]]:
    cases = []
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, _, expected = line.partition(" =>")
        figures = []
        for item in expected.split(" | "):
            if item.strip():
                canonical, _, matched = item.strip().partition(" @ ")
                figures.append((canonical, matched))
        cases.append((text.replace("\\n", "\n"), figures))
    return cases


CASES = _cases()


def test_there_are_several_hundred_cases():
    assert len(CASES) >= 350
    assert sum(1 for _, figures in CASES if not figures) >= 80  # must-not-match cases


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:60] for c in CASES])
def test_golden(text, expected):
    found = extract(text)
    assert [(f.canonical(), f.text) for f in found] == expected
    for figure in found:
        assert text[figure.start : figure.end] == figure.text


def test_figures_carry_structured_values():
    money, duration, date_, time_ = extract(
        "Biaya Rp 1,5 juta, selesai 4 (empat) hari kerja, Rabu (19/11/2025) pukul 10.00 WIB."
    )
    assert money.kind == Kind.MONEY and money.value == 1_500_000 and money.unit == "IDR"
    assert duration.value == 4 and duration.spelled == 4 and duration.unit == "working_days"
    assert date_.as_date.isoformat() == "2025-11-19" and date_.weekday == 2
    assert (time_.hour, time_.minute, time_.zone) == (10, 0, "WIB")


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("350.000", "350000"),
        ("350,000", "350000"),
        ("1,5", "1.5"),
        ("1.5", "1.5"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("007", "7"),
    ],  # fmt: skip
)
def test_parse_number(raw, value):
    assert number_text(parse_number(raw)) == value


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_is_safe(text):
    for figure in extract(text):
        assert 0 <= figure.start < figure.end <= len(text)
        assert text[figure.start : figure.end] == figure.text


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Rp",
                "350.000",
                "4",
                "(",
                "empat",
                ")",
                "hari",
                "kerja",
                "x",
                "24",
                "jam",
                "-",
                "Rabu",
                ",",
                "19/11/2025",
                "10.00",
                "WIB",
                "%",
                "persen",
                "juta",
                "PP",
                "No.",
                "Tahun",
                "2024",
                "0812-3456-7890",
                "satu",
                "ribu",
                "rupiah",
                "s.d.",
                "$",
                ".",
            ]
        ),  # fmt: skip
        max_size=30,
    )
)
def test_figure_like_noise_is_safe(words):
    text = " ".join(words)
    for figure in extract(text):
        assert text[figure.start : figure.end] == figure.text

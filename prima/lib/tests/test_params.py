from __future__ import annotations

import pytest
from django.http import QueryDict

from prima.lib.params import MAX_ID, ParameterError, page_number, parse_id, query_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), (" 42 ", 42), (str(MAX_ID), MAX_ID), ("", None), (None, None), (7, 7)],
)
def test_ids_in_range_are_read(value, expected):
    assert parse_id(value, "source") == expected


@pytest.mark.parametrize(
    "value", ["0", "-1", str(MAX_ID + 1), str(10**20), "1e3", "abc", "1_000", "١٢", "0x10", "1.5"]
)
def test_other_ids_are_refused_with_the_parameter_named(value):
    with pytest.raises(ParameterError) as exc:
        parse_id(value, "source")
    assert "'source'" in exc.value.message and exc.value.name == "source"


def test_a_query_dict_gives_its_last_value():
    assert query_id(QueryDict("office=3&office=5"), "office") == 5
    assert query_id({"office": ["2"]}, "office") == 2
    assert query_id({}, "office") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, 1), ("", 1), ("x", 1), ("0", 1), ("-5", 1), ("3", 3), (str(10**20), 10_000)],
)
def test_page_numbers_are_clamped(value, expected):
    assert page_number(value) == expected

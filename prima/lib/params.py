"""Bounds for numbers that come from outside: object ids, limits, offsets, page numbers.

One place for the pages' query strings and the API's parameters (whose pydantic types in
``prima.organizations.apitypes`` use these bounds): a number outside them is a clear 4xx,
never a database error (SQLite stores at most 2⁶³−1; PostgreSQL's bigint the same).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The largest id a BigAutoField can hold; no object has a bigger one.
MAX_ID = 2**63 - 1
# API pages: at most this many items per request, and offsets up to this.
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_OFFSET = 10**9
# Page numbers in the pages' lists.
MAX_PAGE = 10_000


class ParameterError(ValueError):
    """A query-string value that is not acceptable; ``message`` says why (in English,
    with the parameter's name), for a 400 answer."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        self.message = message
        super().__init__(message)


def parse_int(value: Any, name: str, *, minimum: int, maximum: int) -> int | None:
    """An integer between ``minimum`` and ``maximum`` from a query-string value; None when
    the value is missing or empty; :class:`ParameterError` for anything else."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    # int() accepts "1_000" and Unicode digits; a query string should not.
    if not (text.isascii() and text.lstrip("+-").isdigit() and len(text) <= 40):
        raise ParameterError(name, f"'{name}' must be a whole number, not {text[:40]!r}.")
    number = int(text)
    if number < minimum or number > maximum:
        raise ParameterError(
            name, f"'{name}' must be between {minimum} and {maximum}, not {text[:40]}."
        )
    return number


def parse_id(value: Any, name: str) -> int | None:
    """An object id (1 … 2⁶³−1) from a query-string value, None when empty."""
    return parse_int(value, name, minimum=1, maximum=MAX_ID)


def query_id(params: Mapping[str, Any], name: str) -> int | None:
    """The id in ``params[name]`` (the last one if repeated, as Django reads a QueryDict)."""
    value = params.get(name)
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    return parse_id(value, name)


def page_number(value: Any) -> int:
    """A page number for a list page: missing or unreadable is page 1, beyond the last
    possible page is the last possible page (a bad page number is not worth an error)."""
    try:
        number = parse_int(value, "page", minimum=-(10**40), maximum=10**40)
    except ParameterError:
        return 1
    return max(1, min(number or 1, MAX_PAGE))

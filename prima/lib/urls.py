"""Fast URLs for rows: a list page links each of its rows to the row's own page, and
Django's ``reverse()`` costs tens of microseconds a call — a page of fifty rows spent
several milliseconds of CPU on its links alone."""

from __future__ import annotations

from django.urls import get_script_prefix, reverse

_MARKER = 987654321
# (URL name, script prefix) → the text before and after the id: bounded by the number of
# URL names used this way (the script prefix is fixed per installation).
_SHAPES: dict[tuple[str, str], tuple[str, str]] = {}


def pk_url(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for a URL whose only argument is an integer id; the
    URL is reversed once per process, then the id is put in its place."""
    key = (name, get_script_prefix())
    shape = _SHAPES.get(key)
    if shape is None:
        head, marker, tail = reverse(name, args=[_MARKER]).partition(str(_MARKER))
        if not marker:  # not an id-only URL: reverse it each time
            return reverse(name, args=[pk])
        shape = _SHAPES[key] = (head, tail)
    return f"{shape[0]}{int(pk)}{shape[1]}"

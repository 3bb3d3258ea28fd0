"""Errors of the crisis services: a translated message, the field it is about (for
forms) and the HTTP status pages and the API answer with."""

from __future__ import annotations

from typing import Any


class CrisisError(Exception):
    status_code = 400

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        self.message = str(message)
        self.field = field
        super().__init__(self.message)


class InvalidInput(CrisisError):
    """A value is missing or not acceptable."""


class InvalidAction(CrisisError):
    """The case (or clarification, drill) is not in a state where this is possible."""

    status_code = 409


class FourEyesError(CrisisError):
    """The same person may not write and publish."""

    status_code = 403

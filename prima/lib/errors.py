"""The base of refused changes: apps raise a subclass when a rule says no.

Pure: no Django import (subclasses give a translated ``default_message``).
"""

from __future__ import annotations

from typing import Any


class RefusedChange(Exception):
    """A refused change; nothing was written. ``message`` is the text for the user,
    ``field`` the form field at fault (if any) and ``status_code`` the HTTP status an API
    answers with."""

    default_message: Any = "This change is not possible."
    status_code = 400

    def __init__(self, message: Any = None, *, field: str | None = None) -> None:
        self.message = str(message if message is not None else self.default_message)
        self.field = field
        super().__init__(self.message)

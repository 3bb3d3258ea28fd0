"""The crisis log: one function writes a line of a case's timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from prima.organizations.models import User

from .models import Case, CaseEvent, EventKind


def _jsonable(value: Any) -> Any:
    import json

    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def log(
    case: Case,
    kind: EventKind | str,
    *,
    actor: User | None = None,
    at: datetime | None = None,
    text: str = "",
    **data: Any,
) -> CaseEvent:
    """Append a line to ``case``'s log (in the caller's transaction)."""
    return CaseEvent.objects.create(
        case=case,
        kind=str(kind),
        actor=actor if actor is not None and actor.is_authenticated else None,
        at=at or timezone.now(),
        text=text,
        data=_jsonable(data),
    )

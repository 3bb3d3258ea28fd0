"""Request types for annotations."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind ``login_required`` (or of an API endpoint behind its
    authentication): its ``user`` is a :class:`User`, never anonymous. For annotations
    only: Django still builds plain ``HttpRequest`` objects."""

    user: User

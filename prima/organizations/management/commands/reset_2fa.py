"""``prima reset-2fa USERNAME --reason "..."``: remove a person's lost second factor."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prima.organizations import twofactor
from prima.organizations.models import User


class Command(BaseCommand):
    help = (
        "Reset a person's two-step verification (authenticator app and recovery codes) "
        "after they lost their phone; the reason goes into the audit trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--reason", required=True, help="why, e.g. 'phone lost, confirmed by phone call'"
        )

    def handle(self, *args: Any, username: str, reason: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        had = twofactor.has_device(user)
        try:
            twofactor.reset(None, user, reason=reason)
        except twofactor.TwoFactorError as exc:
            raise CommandError(str(exc)) from None
        if had:
            self.stdout.write(f"Two-step verification of {username} reset.")
        else:
            self.stdout.write(f"{username} had no authenticator app; recorded the reset anyway.")
        if twofactor.is_required(user):
            self.stdout.write("Their role requires it: they set it up again at their next sign-in.")

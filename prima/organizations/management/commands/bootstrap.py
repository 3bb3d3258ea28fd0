"""Create the top office and the first administrator of an empty PRIMA database."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from prima.organizations import audit
from prima.organizations.models import Membership, Office, OfficeLevel, Role, User


class Command(BaseCommand):
    help = (
        "Create the top office (directorate general) and the first administrator of an "
        "empty database. The password comes from PRIMA_BOOTSTRAP_PASSWORD or a prompt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office-code", default="ditjen-imigrasi")
        parser.add_argument("--office-name", default="Direktorat Jenderal Imigrasi")
        parser.add_argument("--office-short-name", default="Ditjen Imigrasi")
        parser.add_argument("--username", required=True, help="the administrator's user name")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        if Office.objects.filter(parent__isnull=True).exists():
            raise CommandError(
                "This database already has a top office: manage offices and people in the "
                "admin site instead."
            )
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"A user named {options['username']!r} exists already.")
        password = os.environ.get("PRIMA_BOOTSTRAP_PASSWORD") or self._prompt()
        user = User(
            username=options["username"],
            full_name=options["full_name"],
            email=options["email"],
            is_staff=True,
        )
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        with transaction.atomic():
            office = Office(
                code=options["office_code"],
                name=options["office_name"],
                short_name=options["office_short_name"],
                level=OfficeLevel.DIRECTORATE_GENERAL,
            )
            office.full_clean()
            office.save()
            audit.log(None, "office.create", office, after=audit.snapshot(office))
            user.office = office
            user.set_password(password)
            user.save()
            audit.log(None, "user.create", user, after=audit.snapshot(user))
            membership = Membership.objects.create(user=user, office=office, role=Role.ADMIN)
            audit.log(None, "membership.create", membership, after=audit.snapshot(membership))
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {office.name} and administrator {user.username}. "
                "Log in at /admin/ to add regional offices, offices and people."
            )
        )

    def _prompt(self) -> str:
        first = getpass.getpass("Password for the administrator: ")
        if first != getpass.getpass("Again: "):
            raise CommandError("The passwords differ.")
        return first

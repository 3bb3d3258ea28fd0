from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from prima.organizations import demo


class Command(BaseCommand):
    help = "Load demo offices, people and data (development only; refused when DEBUG is off)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            demo.load_all(self.stdout.write)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded. Demo log-ins (password {settings.DEMO_PASSWORD}):"
            )
        )
        for person in demo.PEOPLE:
            roles = ", ".join(str(r.label) for r in person.roles)
            self.stdout.write(f"  {person.username:<14} {roles:<24} {person.office_code}")

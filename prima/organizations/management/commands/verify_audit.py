from typing import Any

from django.core.management.base import BaseCommand, CommandError

from prima.organizations import audit
from prima.organizations.models import AuditEntry


class Command(BaseCommand):
    help = "Recompute the audit trail's hash chain and report any tampering (exit 1 if found)."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = audit.verify()
        total = AuditEntry.objects.count()
        if problems:
            for problem in problems:
                self.stderr.write(f"entry {problem.seq}: {problem.message}")
            raise CommandError(
                f"Audit trail TAMPERED: {len(problems)} problem(s) in {total} entries."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {total} entries verified."))

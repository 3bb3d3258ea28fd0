from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prima.organizations import audit


class Command(BaseCommand):
    help = (
        "Sign audit entries that are not keyed yet (written before the keyed chain) with "
        "PRIMA_AUDIT_KEY, after verifying them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--accept-problems",
            action="store_true",
            help="Re-sign even though the trail has problems; the problems are recorded in "
            "the audit.rekey entry.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = audit.rekey(accept_problems=options["accept_problems"])
        except audit.RekeyRefused as exc:
            for problem in exc.problems:
                self.stderr.write(f"entry {problem.seq}: {problem.message}")
            raise CommandError(
                f"Not re-signed: the audit trail has {len(exc.problems)} problem(s). "
                "Investigate them (restore a backup?); --accept-problems re-signs anyway "
                "and records them."
            ) from None
        if count:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{count} audit entries signed with the audit key. Take a new checkpoint "
                    "(`prima audit-checkpoint`)."
                )
            )
        else:
            self.stdout.write("Every audit entry is already signed with an audit key.")

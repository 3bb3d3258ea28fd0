from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from prima.organizations import audit


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's keyed chain, compare it with the signed checkpoints "
        "and report any tampering (exit 1 if found)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="Checkpoints written by `prima audit-checkpoint` (default: "
            "PRIMA_AUDIT_CHECKPOINT_FILE).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["checkpoints"] or settings.AUDIT_CHECKPOINT_FILE
        try:
            trail = audit.verify_trail(path or None)
        except FileNotFoundError:
            raise CommandError(f"No checkpoint file {path}.") from None
        problems, checkpoints, total = (
            trail.problems + trail.checkpoint_problems,
            trail.checkpoints,
            trail.total,
        )
        if problems:
            for problem in problems:
                where = f"entry {problem.seq}" if problem.seq is not None else "checkpoints"
                self.stderr.write(f"{where}: {problem.message}")
            raise CommandError(
                f"Audit trail TAMPERED: {len(problems)} problem(s) in {total} entries."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {total} entries verified."))
        if checkpoints:
            newest = max(checkpoints, key=lambda c: (c.seq, c.at))
            self.stdout.write(
                f"It matches {len(checkpoints)} checkpoint(s); the newest covers entry "
                f"{newest.seq} ({newest.at:%Y-%m-%d %H:%M} UTC)."
            )
        else:
            self.stdout.write(
                "No checkpoints given: removal of the newest entries cannot be detected "
                "(see `prima audit-checkpoint`)."
            )

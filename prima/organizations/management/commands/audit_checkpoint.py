from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from prima.organizations import audit


class Command(BaseCommand):
    help = (
        "Verify the audit trail, then print a signed checkpoint of its newest entry (and "
        "append it to the checkpoint file) to keep outside the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            metavar="FILE",
            help="Append the checkpoint to FILE (default: PRIMA_AUDIT_CHECKPOINT_FILE; "
            "without either it is only printed).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = audit.verify()
        path = options["file"] or settings.AUDIT_CHECKPOINT_FILE
        if path and Path(path).is_file():
            earlier, unreadable = audit.read_checkpoints(path)
            problems += unreadable + audit.verify_checkpoints(earlier)
        if problems:
            for problem in problems:
                self.stderr.write(f"entry {problem.seq}: {problem.message}")
            raise CommandError(
                f"No checkpoint written: the audit trail has {len(problems)} problem(s) "
                "(see `prima verify-audit`)."
            )
        checkpoint = audit.make_checkpoint()
        line = checkpoint.line()
        if path:
            with Path(path).open("a", encoding="utf-8") as out:
                out.write(line + "\n")
        self.stdout.write(line)
        where = f" and appended to {path}" if path else ""
        self.stderr.write(f"Checkpoint of entry {checkpoint.seq} written{where}.")

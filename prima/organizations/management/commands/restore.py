from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prima.organizations import backup


class Command(BaseCommand):
    help = (
        "Restore a backup taken by `prima backup` into this empty installation, check "
        "every row count and checksum against its manifest, then verify the audit trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", metavar="DIR", help="A folder written by prima backup.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup.restore(options["directory"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Restored the backup of {report.manifest['created_at']} (PRIMA "
            f"{report.manifest['prima_version']}): {report.tables} tables, {report.rows} rows "
            f"and {report.files} files match the manifest, in {report.seconds:.1f} s."
        )
        if report.migrations_missing:
            self.stdout.write(
                f"The backup is older than this PRIMA ({len(report.migrations_missing)} "
                "migrations to apply): run `prima migrate` before starting PRIMA."
            )
        for problem in report.checkpoint_problems:
            self.stdout.write(f"checkpoints: {problem.message}")
        if report.checkpoint_problems:
            self.stdout.write(
                "Checkpoints taken after the backup report its newer entries as removed: "
                "rightly. Keep the old checkpoint file as a record and start a new one "
                "(see docs/operations.md, After a restore)."
            )
        if report.audit_problems:
            for problem in report.audit_problems:
                self.stderr.write(f"entry {problem.seq}: {problem.message}")
            raise CommandError(
                f"Restored, but the audit trail is TAMPERED: {len(report.audit_problems)} "
                f"problem(s) in {report.audit_total} entries."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit trail intact: {report.audit_total} entries verified.")
        )

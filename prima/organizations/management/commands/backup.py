from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prima.organizations import backup


class Command(BaseCommand):
    help = (
        "Back up the database (a consistent copy while PRIMA runs) and every stored file "
        "into DIR (new or empty), with a manifest of row counts and checksums."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", metavar="DIR", help="A new or empty folder.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup.backup(options["directory"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        db = manifest["database"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {options['directory']}: {db['vendor']} database "
                f"({len(manifest['tables'])} tables, {sum(manifest['tables'].values())} rows, "
                f"{db['size']} bytes), {len(manifest['files'])} stored files, "
                f"in {manifest['seconds']:.1f} s."
            )
        )

"""``prima check-draft --office CODE FILE``: the automatic verification of a plain-text
draft, one JSON object per finding per line; exit 1 when there is an error."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from prima.documents.verification import services
from prima.documents.verification.types import DraftKind, Severity
from prima.organizations.models import Office

KINDS = {
    "statement": (DraftKind.STATEMENT, None),
    "release": (DraftKind.STATEMENT, True),
    "holding-statement": (DraftKind.HOLDING_STATEMENT, None),
    "key-messages": (DraftKind.KEY_MESSAGES, None),
    "answers": (DraftKind.QA, None),
}
FIELDS = ("severity", "kind", "start", "end", "text", "expected", "fact", "message")
MAX_BYTES = 5 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Check a plain-text draft against an office's published catalogue and the verified "
        "facts of its conferences; print one JSON object per finding (exit 1 on an error)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the draft (UTF-8 text); - reads standard input")
        parser.add_argument("--office", required=True, help="the office's code")
        parser.add_argument(
            "--kind",
            choices=sorted(KINDS),
            default="statement",
            help="what the draft is (default: statement; 'release' always checks the parts "
            "of a press release; key messages are one per line)",
        )
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            default=None,
            help="check against the catalogue in force on this day (YYYY-MM-DD; default "
            "today in the office's zone)",
        )
        parser.add_argument(
            "--lang", choices=["id", "en"], default="id", help="language of the messages"
        )

    def _read(self, name: str) -> str:
        try:
            if name == "-":
                raw = sys.stdin.buffer.read(MAX_BYTES + 1)
            else:
                with open(name, "rb") as handle:
                    raw = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {name}: {exc.strerror or exc}") from None
        if len(raw) > MAX_BYTES:
            raise CommandError(f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MiB.")
        # Never fail on a byte: undecodable bytes become U+FFFD (offsets count characters).
        return raw.decode("utf-8", errors="replace").removeprefix("\ufeff")

    def handle(self, *args: Any, **options: Any) -> None:
        office = Office.objects.filter(code=options["office"]).first()
        if office is None:
            raise CommandError(f"No office with the code {options['office']!r}.")
        text = self._read(options["file"])
        kind, release = KINDS[options["kind"]]
        with translation.override(options["lang"]):
            findings = services.check_text(
                office, text, kind=kind, release=release, day=options["date"]
            )
            for finding in findings:
                data = finding.as_dict()
                self.stdout.write(
                    json.dumps({key: data[key] for key in FIELDS}, ensure_ascii=False)
                )
        if any(f.severity == Severity.ERROR for f in findings):
            sys.exit(1)

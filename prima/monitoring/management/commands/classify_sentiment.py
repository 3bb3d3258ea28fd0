"""``prima classify-sentiment``: one text per line on stdin, one label per line out.

Labels are ``positive``, ``neutral`` or ``negative``; an empty line gets ``neutral``.
Bytes that are not UTF-8 are replaced, never fatal. Lines are classified in batches
(one at a time when stdin is a terminal) and the output is flushed after each batch.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandParser

from prima.monitoring.nlp.language import detect_language
from prima.monitoring.nlp.sentiment import load_model


def _lines(stream: IO[Any]) -> Iterator[str]:
    raw = getattr(stream, "buffer", stream)
    first = True
    for line in raw:
        if isinstance(line, bytes):
            line = line.decode("utf-8", errors="replace")
        if first:
            line = line.removeprefix("\ufeff")
            first = False
        yield line.rstrip("\r\n")


class Command(BaseCommand):
    help = "Classify sentiment: one text per line on stdin, one label per line on stdout."
    # ``call_command("classify_sentiment", stdin=...)`` for tests and callers.
    stealth_options = ("stdin",)
    # It may be pointed at another artefact (--model) than the shipped one.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--lang",
            choices=["auto", "id", "en"],
            default="auto",
            help="language of every line (default: detect per line)",
        )
        parser.add_argument("--batch-size", type=int, default=512)
        parser.add_argument("--model", default=None, help="artefact folder (default: shipped)")

    def handle(self, *args: Any, **options: Any) -> None:
        stream = options.get("stdin") or sys.stdin
        model = load_model(options["model"])
        lang = options["lang"]
        interactive = hasattr(stream, "isatty") and stream.isatty()
        size = 1 if interactive else max(1, options["batch_size"])
        batch: list[str] = []
        for line in _lines(stream):
            batch.append(line)
            if len(batch) >= size:
                self._emit(model, batch, lang)
                batch = []
        if batch:
            self._emit(model, batch, lang)

    def _emit(self, model: Any, texts: list[str], lang: str) -> None:
        labels = ["neutral"] * len(texts)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        if todo:
            chosen = [texts[i] for i in todo]
            langs = [detect_language(t) if lang == "auto" else lang for t in chosen]
            for i, label in zip(todo, model.predict(chosen, langs), strict=True):
                labels[i] = label
        self.stdout.write("\n".join(labels))
        self.stdout.flush()

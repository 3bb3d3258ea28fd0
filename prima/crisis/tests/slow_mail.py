"""A mail backend for the kill-and-restart test (configured only in its subprocesses):
it marks each message as being sent, takes its time, then writes it to a folder, one
file per delivery, named after the message's Message-ID — a message delivered twice
leaves two files."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

SECONDS = float(os.environ.get("CRISIS_TEST_MAIL_SECONDS", "0.4"))


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["CRISIS_TEST_MAIL_DIR"])
        for message in email_messages:
            key = message.extra_headers["Message-ID"].strip("<>").split("@", 1)[0]
            (folder / f"sending-{key}").touch()
            time.sleep(SECONDS)
            (folder / f"sent-{key}-{uuid.uuid4().hex[:8]}").write_text(message.subject)
        return len(email_messages)

"""The replaying reader: an upload is read ahead to detect its format and encoding, and
then read from the start again without seeking (uploads and zip members may not seek).
"""

from __future__ import annotations

import io
from typing import IO, Any

from ..encoding import sniff

# Bytes read ahead: enough for the format, the encoding, the delimiter and the header.
HEAD_BYTES = 64 * 1024


class ReplayingReader(io.RawIOBase):
    """A raw stream that replays bytes already read (the sniffed head), then the rest."""

    def __init__(self, head: bytes, rest: IO[bytes] | None) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            count = min(len(view), len(self._head))
            view[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        if self._rest is None:
            return 0
        chunk = self._rest.read(len(view))
        if not chunk:
            return 0
        view[: len(chunk)] = chunk
        return len(chunk)


def text_stream(head: bytes, rest: IO[bytes] | None) -> io.TextIOWrapper:
    """The whole document (``head`` then ``rest``) as text, decoded as :func:`..encoding.sniff`
    decides from the head; newlines are left to the CSV reader."""
    encoding, errors = sniff(head)
    buffered = io.BufferedReader(ReplayingReader(head, rest), buffer_size=HEAD_BYTES)
    return io.TextIOWrapper(buffered, encoding=encoding, errors=errors, newline="")

"""Small helpers for text shown to people: shortening without cutting words.

Pure functions: no Django import.
"""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")


def shorten(text: str, limit: int = 80, *, ellipsis: str = "…") -> str:
    """``text`` on one line, at most ``limit`` characters, cut at a word boundary.

    Whitespace runs become one space. A text that fits is returned whole; otherwise the
    last whole words that fit are kept and ``ellipsis`` is added (trailing punctuation
    before it is dropped). A single word longer than the limit is cut (URLs, hashes).
    """
    text = _SPACE.sub(" ", text or "").strip()
    if len(text) <= limit:
        return text
    room = max(limit - len(ellipsis), 1)
    cut = text[: room + 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    else:
        cut = cut[:room]
    return cut.rstrip(" ,;:.-–—") + ellipsis

"""Decoding text that arrives as bytes: one strategy for every parser that needs one
(social-media exports, article pages).

In order:

1. a byte-order mark (UTF-8, UTF-16, UTF-32) wins;
2. UTF-8 when the sample is valid UTF-8 and not plain ASCII (multi-byte UTF-8 that
   validates is no coincidence; pages that declare latin-1 and send UTF-8 are common);
3. a declared charset (an HTTP ``Content-Type``, a ``<meta charset>``) that decodes the
   sample — one that does not decode is skipped, and a UTF-16/32 declaration in a
   document readable as ASCII is ignored;
4. NUL-byte patterns reveal BOM-less UTF-16; then UTF-8 for plain ASCII;
5. otherwise charset detection (charset-normalizer), used only when it finds a
   non-Latin script (Cyrillic, Chinese, Arabic…): for Latin text such detectors guess
   between a dozen similar code pages (Indonesian cp1252 text comes out as cp775);
6. and else UTF-8 whose invalid bytes are read one by one as cp1252 — the Windows and
   Excel default here — so a UTF-8 file with a few cp1252 bytes keeps both its "é" and
   its "“”".

Decoding never raises: undecodable bytes become U+FFFD (or their cp1252 reading).
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable

# Bytes of the head that the strategy looks at.
SAMPLE_BYTES = 64 * 1024
FALLBACK_ERRORS = "prima_cp1252_fallback"

_CP1252 = {
    b: bytes([b]).decode("cp1252", errors="ignore") or bytes([b]).decode("latin-1")
    for b in range(0x80, 0x100)
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(_CP1252.get(b, chr(b)) for b in bad), exc.end


codecs.register_error(FALLBACK_ERRORS, _cp1252_fallback)


def known_codec(name: str | None) -> str | None:
    """Python's name for a charset label (``"windows-1252"`` → ``"cp1252"``), or None."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None


def _valid_utf8(sample: bytes) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is still UTF-8.
        return exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data"
    return True


def _utf16_without_bom(sample: bytes) -> str | None:
    sample = sample[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > half * 0.4 and even_nuls < half * 0.1:
        return "utf-16-le"
    if even_nuls > half * 0.4 and odd_nuls < half * 0.1:
        return "utf-16-be"
    return None


def _non_latin_guess(sample: bytes) -> str | None:
    """charset-normalizer's codec when the text it finds is mostly in a non-Latin script."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed with trafilatura
        return None
    best = from_bytes(sample[:SAMPLE_BYTES]).best()
    codec = known_codec(best.encoding) if best is not None else None
    if codec is None:
        return None
    letters = [ch for ch in str(best) if ch.isalpha() and not ch.isascii()]
    other_script = sum(1 for ch in letters if ch > "\u024f")
    return codec if letters and other_script * 2 > len(letters) else None


def sniff(head: bytes, declared: Iterable[str | None] = ()) -> tuple[str, str]:
    """``(encoding, errors)`` to decode a document that starts with ``head``.

    ``declared`` are charset labels from outside the bytes (a header, a meta tag), most
    trusted first. See the module docstring for the order.
    """
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name, FALLBACK_ERRORS if name == "utf-8-sig" else "replace"
    sample = head[:SAMPLE_BYTES]
    # Multi-byte UTF-8 that validates is not a coincidence: a page that declares latin-1
    # and sends UTF-8 (common) is read as UTF-8.
    utf8 = _valid_utf8(sample)
    if utf8 and not sample.isascii():
        return "utf-8", FALLBACK_ERRORS
    for label in declared:
        codec = known_codec(label)
        if codec is None or codec in _WIDE or codec == "ascii":
            continue  # a page that says UTF-16 in ASCII-readable markup is not UTF-16
        if codec == "utf-8":
            if utf8:
                return codec, FALLBACK_ERRORS
            continue
        try:
            sample.decode(codec)
        except UnicodeDecodeError:
            continue
        return codec, "replace"
    wide = _utf16_without_bom(sample)
    if wide:
        return wide, "replace"
    if utf8:
        return "utf-8", FALLBACK_ERRORS
    guess = _non_latin_guess(sample)
    if guess is not None:
        return guess, "replace"
    return "utf-8", FALLBACK_ERRORS


def decode(data: bytes, declared: Iterable[str | None] = ()) -> str:
    """Decode a whole document with :func:`sniff`'s choice; never raises. A byte-order
    mark is not part of the text."""
    encoding, errors = sniff(data[:SAMPLE_BYTES], declared)
    return data.decode(encoding, errors=errors).removeprefix("\ufeff")

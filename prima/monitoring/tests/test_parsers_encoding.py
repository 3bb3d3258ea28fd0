"""The parsers' one decoding strategy (exports and article pages alike)."""

from __future__ import annotations

import pytest

from prima.monitoring.parsers import encoding
from prima.monitoring.parsers.article import decode_html
from prima.monitoring.parsers.social import parse_social

INDONESIAN = "Pelayanan paspor di Kanim Soekarno-Hatta “cepat” dan ramah; café di ruang tunggu."
RUSSIAN = (
    "Паспортный стол сегодня закрыт, приходите завтра утром. Очередь в визовый центр "
    "очень длинная, сотрудники работают медленно."
)


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
def test_exports_and_pages_decode_the_same_way(codec: str) -> None:
    data = INDONESIAN.encode(codec)
    assert encoding.decode(data) == INDONESIAN
    assert decode_html(data) == INDONESIAN


def test_utf8_wins_over_a_wrong_latin1_declaration() -> None:
    data = f"<p>{INDONESIAN}</p>".encode()
    assert INDONESIAN in decode_html(data, "text/html; charset=iso-8859-1")


def test_a_declared_charset_is_used_when_it_fits() -> None:
    data = RUSSIAN.encode("koi8-r")
    assert encoding.decode(data, ["koi8-r"]) == RUSSIAN
    assert encoding.decode(data, ["no-such-charset", "koi8-r"]) == RUSSIAN


def test_non_latin_text_without_a_declaration_is_detected() -> None:
    data = (RUSSIAN + "\n") * 5
    assert encoding.decode(data.encode("cp1251")) == data


def test_latin_text_without_a_declaration_is_read_as_cp1252_not_a_guess() -> None:
    # charset detectors call this cp775 (Baltic); Windows and Excel here write cp1252.
    assert encoding.decode(INDONESIAN.encode("cp1252")) == INDONESIAN


def test_a_social_export_in_cp1251_keeps_its_text() -> None:
    rows = "\n".join(f'"{RUSSIAN} {i}",@u{i}' for i in range(5))
    data = ("teks,akun\n" + rows).encode("cp1251")
    result = parse_social(data)
    assert [i.text for i in result.items] == [f"{RUSSIAN} {i}" for i in range(5)]

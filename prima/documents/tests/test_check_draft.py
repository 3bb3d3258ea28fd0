"""``prima check-draft``: one JSON object per finding, exit 1 on an error, never a crash."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command


def _run(tmp_path, text, *args, data: bytes | None = None):
    path = tmp_path / "draft.txt"
    path.write_bytes(data if data is not None else text.encode("utf-8"))
    out = []

    class Out:
        def write(self, line):
            out.append(line)

        def flush(self):
            pass

    code = 0
    try:
        call_command("check_draft", str(path), "--office", "soetta", *args, stdout=Out())
    except SystemExit as exc:
        code = exc.code  # type: ignore[assignment]
    lines = "".join(out).splitlines()
    return code, [json.loads(line) for line in lines if line.strip()]


def test_it_prints_each_finding_and_exits_1_on_an_error(tmp_path, passports):
    text = "Biaya paspor biasa masa berlaku 10 tahun Rp 350.000 sejak Rabu, 20 November 2025."
    code, findings = _run(tmp_path, text, "--date", "2025-11-19", "--lang", "en")
    assert code == 1
    first = findings[0]
    assert set(first) == {"severity", "kind", "start", "end", "text", "expected", "fact", "message"}
    assert (first["severity"], first["kind"], first["text"]) == (
        "error",
        "contradiction",
        "Rp 350.000",
    )
    assert text[first["start"] : first["end"]] == "Rp 350.000"
    assert first["expected"] == "Rp 650.000" and "Paspor Biasa" in first["fact"]
    assert any(f["kind"] == "weekday" for f in findings)


def test_a_clean_draft_exits_0(tmp_path, passports):
    code, findings = _run(
        tmp_path, "Biaya paspor biasa 5 tahun Rp 350.000.", "--date", "2025-11-19"
    )
    assert code == 0 and all(f["severity"] != "error" for f in findings)


def test_the_catalogue_of_the_day_asked_for_applies(tmp_path, passports):
    # Before the catalogue's version applied there was no published fee to contradict.
    code, findings = _run(
        tmp_path, "Biaya paspor biasa 5 tahun Rp 300.000.", "--date", "2024-01-01"
    )
    assert code == 0
    assert {f["kind"] for f in findings if f["severity"] != "info"} == {"unsupported"}


def test_key_messages_are_one_per_line(tmp_path, passports):
    code, findings = _run(
        tmp_path, "1. Satu\n2. Dua\n3. Tiga\n4. Empat\n", "--kind", "key-messages"
    )
    assert code == 1 and findings[0]["kind"] == "key_messages"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xfe\x00\x00garbage\x80",
        "Rp 350.000 \u202e\U0001f600 pukul 10.00".encode(),
        b"\xef\xbb\xbfSIARAN PERS\n",
        bytes(range(256)) * 20,
    ],
)
def test_any_bytes_are_read_without_a_crash(tmp_path, passports, data):
    code, _findings = _run(tmp_path, "", data=data)
    assert code in (0, 1)


def test_an_unknown_office_or_file_is_refused(tmp_path, offices):
    with pytest.raises(CommandError, match="No office"):
        call_command("check_draft", str(tmp_path / "x.txt"), "--office", "nope")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("check_draft", str(tmp_path / "missing.txt"), "--office", "soetta")

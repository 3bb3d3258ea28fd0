"""Tests for social-media exports (prima.monitoring.parsers.social and .mapping)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import translation

from prima.monitoring.parsers import (
    GENERIC_CSV,
    ArchiveLimits,
    ColumnMapping,
    ParsedItem,
    Rejected,
    inspect_columns,
    iter_social,
    parse_social,
    suggest_mapping,
)

FIXTURES = Path(__file__).parent / "fixtures"
ID_CSV = (FIXTURES / "social_id.csv").read_bytes()
TWITTER = (FIXTURES / "twitter_v2.json").read_bytes()
NDJSON = (FIXTURES / "social.ndjson").read_bytes()

ENGLISH_CSV = (
    "id,text,author,url,posted_at,platform,likes,shares,comments,followers\n"
    "p1,Passport queue is long today,Rina,https://www.facebook.com/p/1,"
    "2025-11-19T10:00:00+07:00,facebook,10,2,1,500\n"
    "p2,Great service at the airport,Budi,,19/11/2025 11:00,Twitter,1.2K,30,4,1.234\n"
)


@pytest.fixture(autouse=True)
def _english_messages():
    """Refusal messages are translated; these tests read the English originals."""
    with translation.override("en"):
        yield


# --- CSV ------------------------------------------------------------------------------


def test_an_indonesian_csv_is_mapped_from_its_headers() -> None:
    result = parse_social(ID_CSV, filename="ekspor.csv")
    assert result.ok
    first, second, third = result.items
    assert first.text.startswith("Antrean paspor di Kantor Imigrasi")
    assert first.author == "Warga Jakarta"
    assert first.author_handle == "warga_jkt"
    assert first.author_followers == 1234
    assert (first.likes, first.comments, first.shares) == (1200, 15, 3000)
    assert first.published_at == datetime(2025, 11, 19, 3, 0, tzinfo=UTC)
    assert first.platform == "twitter"
    assert first.external_id == "https://x.com/warga_jkt/status/111"
    assert second.text == "Layanan paspor akhir pekan dibuka; silakan daftar lewat aplikasi"
    assert second.author_followers == 12500
    assert second.platform == "instagram"
    # Row 5: bad date and follower count are warnings, the javascript: URL is dropped.
    assert third.published_at is None and third.url == ""
    assert third.raw["_warnings"] == [
        "unreadable date 'tanggal salah'",
        "unreadable author_followers 'abc'",
    ]
    assert third.external_id.startswith("sha256:")
    assert result.rejected == [Rejected(4, "the post text is empty (column 'Isi')")]


def test_an_english_csv_uses_the_generic_columns() -> None:
    for mapping in (None, GENERIC_CSV):
        result = parse_social(ENGLISH_CSV.encode(), mapping=mapping)
        assert [i.external_id for i in result.items] == ["p1", "p2"]
        assert result.items[1].likes == 1200
        assert result.items[1].author_followers == 1234
        assert result.items[1].platform == "twitter"
        assert result.items[0].published_at == datetime(2025, 11, 19, 3, 0, tzinfo=UTC)


def test_suggest_mapping_understands_indonesian_and_english_headers() -> None:
    mapping = suggest_mapping(
        ["No", "Tanggal Posting (WIB)", "Akun", "Nama Akun", "Isi", "Pengikut", "Suka",
         "Komentar", "Dibagikan", "Tautan"]
    )  # fmt: skip
    assert mapping.fields == {
        "text": ("Isi",),
        "url": ("Tautan",),
        "published_at": ("Tanggal Posting (WIB)",),
        "author_handle": ("Akun",),
        "author": ("Nama Akun",),
        "author_followers": ("Pengikut",),
        "likes": ("Suka",),
        "comments": ("Komentar",),
        "shares": ("Dibagikan",),
    }
    assert suggest_mapping(["teks", "waktu", "link"]).fields == {
        "text": ("teks",),
        "published_at": ("waktu",),
        "url": ("link",),
    }
    assert suggest_mapping(["konten", "tgl"]).sources("text") == ("konten",)
    assert suggest_mapping(["a", "b"]).fields == {}


def test_a_missing_text_column_is_a_clear_error() -> None:
    result = parse_social(b"tanggal,akun\n19/11/2025,@a\n")
    assert not result.items
    assert "No column for the post text" in result.errors[0]
    assert "'tanggal', 'akun'" in result.errors[0]


def test_an_explicit_mapping_reports_missing_optional_columns() -> None:
    mapping = ColumnMapping.from_dict({"fields": {"text": "Isi", "likes": ["Jempol"]}})
    result = parse_social(ID_CSV, mapping=mapping)
    assert len(result.items) == 3
    assert result.items[0].likes is None
    assert "'Jempol' for likes is not in the file" in result.warnings[0]


def test_mappings_round_trip_through_json_and_refuse_unknown_fields() -> None:
    mapping = ColumnMapping.from_dict(json.loads(json.dumps(GENERIC_CSV.to_dict())))
    assert mapping == GENERIC_CSV
    with pytest.raises(ValueError, match="unknown field"):
        ColumnMapping.from_dict({"fields": {"txet": "x"}})


@pytest.mark.parametrize(
    ("encoding", "quotes"),
    [
        ("utf-8-sig", "“”"),
        ("utf-16", "“”"),
        ("utf-16-le", "“”"),
        ("utf-16-be", "“”"),
        ("cp1252", "“”"),
        ("latin-1", '""'),
    ],
)
def test_encodings(encoding: str, quotes: str) -> None:
    text = f"teks,akun\nCafé dekat kantor imigrasi {quotes[0]}ramai{quotes[1]},@andré\nKedua,@b\n"
    result = parse_social(text.encode(encoding))
    assert result.items[0].text == f"Café dekat kantor imigrasi {quotes[0]}ramai{quotes[1]}"
    assert result.items[0].author_handle == "andré"
    assert len(result.items) == 2


def test_utf8_with_stray_cp1252_bytes_keeps_both() -> None:
    data = "teks\nNaïve café ".encode() + b"caf\xe9 \x93kutip\x94\n"
    (item,) = parse_social(data).items
    assert item.text == "Naïve café café “kutip”"


def test_truncated_and_damaged_rows_are_rejected_and_good_rows_kept() -> None:
    good = "".join(f"Pos nomor {i},@a{i}\n" for i in range(5))
    huge = '"' + "x" * 200_000 + '",@big\n'  # over the csv field size limit
    data = ("teks,akun\n" + good + huge + ",@kosong\n" + good + '"terpotong di tengah').encode()
    result = parse_social(data)
    texts = [i.text for i in result.items]
    assert texts[:10] == [f"Pos nomor {i}" for i in range(5)] * 2
    assert texts[-1] == "terpotong di tengah"
    reasons = {r.position: r.reason for r in result.rejected}
    assert "could not be read" in reasons[7]
    assert "text is empty" in reasons[8]


def test_blank_lines_and_extra_cells_are_tolerated() -> None:
    data = b"\n\nteks;akun\n\nsatu;@a;ekstra\n;\ndua\n"
    result = parse_social(data)
    assert [i.text for i in result.items] == ["satu", "dua"]
    assert result.items[0].raw["_extra"] == ["ekstra"]


class EndlessCsv(io.RawIOBase):
    """A million-row CSV made on demand, counting the bytes handed out."""

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.row = 0
        self.pending = b"id,text,author,likes\n"
        self.handed_out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: object) -> int:
        view = memoryview(buffer).cast("B")  # type: ignore[arg-type]
        while len(self.pending) < len(view) and self.row < self.rows:
            self.pending += f"{self.row},Pos ke-{self.row} tentang paspor,@u{self.row},1\n".encode()
            self.row += 1
        count = min(len(view), len(self.pending))
        view[:count] = self.pending[:count]
        self.pending = self.pending[count:]
        self.handed_out += count
        return count


def test_large_csv_files_are_streamed() -> None:
    source = EndlessCsv(1_000_000)
    stream = iter_social(io.BufferedReader(source), filename="besar.csv")
    iterator = iter(stream)
    first = [next(iterator) for _ in range(5)]
    assert [i.external_id for i in first if isinstance(i, ParsedItem)] == ["0", "1", "2", "3", "4"]
    assert source.handed_out < 512 * 1024  # only the first chunks were read
    count = sum(1 for _ in zip(range(50_000), iterator, strict=False))
    assert count == 50_000
    assert source.handed_out < 5 * 1024 * 1024


# --- JSON and NDJSON ------------------------------------------------------------------


def test_a_twitter_v2_response_is_recognised_and_joined_with_its_users() -> None:
    stream = iter_social(TWITTER, filename="search.json")
    entries = list(stream)
    assert stream.mapping is not None and stream.mapping.name == "twitter_v2_json"
    first, second, rejected = entries
    assert isinstance(first, ParsedItem) and isinstance(second, ParsedItem)
    assert first.author == "Berita Bandara"
    assert first.author_handle == "beritabandara"
    assert first.author_followers == 50210
    assert (first.likes, first.shares, first.comments) == (150, 12, 3)
    assert first.url == "https://x.com/i/status/1991000000000000001"
    assert first.platform == "twitter"
    assert first.lang_hint == "in"
    assert second.author == "Rina"
    assert rejected == Rejected(3, "the post text is empty (column 'note_tweet.text', 'text')")


def test_a_json_array_with_nested_fields() -> None:
    data = json.dumps(
        [
            {"id": 1, "content": "Satu", "user": {"name": "Andi", "screen_name": "andi"}},
            "bukan objek",
            {"id": 2, "content": "Dua", "created_at": "2025-11-19 10:00"},
        ]
    ).encode()
    result = parse_social(data)
    assert [(i.external_id, i.text, i.author) for i in result.items] == [
        ("1", "Satu", "Andi"),
        ("2", "Dua", ""),
    ]
    assert result.rejected == [Rejected(2, "the element is not a JSON object")]


def test_a_truncated_json_array_keeps_its_complete_elements() -> None:
    full = json.dumps([{"text": f"Pos {i}"} for i in range(10)]).encode()
    data = full[: full.index(b'{"text": "Pos 8"') + 12]
    result = parse_social(data)
    assert [i.text for i in result.items] == [f"Pos {i}" for i in range(8)]
    assert "cut off or damaged" in result.errors[0]
    truncated_v2 = TWITTER[: TWITTER.index(b'"includes"') - 20]
    assert parse_social(truncated_v2).items


def test_ndjson_lines_are_read_one_by_one() -> None:
    result = parse_social(NDJSON, filename="data.ndjson")
    assert [(i.external_id, i.author, i.author_handle, i.likes) for i in result.items] == [
        ("a1", "Andi", "andi", 1500),
        ("a2", "Budi", "", None),
    ]
    assert [r.position for r in result.rejected] == [2, 5]
    assert "not valid JSON" in result.rejected[0].reason


@pytest.mark.parametrize(
    "data", [b"", b"   \n", b"{", b"[1, 2", b"null", b'"text"', b"[[[[[[" * 50_000]
)
def test_unreadable_json_gives_an_error(data: bytes) -> None:
    result = parse_social(data, filename="x.json")
    assert not result.items
    assert result.errors


# --- zip archives -----------------------------------------------------------------------


def make_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_of_exports_is_read_member_by_member() -> None:
    data = make_zip(
        {
            "ekspor/x.csv": ID_CSV,
            "ekspor/twitter.json": TWITTER,
            "__MACOSX/ekspor/._x.csv": b"junk",
            "ekspor/readme.pdf": b"%PDF-1.4",
        }
    )
    result = parse_social(data, filename="ekspor.zip")
    assert len(result.items) == 5
    assert {r.source for r in result.rejected} == {"ekspor/x.csv", "ekspor/twitter.json"}
    assert result.errors == []
    assert result.warnings == ["ekspor/readme.pdf: skipped (not a CSV, JSON or NDJSON file)."]


def test_a_zip_from_a_non_seekable_stream() -> None:
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def readinto(self, buffer: object) -> int:
            return self.inner.readinto(buffer)  # type: ignore[arg-type]

    result = parse_social(io.BufferedReader(Pipe(make_zip({"a.csv": ID_CSV}))))
    assert len(result.items) == 3


@pytest.fixture
def english():
    """Refusals in English, for the tests that read them (Indonesian is the default)."""
    with translation.override("en"):
        yield


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    "name", ["../../etc/cron.d/x.csv", "/abs/x.csv", "C:/x.csv", "a\\..\\..\\x.csv"]
)
def test_zip_path_traversal_is_refused(name: str) -> None:
    result = parse_social(make_zip({"ok.csv": ID_CSV, name: ID_CSV}))
    assert not result.items
    assert "unsafe path" in result.errors[0]


@pytest.mark.usefixtures("english")
def test_nested_archives_are_refused() -> None:
    inner = make_zip({"a.csv": ID_CSV})
    result = parse_social(make_zip({"dalam.zip": inner, "b.csv": ID_CSV}))
    assert len(result.items) == 3
    assert result.errors == ["dalam.zip: archives inside archives are refused."]


@pytest.mark.usefixtures("english")
def test_zip_bombs_and_big_archives_are_refused() -> None:
    bomb = make_zip({"bom.csv": b"teks\n" + b"a" * (30 * 1024 * 1024)})
    result = parse_social(bomb)
    assert not result.items
    assert "decompression bomb" in result.errors[0]
    many = make_zip({f"f{i}.csv": b"teks\nx\n" for i in range(60)})
    assert "at most 50" in parse_social(many).errors[0]
    small_limits = ArchiveLimits(max_total_bytes=1000, max_member_bytes=10_000)
    two = make_zip({"a.csv": b"teks\n" + b"a" * 600, "b.csv": b"teks\n" + b"b" * 600})
    assert "too large" in parse_social(two, limits=small_limits).errors[0]


def test_a_damaged_zip_gives_an_error() -> None:
    data = make_zip({"a.csv": ID_CSV * 50})
    result = parse_social(data[: len(data) // 2] + b"\x00" * 100)
    assert result.errors


# --- previews ---------------------------------------------------------------------------


def test_inspect_columns_for_a_mapping_form() -> None:
    fmt, columns, mapping = inspect_columns(ID_CSV)
    assert fmt == "csv"
    assert columns[:3] == ["No", "Tanggal Posting (WIB)", "Akun"]
    assert mapping is not None and mapping.sources("text") == ("Isi",)
    fmt, columns, mapping = inspect_columns(TWITTER)
    assert fmt == "json"
    assert "public_metrics.like_count" in columns
    assert mapping is not None and mapping.name == "twitter_v2_json"


# --- the CSV delimiter is judged on whole records, not the first line ------------------------

EXCEL_SEMICOLON = (
    "Akun;Isi (teks, foto, video, tautan);Tanggal, jam;Suka\n"
    'warga1;"Antrean paspor lama, tapi petugas ramah; terima kasih";19/11/2025 08.00;1,5 rb\n'
    "warga2;Autogate cepat, mantap, lancar sekali;19/11/2025 09.00;12\n"
    "warga3;Info jadwal, lokasi, syarat paspor;19/11/2025 10.00;3\n"
)


def test_a_semicolon_export_from_excel_with_commas_everywhere_reads_right() -> None:
    from prima.monitoring.parsers.social import sniff_delimiter

    assert sniff_delimiter(EXCEL_SEMICOLON) == ";"
    result = parse_social(EXCEL_SEMICOLON.encode("cp1252"))
    assert [i.author_handle for i in result.items] == ["warga1", "warga2", "warga3"]
    assert result.items[0].text == "Antrean paspor lama, tapi petugas ramah; terima kasih"
    assert result.items[0].likes == 1500


def test_a_first_record_spanning_lines_does_not_confuse_the_delimiter() -> None:
    from prima.monitoring.parsers.social import sniff_delimiter

    data = (
        '"Isi\npostingan";"Akun"\n'
        '"Baris satu, dua, tiga\nbaris kedua, empat, lima";"@a"\n'
        '"Kedua, enam";"@b"\n'
        '"Ketiga";"@c"\n'
    )
    assert sniff_delimiter(data) == ";"
    result = parse_social(data.encode())
    assert [i.author_handle for i in result.items] == ["a", "b", "c"]
    assert result.items[0].text.startswith("Baris satu, dua, tiga")


def test_excels_sep_line_is_obeyed_and_skipped() -> None:
    data = b"sep=;\r\nteks;akun\r\nHalo, semua;@a\r\nApa kabar, Soetta;@b\r\n"
    result = parse_social(data)
    assert [(i.text, i.author_handle) for i in result.items] == [
        ("Halo, semua", "a"),
        ("Apa kabar, Soetta", "b"),
    ]
    fmt, columns, _mapping = inspect_columns(data)
    assert (fmt, columns) == ("csv", ["teks", "akun"])


@pytest.mark.parametrize("key", ["data", "items", "results", "posts", "statuses", "records",
                                 "mentions"])  # fmt: skip
def test_every_record_key_is_read_and_salvaged_alike(key: str) -> None:
    from prima.monitoring.parsers.social import RECORD_KEYS

    assert key in RECORD_KEYS
    whole = json.dumps({key: [{"text": f"Pos {i}"} for i in range(3)]}).encode()
    assert [i.text for i in parse_social(whole).items] == ["Pos 0", "Pos 1", "Pos 2"]
    cut = parse_social(whole[:-12])
    assert [i.text for i in cut.items] == ["Pos 0", "Pos 1"]
    assert any("cut off" in e for e in cut.errors)

"""Figures in Indonesian and English text — money, durations, percentages, counts, dates and
times — written in digits or in words, with the character offsets where they stand.

``extract(text)`` returns :class:`Figure` values in text order::

    "Biaya paspor Rp 350.000, selesai 4 (empat) hari kerja, Rabu (19/11/2025) 10.00 WIB."
    → money 350000 IDR · duration 4 working_days (4) · date 2025-11-19 Wed · time 10:00 WIB

Numbers follow the writing conventions of both languages: a "." or "," followed by exactly
three digits groups thousands ("350.000", "650,000"); otherwise it is the decimal mark
("1,5 juta", "12.5%"). Scale words multiply ("Rp350 ribu", "1,5 juta", "2 million"); words
are read as numbers ("satu juta rupiah", "twenty-five days").

What is *not* a figure is masked first, so that none of its digits is read: web and e-mail
addresses, handles and hashtags, phone numbers, identity numbers (NIK), passport and plate
numbers, regulation references ("PP No. 45 Tahun 2024", "Permenkumham No. 22 Tahun 2023",
"Pasal 32 ayat (1)"), letter and decree numbers ("Nomor: W9.IMI-UM.01.01-1234"), flight
numbers and postal codes. Ordinals ("ke-3"), list markers ("1.") and names with a number
("Terminal 3", "Lantai 2") are not counts; "H-3" is not a date.

Pure module: no Django import. Cost: linear in the text; ~1 ms per 1,000 words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from .numbers import NUMBER_WORDS, read_words


class Kind(StrEnum):
    MONEY = "money"
    DURATION = "duration"
    PERCENT = "percent"
    COUNT = "count"
    DATE = "date"
    TIME = "time"


# Duration units (the catalogue's minutes / hours / working_days / days, and longer ones).
SECONDS, MINUTES, HOURS, DAYS, WORKING_DAYS = "seconds", "minutes", "hours", "days", "working_days"
WEEKS, MONTHS, YEARS = "weeks", "months", "years"
WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Figure:
    """One figure found in a text. ``text`` is ``source[start:end]``."""

    kind: Kind
    start: int
    end: int
    text: str
    value: Decimal | None = None  # amount, count, percentage, duration (lower bound)
    upper: Decimal | None = None  # the upper bound of a range ("3–4 hari kerja")
    unit: str = ""  # currency code, duration unit, or the noun counted ("wna")
    spelled: Decimal | None = None  # the number in words beside the digits: "4 (empat)"
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # the weekday as written (0 = Monday), if any
    hour: int | None = None
    minute: int | None = None
    zone: str = ""  # "WIB", "WITA", "WIT", "UTC+7", "local"; "" when none is written
    valid: bool = True  # False for a date that does not exist ("31 Februari 2025")
    scaled: bool = False  # written with a scale word ("1,6 juta"): a rounded figure

    @property
    def as_date(self) -> date | None:
        """The day, when year, month and day are all known."""
        if self.valid and self.year and self.month and self.day:
            return date(self.year, self.month, self.day)
        return None

    def canonical(self) -> str:
        """A stable one-line description: "money 350000 IDR", "date 2025-11-20 Wed"."""
        if self.kind == Kind.DATE:
            if self.day is None:
                text = f"{self.year}" + (f"-{self.month:02d}" if self.month else "")
            else:
                year = f"{self.year}" if self.year else "-"
                text = f"{year}-{self.month:02d}-{self.day:02d}"
            if self.weekday is not None:
                text += f" {WEEKDAY_ABBR[self.weekday]}"
            if not self.valid:
                text += " invalid"
            return f"date {text}"
        if self.kind == Kind.TIME:
            zone = f" {self.zone}" if self.zone else ""
            return f"time {self.hour:02d}:{self.minute:02d}{zone}"
        parts = [str(self.kind), number_text(self.value)]
        if self.upper is not None:
            parts[-1] += f"-{number_text(self.upper)}"
        if self.unit:
            parts.append(self.unit)
        if self.spelled is not None:
            parts.append(f"({number_text(self.spelled)})")
        return " ".join(parts)


def number_text(value: Decimal | None) -> str:
    """A Decimal without exponent or trailing zeros: 350000, 1.5."""
    if value is None:
        return "?"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# --- Vocabulary ----------------------------------------------------------------------------
_MONTHS = {
    **dict.fromkeys(("januari", "january", "jan"), 1),
    **dict.fromkeys(("februari", "pebruari", "february", "feb", "peb"), 2),
    **dict.fromkeys(("maret", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("agustus", "august", "agu", "agt", "ags", "aug"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec"), 12),
}
_WEEKDAYS = {
    **dict.fromkeys(("senin", "monday", "mon"), 0),
    **dict.fromkeys(("selasa", "tuesday", "tue", "tues"), 1),
    **dict.fromkeys(("rabu", "wednesday", "wed"), 2),
    **dict.fromkeys(("kamis", "thursday", "thu", "thur", "thurs"), 3),
    **dict.fromkeys(("jumat", "jum'at", "jum’at", "friday", "fri"), 4),
    **dict.fromkeys(("sabtu", "saturday", "sat"), 5),
    **dict.fromkeys(("minggu", "ahad", "sunday", "sun"), 6),
}
# The lookahead fails fast where no month name can start.
_MONTH_RE = (
    r"\b(?=[JFMASONDPjfmasondp])(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
)
# Weekdays start with a capital (lower-case "minggu" is "week").
_WEEKDAY_RE = "|".join(
    f"{w[0].upper()}{w[1:]}|{w.upper()}" for w in sorted(_WEEKDAYS, key=len, reverse=True)
)

_CURRENCY_CODES = {
    "rp": "IDR", "idr": "IDR", "usd": "USD", "sgd": "SGD", "eur": "EUR", "aud": "AUD",
    "myr": "MYR", "rm": "MYR", "jpy": "JPY", "cny": "CNY", "rmb": "CNY", "sar": "SAR",
    "gbp": "GBP", "hkd": "HKD", "krw": "KRW", "thb": "THB",
}  # fmt: skip
_CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_DOLLAR_PREFIXES = {"us": "USD", "s": "SGD", "a": "AUD", "hk": "HKD"}
_CURRENCY_WORDS = {
    "rupiah": "IDR", "dolar": "USD", "dollar": "USD", "dollars": "USD", "euro": "EUR",
    "euros": "EUR", "ringgit": "MYR", "yen": "JPY", "yuan": "CNY", "riyal": "SAR",
    "rial": "SAR", "baht": "THB", "won": "KRW",
}  # fmt: skip
_DOLLAR_OF = {"singapura": "SGD", "singapore": "SGD", "australia": "AUD", "hongkong": "HKD"}
_SCALES = {
    "ribu": 1000, "rb": 1000, "thousand": 1000, "juta": 10**6, "jt": 10**6,
    "million": 10**6, "mio": 10**6, "miliar": 10**9, "milyar": 10**9, "billion": 10**9,
    "triliun": 10**12, "trilyun": 10**12, "trillion": 10**12,
}  # fmt: skip
_MONEY_SCALES = {"m": 10**9, "t": 10**12, "k": 1000}  # "Rp 2 M", only after a currency
_DURATIONS = {
    "detik": SECONDS, "second": SECONDS, "seconds": SECONDS, "sec": SECONDS, "secs": SECONDS,
    "menit": MINUTES, "minute": MINUTES, "minutes": MINUTES, "min": MINUTES, "mins": MINUTES,
    "jam": HOURS, "hour": HOURS, "hours": HOURS, "hr": HOURS, "hrs": HOURS,
    "hari": DAYS, "day": DAYS, "days": DAYS,
    "minggu": WEEKS, "pekan": WEEKS, "week": WEEKS, "weeks": WEEKS,
    "bulan": MONTHS, "month": MONTHS, "months": MONTHS,
    "tahun": YEARS, "year": YEARS, "years": YEARS,
}  # fmt: skip
_WORKING = {"kerja", "working", "business"}  # "hari kerja", "working days"
_PERCENT_WORDS = {"persen", "percent", "pct"}
_RANGE_WORDS = {"sampai", "hingga", "to", "until"}
# Words before a number that make it a name or a position, not a count.
_NAME_BEFORE = {
    "terminal", "gate", "pintu", "lantai", "lt", "kelas", "nomor", "no", "ke", "tahap",
    "pasal", "ayat", "gedung", "jalan", "jl", "rt", "rw", "blok", "kav", "km", "tower",
    "loket", "konter", "counter", "zona", "zone", "jalur", "pier", "halaman", "hal", "page",
    "bab", "butir", "poin", "huruf", "kode", "seri", "versi", "version", "level",
    "tingkat", "gelombang", "edisi", "shift", "nomer", "number", "ruang", "room", "floor",
    "platform", "lajur", "baris", "kolom", "tabel", "gambar", "lampiran", "appendix",
    "article", "section", "chapter", "step", "langkah", "bagian", "part", "angkatan",
    "batch", "g", "hotline", "call", "area", "sektor", "sector", "wing", "pos", "dermaga",
    "berth", "apron", "bay", "slot", "nopol", "ext", "ext.", "kanwil", "region",
}  # fmt: skip
# Words after which a number from 1900 to 2099 is a year ("sejak 2022 tarifnya …").
_YEAR_BEFORE = {
    "tahun", "sejak", "pada", "hingga", "sampai", "sepanjang", "awal", "akhir", "periode",
    "semester", "since", "in", "until", "during", "year", "early", "late", "mid",
}  # fmt: skip
# Classifiers: "12 orang WNA" counts WNA.
_CLASSIFIERS = {"orang", "buah", "unit", "ekor", "lembar", "pasang", "biji", "butir"}
# Words that do not name what is counted.
_STOP = {
    "dan", "atau", "di", "ke", "dari", "pada", "yang", "untuk", "dengan", "oleh", "dalam",
    "sejak", "hingga", "sampai", "per", "sebesar", "sebanyak", "itu", "ini", "juga", "akan",
    "telah", "sudah", "masih", "serta", "bagi", "karena", "sebagai", "adalah", "ialah",
    "merupakan", "menjadi", "tersebut", "sekitar", "lebih", "kurang", "hanya", "saja",
    "the", "of", "and", "or", "in", "on", "at", "to", "from", "for", "with", "by", "is",
    "are", "was", "were", "be", "been", "a", "an", "as", "than", "more", "less", "about",
    "per", "each", "this", "that", "these", "those", "it", "its", "which", "who", "has",
    "have", "had", "will", "would", "also", "only", "x",
}  # fmt: skip
# Nouns a number in words may count ("tiga petugas", "two officers"); digits count anything.
_COUNT_NOUNS = {
    "orang", "wna", "wni", "warga", "penumpang", "pemohon", "petugas", "pegawai", "personel",
    "paspor", "visa", "permohonan", "kasus", "korban", "pelaku", "tersangka", "unit",
    "autogate", "pesawat", "penerbangan", "loket", "konter", "anak", "perempuan", "pria",
    "wanita", "calon", "pekerja", "pmi", "negara", "kantor", "berkas", "dokumen", "kali",
    "shift", "regu", "tim", "titik", "lokasi", "kendaraan", "kapal", "pelabuhan", "bandara",
    "jurnalis", "wartawan", "media", "peserta", "pengaduan", "laporan", "akun", "video",
    "unggahan", "izin", "perlintasan", "kedatangan", "keberangkatan",
    "people", "persons", "person", "passengers", "passenger", "applicants", "applicant",
    "officers", "officer", "staff", "passports", "passport", "visas", "applications",
    "application", "cases", "case", "victims", "victim", "suspects", "suspect", "foreign",
    "foreigners", "foreigner", "nationals", "national", "citizens", "citizen", "flights",
    "flight", "aircraft", "counters", "counter", "gates", "autogates", "countries",
    "country", "offices", "documents", "times", "shifts", "children", "child", "women",
    "men", "workers", "journalists", "reports", "complaints", "accounts", "videos",
    "permits", "permit", "crossings", "arrivals", "departures", "teams",
}  # fmt: skip


# --- What is not a figure ------------------------------------------------------------------
_REG_TYPES = (
    r"PP|UU|Perpu|Perppu|Perpres|Keppres|Inpres|Permen[A-Za-z-]*|Kepmen[A-Za-z-]*|PMK|KMK|"
    r"Perda|Pergub|Perwal|Perbup|Perdirjen|Kepdirjen|Perka|Perkap|Perkaban|SE|SEMA|Perma|"
    r"Permenkumham|Permenpan(?:-?RB)?|Permendagri|Permenkeu|"
    r"(?:Peraturan|Keputusan|Instruksi|Surat\s+Edaran|Undang-[Uu]ndang|Law|Regulation|Decree)"
    r"(?:\s+(?:[A-Z][\w-]*|dan|of|the|Nomor|No\.?))*"
)
_NUMBER_WORD = r"(?:No\.?|Nomor|Nomer|Number|Nr\.?|Num\.?)"
_CODE = r"(?=[\w./-]*\d)[A-Za-z0-9]+(?:[./-][A-Za-z0-9]+)*"
_YEAR_TAIL = r"(?:\s*(?:Tahun|TAHUN|tahun|Th\.?|of|Year)\s+\d{4})?"
# (pattern, words one of which must be in the lower-cased text for it to match at all):
# a pattern whose words are absent is not run.
_BLOCKS: list[tuple[str, tuple[str, ...]]] = [
    # Addresses, handles and tags.
    (r"\b(?:https?://|www\.)[^\s<>\"')\]]+", ("://", "www.")),
    (r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", ("@",)),
    (r"(?<![\w@])[@#][\w.]*\w", ("@", "#")),
    (
        r"\b(?=[\w-]+\.[a-z])[\w-]+(?:\.[\w-]+)*\."
        r"(?:go\.id|co\.id|or\.id|ac\.id|web\.id|com|net|org|id|info|io)\b(?:/[^\s<>\"')\]]*)?",
        (".id", ".com", ".net", ".org", ".info", ".io"),
    ),
    # Regulations, articles, letter and decree numbers.
    (rf"\b(?:{_REG_TYPES})\s*(?:{_NUMBER_WORD}\s*:?\s*)?{_CODE}{_YEAR_TAIL}", ()),
    (rf"\b{_NUMBER_WORD}\s*:?\s*{_CODE}{_YEAR_TAIL}", ("no", "nr", "num")),
    (rf"(?i:\bnomor)\s*:?\s*{_CODE}{_YEAR_TAIL}", ("nomor",)),
    (
        r"\b(?:Pasal|pasal|PASAL|Ps\.|Article|article|Art\.)\s*\d+[A-Za-z]?"
        r"(?:\s*(?:ayat|paragraph)\s*\(\d+\))?(?:\s*huruf\s+[a-z]\b)?(?:\s*angka\s+\d+)?",
        ("pasal", "ps.", "art"),
    ),
    (r"\b(?:ayat|paragraph)\s*\(\d+\)", ("ayat", "paragraph")),
    (r"\bhuruf\s+[a-z]\b", ("huruf",)),
    # Codes mixing letters and digits: decree numbers, "COVID-19", "H-3", "ke-3", "1990-an".
    (
        r"(?<![\w.])(?=[A-Za-z0-9]+[./-][A-Za-z0-9])"
        r"(?!(?i:rp|idr|usd|sgd|eur|aud|myr|rm|jpy|cny|sar|gbp|hkd)\.?\s?\d)"
        r"(?!\d+-(?i:second|minute|hour|day|week|month|year|hari|jam|menit)\b)"
        r"[A-Za-z0-9]*(?:[A-Za-z][A-Za-z0-9]*[./-][A-Za-z0-9]*\d"
        r"|\d[A-Za-z0-9]*[./-][A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]*(?:[./-][A-Za-z0-9]+)*",
        (),
    ),
    # Phone numbers: +62 / 62 8… / 0…, in groups.
    (r"(?<![\w.,/])(?:\+62|\b62(?=[\s.-]?8)|\(0\d{1,3}\)|\b0\d)[\d\s().-]{6,18}\d", ()),
    # Identity numbers (NIK, KK), grouped or not; passport and plate numbers; flights.
    (r"(?<![\d.,])\d{4}[\s.-]\d{4}[\s.-]\d{4}[\s.-]\d{4}(?![\d])", ()),
    (r"(?<![\w.,])\d{9,}(?![\d])", ()),
    (r"\b[A-Z]{1,2}\s?\d{6,8}\b", ()),
    (r"\b[A-Z]{1,2}\s\d{1,4}\s[A-Z]{1,3}\b", ()),
    (r"\b[A-Z]{1,2}\d{1,4}[A-Z]{1,3}\b", ()),
    (r"\b(?!RP|RM|US|RT|RW)(?:[A-Z]{2}|[A-Z]\d|\d[A-Z])\s?\d{2,4}\b(?!\s*(?:%|persen))", ()),
    (r"\b(?:RT|RW)\s?\d{1,3}\b", ("rt", "rw")),
    # Postal codes.
    (
        r"(?i:\bkode\s*pos|\bpostal\s+code|\bzip(?:\s+code)?)\s*:?\s*\d{5}\b",
        ("pos", "postal", "zip"),
    ),
]
# One pass per pattern: each keeps its literal prefix, which an alternation of them all
# would lose (about three times faster on a long text).
_BLOCK_RES = [(re.compile(pattern), needles) for pattern, needles in _BLOCKS]
_PHONE_DIGITS = (8, 15)
_PHONE_RE = next(r for r, _n in _BLOCK_RES if r.pattern.startswith(r"(?<![\w.,/])(?:\+62"))


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    low = text.lower()
    for regex, needles in _BLOCK_RES:
        if needles and not any(needle in low for needle in needles):
            continue
        for match in regex.finditer(text):
            s, e = match.span()
            if regex is _PHONE_RE:
                digits = sum(c.isdigit() for c in match.group())
                if not _PHONE_DIGITS[0] <= digits <= _PHONE_DIGITS[1]:
                    continue  # Not a phone number after all ("05.30", "0,5").
            spans.append((s, e))
    return spans


# --- Dates ---------------------------------------------------------------------------------
# The lookahead fails fast where no weekday can start (they all start with a capital).
_WD = rf"(?=[A-Z])(?P<wd>{_WEEKDAY_RE})"
_DATE_PATTERNS = [
    # Rabu, 20 November 2025 · 20 Nov. 2025 · 20th of November 2025 · 20 November
    rf"(?:{_WD}\.?,?\s+(?:(?i:tanggal|tgl\.?)\s+)?)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
    rf"\s+(?:of\s+)?(?P<mon>(?i:{_MONTH_RE}))\b\.?(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?",
    # Wednesday, November 19, 2025 · Nov 19 2025
    rf"(?:{_WD}\.?,?\s+)?(?P<mon>(?i:{_MONTH_RE}))\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b"
    rf"(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?",
    # Rabu (19/11/2025) · 19/11/2025 · 19-11-2025 · 19.11.25
    rf"(?:{_WD}\.?\s*(?:,\s*)?(?P<paren>\()?\s*)?(?<![\d/.-])(?P<d>[0-3]?\d)(?P<sep>[/.-])"
    r"(?P<m>[01]?\d)(?P=sep)(?P<y>(?:19|20)?\d\d)(?![\d/.-]?\d)(?(paren)\s*\))",
    # Senin (17/11): day and month only, after a weekday
    rf"{_WD}\.?\s*(?:,\s*)?\(\s*(?P<d>[0-3]?\d)/(?P<m>[01]?\d)\s*\)",
    # 2025-11-19
    r"(?<![\d-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])",
    # November 2025 · bulan November 2025
    rf"\b(?P<mon>(?i:{_MONTH_RE}))\.?\s+(?P<y>(?:19|20)\d\d)\b",
]
_DATE_RES = [re.compile(p) for p in _DATE_PATTERNS]


def _valid_day(year: int | None, month: int, day: int) -> bool:
    try:
        date(year or 2024, month, day)  # 2024: a leap year, for "29 Februari" without year
    except ValueError:
        return False
    return True


def _find_dates(text: str, mask: bytearray) -> list[Figure]:
    found: list[Figure] = []
    for regex in _DATE_RES:
        for m in regex.finditer(text):
            s, e = m.span()
            if _taken(mask, s, e):
                continue
            groups = m.groupdict()
            month = _MONTHS[groups["mon"].lower()] if groups.get("mon") else int(groups["m"])
            year = int(groups["y"]) if groups.get("y") else None
            if year is not None and year < 100:
                year += 2000
            day = int(groups["d"]) if groups.get("d") else None
            if not 1 <= month <= 12 or day == 0:
                continue
            valid = day is None or _valid_day(year, month, day)
            wd = groups.get("wd")
            weekday = _WEEKDAYS[wd.lower()] if wd else None
            found.append(
                Figure(
                    Kind.DATE,
                    s,
                    e,
                    text[s:e],
                    year=year,
                    month=month,
                    day=day,
                    weekday=weekday,
                    valid=valid,
                )  # fmt: skip
            )
            _claim(mask, s, e)
    return found


# --- Times ---------------------------------------------------------------------------------
_ZONE = r"(?P<zone>WIB|WITA|WIT|UTC\s?[+−-]\s?\d{1,2}|GMT\s?[+−-]\s?\d{1,2}|UTC|GMT|" \
    r"(?i:waktu\s+setempat|local\s+time))"  # fmt: skip
_CUE = (
    r"(?=[pPjJaAfFmMsShHuU])"
    r"(?P<cue>(?i:pukul|pkl\.?|pk\.?|jam|at|from|mulai|sejak|hingga|sampai|until))\s+"
)
_HM = (
    r"(?P<h{n}>[01]?\d|2[0-4])(?P<sep{n}>[.:])(?P<m{n}>[0-5]\d)(?:\s?(?P<ap{n}>[AaPp]\.?[Mm]\.?))?"
)
_TIME_RE = re.compile(
    rf"(?:{_CUE})?(?<![\d.,:])" + _HM.format(n=1) + r"(?![\d]|[.,:]\d)"
    r"(?:\s*(?:-|–|—|s\.\s?d\.?|s/d|sampai|hingga|to|until)\s*"
    + _HM.format(n=2)
    + r"(?![\d]|[.,:]\d))?"
    rf"(?:\s*\(?\s*{_ZONE}\)?)?"
)
_HOUR_ONLY_RE = re.compile(
    rf"(?:(?P<cue>(?i:pukul|pkl\.?|pk\.?))\s+(?P<h>[01]?\d|2[0-4])(?![\d.,:])"
    rf"|(?<![\d.,:])(?P<h2>1[0-2]|0?[1-9])\s?(?P<ap>[AaPp]\.?[Mm]\.?)(?!\w))(?:\s*\(?\s*{_ZONE}\)?)?"
)


def _zone(raw: str | None) -> str:
    if not raw:
        return ""
    raw = re.sub(r"\s+", "", raw).replace("−", "-")
    if raw.lower() in ("waktusetempat", "localtime"):
        return "local"
    return raw.upper()


def _hour(h: int, ap: str | None) -> int:
    if ap:
        pm = ap[0].lower() == "p"
        h = h % 12 + (12 if pm else 0)
    return h


def _find_times(text: str, mask: bytearray) -> list[Figure]:
    found: list[Figure] = []
    for m in _TIME_RE.finditer(text):
        s, e = m.span()
        if _taken(mask, s, e):
            continue
        g = m.groupdict()
        zone = _zone(g["zone"])
        ranged = g["h2"] is not None
        if not (zone or g["cue"] or g["sep1"] == ":" or g["ap1"] or ranged):
            continue
        if int(g["h1"]) == 24 and g["m1"] != "00":
            continue
        first_end = m.end("m1") if not g["ap1"] else m.end("ap1")
        start = m.start("h1") if not g["cue"] else s
        found.append(
            Figure(
                Kind.TIME,
                start,
                e if not ranged else first_end,
                text[start : (e if not ranged else first_end)],
                hour=_hour(int(g["h1"]), g["ap1"]),
                minute=int(g["m1"]),
                zone=zone,
            )  # fmt: skip
        )
        if ranged:
            s2 = m.start("h2")
            found.append(
                Figure(
                    Kind.TIME,
                    s2,
                    e,
                    text[s2:e],
                    hour=_hour(int(g["h2"]), g["ap2"]),
                    minute=int(g["m2"]),
                    zone=zone,
                )  # fmt: skip
            )
        _claim(mask, s, e)
    for m in _HOUR_ONLY_RE.finditer(text):
        s, e = m.span()
        if _taken(mask, s, e):
            continue
        g = m.groupdict()
        hour = int(g["h"] or g["h2"])
        found.append(
            Figure(
                Kind.TIME,
                s,
                e,
                text[s:e],
                hour=_hour(hour, g["ap"]),
                minute=0,
                zone=_zone(g["zone"]),
            )  # fmt: skip
        )
        _claim(mask, s, e)
    return found


# --- Tokens --------------------------------------------------------------------------------
_TOKEN_RE = re.compile(
    r"(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?(?!\d)|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)"
    r"|\d+(?:[.,]\d+)?)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)?)"
    r"|(?P<nl>\n)"
    r"|(?P<space>[^\S\n]+)"
    r"|(?P<punct>.)",
    re.DOTALL,
)


@dataclass(slots=True)
class _Token:
    kind: str  # num, word, punct, nl
    text: str
    start: int
    end: int
    space_before: bool  # separated from the previous token by white space
    masked: bool
    low: str = ""


def _tokens(text: str, mask: bytearray) -> list[_Token]:
    tokens: list[_Token] = []
    space = True
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or "punct"
        if kind == "space":
            space = True
            continue
        s, e = m.span()
        tokens.append(_Token(kind, m.group(), s, e, space, _taken(mask, s, e), m.group().lower()))
        space = kind == "nl"
    return tokens


def parse_number(raw: str) -> Decimal | None:
    """A number as written in digits: "350.000" and "350,000" → 350000; "1,5" and "1.5" →
    1.5; "1.234,5" → 1234.5. None when it is not one."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw):
        raw = raw.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        raw = raw.replace(",", "")
    else:
        raw = raw.replace(",", ".")
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


# --- The scanner ---------------------------------------------------------------------------
class _Scanner:
    """Reads quantities from the token list (after dates, times and blocks are masked)."""

    def __init__(self, text: str, tokens: list[_Token]) -> None:
        self.text = text
        self.t = tokens
        self.found: list[Figure] = []
        self.scaled = False

    def tok(self, i: int) -> _Token | None:
        return self.t[i] if 0 <= i < len(self.t) and not self.t[i].masked else None

    def low(self, i: int) -> str:
        tok = self.tok(i)
        return tok.low if tok else ""

    # Numbers ------------------------------------------------------------------------------
    def words_number(self, i: int) -> tuple[Decimal, int] | None:
        """A number in words starting at token ``i``: (value, index after it)."""
        words: list[str] = []
        index: list[int] = []
        j = i
        while True:
            tok = self.tok(j)
            if (
                tok is None
                or tok.kind != "word"
                or (tok.low not in NUMBER_WORDS and tok.low != "and")
            ):
                break
            if words and not tok.space_before and self.t[j - 1].text != "-":
                break
            words.append(tok.low)
            index.append(j)
            j += 1
            if (
                self.low(j) == "-"
                and self.low(j + 1) in NUMBER_WORDS
                and not self.t[j].space_before
            ):
                j += 1
        if not words:
            return None
        numbers = read_words(words)
        if not numbers or numbers[0][0] != 0:
            return None
        _, end, value = numbers[0]
        return Decimal(value), index[end - 1] + 1

    def digits_number(self, i: int, *, money: bool) -> tuple[Decimal, int, bool, bool] | None:
        """Digits at ``i`` with an optional scale word: (value, index after, plain digits,
        scaled)."""
        tok = self.tok(i)
        if tok is None or tok.kind != "num":
            return None
        value = parse_number(tok.text)
        if value is None:
            return None
        plain = tok.text.isdigit()
        scaled = False
        j = i + 1
        scale_tok = self.tok(j)
        if scale_tok and scale_tok.kind == "word":
            scale = _SCALES.get(scale_tok.low)
            if scale is None and money and scale_tok.text in ("M", "T", "K", "k"):
                scale = _MONEY_SCALES[scale_tok.low]
            if scale is not None:
                value *= scale
                j += 1
                plain = False
                scaled = True
                if self.low(j) == "-" and self.low(j + 1) == "an":  # "1 juta-an"
                    j += 2
        return value, j, plain, scaled

    def number(self, i: int, *, money: bool = False) -> tuple[Decimal, int, bool, bool] | None:
        """(value, index after, written in words, plain digits) of a number at ``i``; sets
        ``self.scaled`` when a scale word was used."""
        d = self.digits_number(i, money=money)
        self.scaled = bool(d and d[3])
        if d is not None:
            return d[0], d[1], False, d[2]
        w = self.words_number(i)
        if w is None:
            return None
        value, j = w
        return value, j, True, False

    def currency_prefix(self, i: int) -> tuple[str, int] | None:
        """A currency written before a number: "Rp", "Rp.", "IDR", "US$", "$"."""
        tok = self.tok(i)
        if tok is None:
            return None
        if tok.kind == "word" and tok.low in _CURRENCY_CODES:
            if tok.low in ("rm", "sar") and tok.text != tok.text.upper():
                return None
            j = i + 1
            if self.low(j) == "." and not self.t[j].space_before:
                j += 1
            return _CURRENCY_CODES[tok.low], j
        if tok.kind == "word" and tok.low in _DOLLAR_PREFIXES and self.low(i + 1) == "$":
            return _DOLLAR_PREFIXES[tok.low], i + 2
        if tok.kind == "punct" and tok.text in _CURRENCY_SIGNS:
            return _CURRENCY_SIGNS[tok.text], i + 1
        return None

    def spelled(self, j: int) -> tuple[Decimal, int] | None:
        """ "(empat)", "(tiga ratus lima puluh ribu rupiah)" at ``j``: (value, index after)."""
        if self.low(j) != "(":
            return None
        w = self.words_number(j + 1)
        if w is None:
            return None
        value, k = w
        if self.low(k) in _CURRENCY_WORDS:
            k += 1
        if self.low(k) != ")":
            return None
        return value, k + 1

    def digits_in_parentheses(self, j: int) -> tuple[Decimal, int] | None:
        """ "(4)" after a number in words: (value, index after)."""
        if self.low(j) != "(" or self.low(j + 2) != ")":
            return None
        tok = self.tok(j + 1)
        value = parse_number(tok.text) if tok and tok.kind == "num" else None
        return (value, j + 3) if value is not None else None

    def range_to(self, j: int, *, money: bool) -> tuple[Decimal, int, str, int] | None:
        """ "–4", " sampai 4", "-Rp 650.000" after a number: (upper, index after, currency,
        index where the second number starts)."""
        tok = self.tok(j)
        if tok is None:
            return None
        k = j
        if tok.text in ("-", "–", "—"):
            k += 1
        elif tok.low in _RANGE_WORDS:
            k += 1
        elif tok.low == "s" and self.low(j + 1) in (".", "/"):
            k = j + 2
            if self.low(k) == "d":
                k += 1
                if self.low(k) == ".":
                    k += 1
            else:
                return None
        else:
            return None
        currency = ""
        second = k
        prefix = self.currency_prefix(k)
        if prefix:
            currency, k = prefix
        n = self.number(k, money=money or bool(currency))
        if n is None:
            return None
        return n[0], n[1], currency, second

    # Classification ------------------------------------------------------------------------
    def unit_after(self, j: int) -> tuple[str, str, int] | None:
        """What follows a number at ``j``: (kind, unit, index after)."""
        tok = self.tok(j)
        if tok is None:
            return None
        low = tok.low
        if low == "%":
            return Kind.PERCENT, "", j + 1
        if low in _PERCENT_WORDS:
            return Kind.PERCENT, "", j + 1
        if low == "per" and self.low(j + 1) == "cent":
            return Kind.PERCENT, "", j + 2
        if low in _CURRENCY_WORDS:
            k = j + 1
            currency = _CURRENCY_WORDS[low]
            nxt = self.low(k)
            if currency == "USD" and nxt in _DOLLAR_OF:
                currency = _DOLLAR_OF[nxt]
                k += 1
            elif currency == "USD" and nxt in ("as", "amerika", "us"):
                k += 1
                if self.low(k) == "serikat":
                    k += 1
            return Kind.MONEY, currency, k
        if low in ("us", "singapore", "australian") and self.low(j + 1) in ("dollar", "dollars"):
            currency = {"us": "USD", "singapore": "SGD", "australian": "AUD"}[low]
            return Kind.MONEY, currency, j + 2
        if low == "-" and not tok.space_before and self.low(j + 1) in _DURATIONS:
            glued = self.t[j + 1]
            if not glued.space_before:  # "30-day stay"
                return Kind.DURATION, _DURATIONS[glued.low], j + 2
        if low in _DURATIONS:
            unit = _DURATIONS[low]
            k = j + 1
            if unit == DAYS and self.low(k) in ("kerja", "kalender"):
                unit = WORKING_DAYS if self.low(k) == "kerja" else DAYS
                k += 1
            return Kind.DURATION, unit, k
        if low in _WORKING and self.low(j + 1) in ("day", "days"):
            return Kind.DURATION, WORKING_DAYS, j + 2
        if low == "calendar" and self.low(j + 1) in ("day", "days"):
            return Kind.DURATION, DAYS, j + 2
        return None

    def times_24(self, j: int) -> int | None:
        """ "x 24 jam" after a number: the index after it (the number counts days)."""
        if self.low(j) not in ("x", "×") or self.low(j + 1) != "24":
            return None
        if self.low(j + 2) in ("jam", "hours", "hour"):
            return j + 3
        return None

    def noun_after(self, j: int) -> tuple[str, int]:
        """The noun a count counts ("wna"), skipping a classifier; ("", j) when none."""
        tok = self.tok(j)
        if tok is None or tok.kind != "word" or tok.low in _STOP or tok.low in NUMBER_WORDS:
            return "", j
        if tok.text[:1].isupper() and not tok.text.isupper():
            return "", j  # A name or a new sentence, not what is counted.
        if tok.low in _CLASSIFIERS:
            nxt = self.tok(j + 1)
            if (
                nxt
                and nxt.kind == "word"
                and nxt.low not in _STOP
                and nxt.space_before
                and (nxt.text.isupper() or nxt.low in _COUNT_NOUNS)
            ):
                return nxt.low, j + 2
        return tok.low, j + 1

    def skip_as_name(self, i: int) -> bool:
        """A number that is a name, a position or a list marker, not a quantity."""
        prev = self.t[i - 1] if i > 0 else None
        tok = self.t[i]
        if prev is not None and not tok.space_before and prev.kind in ("word", "num"):
            return True  # "G20", glued to a word
        if (
            prev is not None
            and prev.text in ("-", "/", "#", "+", "−", ":")
            and not tok.space_before
        ):
            return True
        if (prev is not None and prev.text in (".", ",") and not tok.space_before and i > 1
                and self.t[i - 2].kind == "num" and not prev.space_before):  # fmt: skip
            return True  # "12.30.45"
        if prev is not None and prev.kind == "word" and prev.low.rstrip(".") in _NAME_BEFORE:
            return True
        if prev is not None and prev.text == "." and i > 1 and self.t[i - 2].low in _NAME_BEFORE:
            return True
        nxt = self.t[i + 1] if i + 1 < len(self.t) else None
        after = self.t[i + 2] if i + 2 < len(self.t) else None
        if (
            nxt is not None
            and nxt.text in ("/", ":")
            and not nxt.space_before
            and after is not None
            and after.kind == "num"
            and not after.space_before
        ):
            return True  # "24/7", "3:1"
        line_start = prev is None or prev.kind == "nl"
        if line_start and nxt is not None and nxt.text in (".", ")") and tok.text.isdigit():
            return True  # "1. …" / "1) …"
        if prev is not None and prev.text == "(" and nxt is not None and nxt.text == ")":
            return True  # "(1)"
        return bool(nxt is not None and not nxt.space_before and nxt.kind == "word"
                    and nxt.low not in _SCALES and nxt.low not in _DURATIONS
                    and nxt.low not in ("x", "rb", "jt", "an"))  # fmt: skip

    def emit(self, kind: str, s: int, e: int, **values: object) -> None:
        start, end = self.t[s].start, self.t[e - 1].end
        self.found.append(Figure(Kind(kind), start, end, self.text[start:end], **values))  # type: ignore[arg-type]

    def scan(self) -> list[Figure]:
        i = 0
        n = len(self.t)
        while i < n:
            tok = self.t[i]
            if tok.masked or tok.kind not in ("num", "word", "punct"):
                i += 1
                continue
            start = i
            currency = ""
            prefix = self.currency_prefix(i)
            if prefix:
                currency, i = prefix
                if self.tok(i) is None:
                    i = start + 1
                    continue
            elif tok.kind == "num" and self.skip_as_name(i):
                i += 1
                continue
            number = self.number(i, money=bool(currency))
            if number is None:
                i = start + 1
                continue
            value, j, in_words, plain = number
            scaled = self.scaled
            if in_words and (self.low(start - 1) == "salah" or self.low(j) == "of"):
                i = j  # "salah satu", "one of": not a count
                continue
            upper: Decimal | None = None
            spelled: Decimal | None = None
            sp = self.spelled(j) if not in_words else self.digits_in_parentheses(j)
            if sp:
                spelled, j = sp
            if self.low(j) == "," and self.low(j + 1) in ("-", "—") and currency:
                j += 2  # "Rp 1.000.000,-"
            elif self.low(j) in (".", ",") and self.low(j + 1) == "-" and currency:
                j += 2
            ranged = self.range_to(j, money=bool(currency))
            second_currency = ""
            second = after = j
            if ranged:
                upper, after, second_currency, second = ranged
            days = self.times_24(after)
            if days is not None:
                self.emit(Kind.DURATION, start, days, value=value, upper=upper, unit=DAYS,
                          spelled=spelled)  # fmt: skip
                i = days
                continue
            unit = self.unit_after(after)
            if currency or (unit and unit[0] == Kind.MONEY):
                code = currency or (unit[1] if unit else "")
                end = unit[2] if unit and unit[0] == Kind.MONEY else after
                if not currency and (sp2 := self.spelled(end)):
                    spelled, end = spelled or sp2[0], sp2[1]
                elif currency and spelled is None and (sp2 := self.spelled(end)):
                    spelled, end = sp2
                if ranged and upper is not None:
                    # Two amounts: each is a claim of its own.
                    self.emit(Kind.MONEY, start, j, value=value, unit=code, spelled=spelled,
                              scaled=scaled)  # fmt: skip
                    self.emit(Kind.MONEY, second, end, value=upper, unit=second_currency or code)
                else:
                    self.emit(Kind.MONEY, start, end, value=value, unit=code, spelled=spelled,
                              scaled=scaled)  # fmt: skip
                i = end
                continue
            if unit is not None:
                kind, unit_name, end = unit
                self.emit(kind, start, end, value=value, upper=upper, unit=unit_name,
                          spelled=spelled, scaled=scaled)  # fmt: skip
                i = end
                continue
            if ranged:
                # A range of counts: "3-4 WNA"; a bare range ("2024-2025") is skipped.
                noun, end = self.noun_after(after)
                if noun and not in_words:
                    self.emit(Kind.COUNT, start, end, value=value, upper=upper, unit=noun,
                              scaled=scaled)  # fmt: skip
                i = after
                continue
            noun, end = self.noun_after(j)
            if in_words:
                if noun in _COUNT_NOUNS:
                    self.emit(Kind.COUNT, start, end, value=value, unit=noun, spelled=spelled)
                    i = end
                else:
                    i = j
                continue
            is_year = plain and 1900 <= value <= 2099 and value == int(value)
            if is_year and (not noun or self.low(start - 1) in _YEAR_BEFORE):
                self.emit(Kind.DATE, start, j, year=int(value))
                i = j
                continue
            if plain and value >= 10000 and not noun:
                i = j  # a postal code or a code of some kind
                continue
            if self._looks_like_clock(i) and not noun:
                i = j
                continue
            self.emit(Kind.COUNT, start, end if noun else j, value=value, unit=noun,
                      spelled=spelled, scaled=scaled)  # fmt: skip
            i = end if noun else j
        return self.found

    def _looks_like_clock(self, i: int) -> bool:
        """ "10.30" with nothing after it: a time without a cue, not a count of 10.3."""
        return bool(re.fullmatch(r"(?:[01]?\d|2[0-3])\.[0-5]\d", self.t[i].text))


# --- Helpers -------------------------------------------------------------------------------
def _taken(mask: bytearray, start: int, end: int) -> bool:
    return mask.find(1, start, end) != -1


def _claim(mask: bytearray, start: int, end: int) -> None:
    mask[start:end] = b"\x01" * (end - start)


def masked_spans(text: str) -> list[tuple[int, int]]:
    """The spans that are not figures (addresses, phone, regulation and decree numbers, …)."""
    return _blocked_spans(text)


def extract(text: str) -> list[Figure]:
    """Every figure in ``text``, in order of position. Never raises on any string."""
    if not text:
        return []
    mask = bytearray(len(text))
    for s, e in _blocked_spans(text):
        _claim(mask, s, e)
    figures = _find_dates(text, mask)
    figures += _find_times(text, mask)
    figures += _Scanner(text, _tokens(text, mask)).scan()
    figures.sort(key=lambda f: (f.start, f.end))
    return figures

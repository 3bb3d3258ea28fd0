"""A planted-event corpus for issue clustering, and the scores that judge it.

Several storms — one event each, told by many people in their own words (Indonesian and
English, informal spelling, hashtags, typos, emoji) — are mixed with background posts
about other things, in time order. A good clustering puts each storm into one issue
(or very few) and keeps storms apart. Used by ``benchmarks/issues.py`` (which prints the
figures) and by ``test_issue_benchmark.py`` (which asserts a floor).

Written for PRIMA; every text here is invented.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# Each storm: paraphrases of its core (each already a whole post), openers and tails that
# people add, hashtags some of them use, and its language mix.
STORMS: dict[str, dict[str, list[str]]] = {
    "queue": {
        "core": [
            "Antrean imigrasi kedatangan di Terminal 3 Soetta panjang banget, udah 2 jam "
            "belum maju",
            "antri paspor di bandara soekarno hatta mengular sampai ke eskalator",
            "Baru landing, antrian imigrasi T3 parah, ratusan orang numpuk",
            "Ngantri di imigrasi Soetta 3 jam, loket cuma buka 4",
            "Antrean pemeriksaan paspor kedatangan internasional CGK ga gerak dari tadi",
            "Kenapa sih antrian imigrasi bandara selalu panjang begini? udah berdiri 2 jam",
            "Imigrasi terminal 3 antreannya kayak ular naga, petugasnya dikit bgt",
            "antrean paspor kedatangan soetta malam ini ampun dah, anak2 sudah kecapekan",
            "Malu sama turis asing, antrean imigrasi Soekarno-Hatta panjang dan semrawut",
            "Dua jam antre di pemeriksaan imigrasi T3, konter banyak yang kosong",
            "antrian imigrasi cgk panjaaang bgt, ini bandara internasional lho",
            "Loket imigrasi kedatangan Soetta cuma dikit yg buka, antrean sampe belakang",
        ],
        "core_en": [
            "Immigration queue at Jakarta airport T3 is insane, 2 hours and still waiting",
            "Just landed at CGK, the passport control line is massive, barely moving",
            "Soekarno-Hatta immigration queue again, hundreds of people and only 4 counters open",
            "Waited almost 3 hours at immigration arrivals in Jakarta Terminal 3",
        ],
        "tails": [
            "😩",
            "🙄",
            "tolong dong @imigrasi_soetta",
            "parah sih",
            "capek bgt",
            "gimana ini pak",
            "",
            "",
            "",
        ],
        "tags": ["#antreanimigrasi", "#soetta", "#bandarasoetta", "#imigrasi", "#AntreanSoetta"],
    },
    "fee_hoax": {
        "core": [
            "Katanya biaya paspor naik jadi 2 juta mulai bulan depan, beneran?",
            "Viral pesan berantai tarif paspor naik Rp2 juta, itu hoaks ya",
            "HOAKS: biaya bikin paspor baru bukan 2 juta, tarif resmi tetap Rp350.000",
            "Imigrasi bantah kabar biaya paspor jadi Rp2 juta, cek tarif resmi di situs",
            "Ada yang bilang bikin paspor sekarang bayar 2jt, info dari grup WA keluarga",
            "Jangan percaya broadcast WA soal biaya paspor naik, itu hoax",
            "Klarifikasi imigrasi: tidak ada kenaikan biaya paspor menjadi Rp2 juta",
            "tarif paspor naik 2 juta?? serius nih, mahal amat",
            "Pesan berantai kenaikan tarif paspor dipastikan hoaks oleh Ditjen Imigrasi",
            "Biaya paspor elektronik tetap sesuai PP, kabar naik 2 juta itu bohong",
        ],
        "core_en": [
            "Is it true the Indonesian passport fee is going up to 2 million rupiah? "
            "seems like a hoax",
            "Immigration denies viral message that passport fees rise to Rp2 million",
            "Fake news alert: passport fee is not 2 million, official fee unchanged",
        ],
        "tails": ["", "", "cek dulu sebelum share", "hati2 hoaks", "🤔", "share ke keluarga"],
        "tags": ["#hoaks", "#cekfakta", "#paspor", "#biayapaspor", "#hoax"],
    },
    "deport": {
        "core": [
            "Imigrasi Soetta deportasi WNA asal Nigeria yang overstay dua tahun",
            "WN Nigeria dideportasi dari bandara Soekarno-Hatta karena melebihi izin tinggal",
            "Seorang warga negara Nigeria diusir imigrasi setelah overstay, masuk daftar tangkal",
            "Deportasi WNA Nigeria hari ini, pelanggaran izin tinggal kata petugas",
            "Bule Nigeria overstay 2 tahun akhirnya dideportasi lewat Soetta",
            "Tindakan tegas, WNA Nigeria pelanggar izin tinggal dipulangkan ke negaranya",
            "imigrasi pulangkan wna nigeria yg overstay, mantap tegas",
            "WNA Nigeria dideportasi dan dicekal 6 bulan usai overstay di Tangerang",
        ],
        "core_en": [
            "Nigerian national deported from Jakarta airport after overstaying visa for two years",
            "Indonesia deports Nigerian man for overstaying his stay permit",
            "Immigration at Soekarno-Hatta deported a Nigerian citizen for overstay",
        ],
        "tails": ["", "", "👏", "mantap", "good job"],
        "tags": ["#deportasi", "#imigrasi", "#WNA", "#overstay"],
    },
    "broker": {
        "core": [
            "Video calo paspor di kantor imigrasi minta 1,5 juta biar cepet jadi viral",
            "Viral calo di kanim minta duit 1,5jt buat paspor kilat, kok dibiarin",
            "Ada calo nawarin paspor jadi sehari bayar 1,5 juta di depan kantor imigrasi",
            "Pungli paspor? video calo minta uang pelicin 1,5 juta viral di tiktok",
            "Calo paspor beraksi di kantor imigrasi, direkam warga, minta 1.5 juta",
            "Tolong usut calo paspor yang minta 1,5 juta di video viral itu",
            "Imigrasi janji tindak calo paspor setelah video pungli 1,5 juta viral",
            "Masih ada calo paspor ternyata, minta bayaran 1,5 juta, petugas kemana",
        ],
        "core_en": [
            "Viral video shows a passport broker asking 1.5 million rupiah for fast service",
            "Passport broker caught on camera near immigration office asking for bribe",
        ],
        "tails": ["", "", "usut tuntas!", "😡", "parah", "lapor pak"],
        "tags": ["#calopaspor", "#pungli", "#viral", "#SaberPungli"],
    },
    "autogate": {
        "core": [
            "Autogate keberangkatan Terminal 2 error semua, penumpang dialihkan ke konter manual",
            "autogate di T2 mati, scanner paspor ga kebaca dari pagi",
            "Mesin autogate bandara soetta rusak lagi, harus ke petugas",
            "Autogate terminal 2 gangguan sistem, paspor elektronik ga bisa dipakai",
            "Sistem autogate down, gerbang otomatis di keberangkatan T2 ditutup",
            "Kenapa autogate T2 error terus tiap pagi? udah 3 hari",
            "Gangguan autogate di Soekarno-Hatta, imigrasi minta maaf dan buka konter tambahan",
            "auto gate ga berfungsi, e-paspor percuma bikinnya mahal2",
        ],
        "core_en": [
            "Autogates at Jakarta airport Terminal 2 departures are down, all manual counters",
            "The autogate at CGK T2 isn't reading e-passports today",
        ],
        "tails": ["", "", "😤", "tolong diperbaiki", "percuma"],
        "tags": ["#autogate", "#soetta", "#eraspor", "#imigrasi"],
    },
    "evoa": {
        "core_en": [
            "The e-VOA payment page keeps failing, can't pay for my visa on arrival",
            "Anyone else unable to pay the Indonesia e-VOA online? card declined every time",
            "e-VOA website payment error for 2 days now, flying to Jakarta tomorrow",
            "Indonesia visa on arrival online payment broken, tried 3 different cards",
            "Can't complete e-VOA payment, the site just times out at checkout",
            "Visa on arrival e-VOA payment gateway down? stuck at the payment step",
            "evoa payment failed again. how am I supposed to get my visa before the flight",
        ],
        "core": [
            "Pembayaran e-VOA gagal terus, turis ga bisa bayar visa on arrival online",
            "Situs e-VOA error saat pembayaran, banyak wisatawan mengeluh",
        ],
        "tails": ["", "", "help", "🙏", "so frustrating"],
        "tags": ["#eVOA", "#Indonesia", "#visa", "#travel"],
    },
}

OPENERS_ID = ["", "", "", "Gila,", "Duh", "Serius deh,", "Info:", "Barusan", "Wah", "Astaga,",
              "Sekadar info,", "Lagi rame nih:", "Yaampun"]  # fmt: skip
OPENERS_EN = ["", "", "", "Ugh,", "PSA:", "Wow,", "Honestly,", "FYI"]

BACKGROUND_ID = [
    "Macet parah di tol bandara pagi ini, hati-hati yang mau terbang",
    "Hujan deras di Tangerang, banjir di beberapa ruas jalan",
    "Nasi goreng dekat terminal 1 enak banget, murah lagi",
    "Persija menang tadi malam, mantap!",
    "Harga tiket pesawat ke Bali naik jelang liburan akhir tahun",
    "Pelayanan paspor di kanim Jakarta Selatan cepat, 1 jam selesai",
    "Petugas imigrasi ramah banget tadi bantu lansia",
    "Kereta bandara telat 20 menit hari ini",
    "Ada yang tahu syarat perpanjang KITAS untuk pekerja asing?",
    "Kantor imigrasi buka layanan paspor hari Sabtu bulan ini",
    "Cuaca panas sekali di Jakarta siang ini",
    "Bandara Soetta tambah rute penerbangan ke Jepang",
    "Sosialisasi keimigrasian di sekolah berjalan lancar",
    "Promo kopi di bandara, beli satu gratis satu",
    "Jadwal M-Paspor penuh sampai dua minggu ke depan",
    "Taksi online di bandara susah dapat malam ini",
    "Lomba 17an di kantor seru banget",
    "Parkir inap bandara penuh, cari alternatif ya",
    "Pembuatan paspor untuk jamaah umrah dipercepat",
    "Imigrasi gelar operasi pengawasan orang asing di Tangerang",
    "Konser musik di GBK akhir pekan ini ramai",
    "Ada barang ketinggalan di pesawat, lapor ke mana ya?",
    "Layanan paspor simpatik hari Minggu di mal",
    "Harga cabai naik lagi di pasar",
    "Penerbangan ke Medan delay 2 jam karena cuaca",
    "Terima kasih imigrasi atas layanan jemput bola untuk difabel",
    "Bagaimana cara ganti paspor yang rusak kena air?",
    "Wisatawan mancanegara ke Indonesia naik 20 persen tahun ini",
    "Seminar anti TPPO digelar di Tangerang",
    "Rapat koordinasi pengawasan orang asing bersama polisi",
]
BACKGROUND_EN = [
    "Great coffee at the Jakarta airport lounge",
    "Traffic to the airport is terrible this morning",
    "Does anyone know the requirements for a KITAS extension?",
    "Flight to Singapore delayed by an hour",
    "Loving the new train line to the airport",
    "Bali is beautiful this time of year",
    "Lost my luggage on the way to Jakarta, any tips?",
    "Immigration officer was very helpful with my kids today",
    "Heavy rain in Jakarta, stay safe everyone",
    "Indonesia tourism numbers are up this year",
]

_INFORMAL = [("yang", "yg"), ("tidak", "gak"), ("sudah", "udah"), ("banget", "bgt"),
             ("sampai", "sampe"), ("dengan", "dgn"), ("untuk", "utk"), ("karena", "krn"),
             ("antrean", "antrian"), ("bandara", "bndara")]  # fmt: skip


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1 :]  # a letter dropped
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped


def _variant(text: str, rng: random.Random) -> str:
    for formal, informal in _INFORMAL:
        if rng.random() < 0.4:
            text = text.replace(formal, informal)
    words = text.split()
    for i in range(len(words)):
        if rng.random() < 0.06:
            words[i] = _typo(words[i], rng)
    text = " ".join(words)
    if rng.random() < 0.3:
        text = text.lower()
    return text


@dataclass(frozen=True)
class Post:
    external_id: str
    text: str
    published_at: datetime
    event: str  # storm name, or "" for a background post
    lang: str


def corpus(
    *, seed: int = 13, per_storm: int = 30, background: int = 120, start: datetime | None = None
) -> list[Post]:
    """The posts in time order: ``per_storm`` posts for each storm over its own few hours
    of a three-day window, and ``background`` unrelated posts spread over the window."""
    rng = random.Random(seed)
    start = start or datetime(2025, 11, 17, 0, 0, tzinfo=UTC)
    posts: list[Post] = []
    for s, (name, spec) in enumerate(STORMS.items()):
        onset = start + timedelta(hours=6 + 10 * s)
        for i in range(per_storm):
            english = spec.get("core_en") and (not spec.get("core") or rng.random() < 0.25)
            lang = "en" if english else "id"
            core = rng.choice(spec["core_en"] if english else spec["core"])
            opener = rng.choice(OPENERS_EN if english else OPENERS_ID)
            parts = [opener, core if english else _variant(core, rng)]
            tail = rng.choice(spec["tails"])
            if tail and not english:
                parts.append(tail)
            for tag in rng.sample(spec["tags"], k=rng.choice([0, 0, 1, 1, 2])):
                parts.append(tag)
            text = " ".join(p for p in parts if p)
            # A storm: most posts in the first hours, a tail over the next day.
            minutes = rng.expovariate(1 / 240)
            at = onset + timedelta(minutes=min(minutes, 36 * 60))
            posts.append(Post(f"{name}-{i}", text, at, name, lang))
    end = start + timedelta(hours=72)
    pool = [(t, "id") for t in BACKGROUND_ID] + [(t, "en") for t in BACKGROUND_EN]
    for i in range(background):
        text, lang = pool[i % len(pool)]
        if i >= len(pool):  # the same topic said again, differently, later
            text = _variant(f"{rng.choice(OPENERS_ID if lang == 'id' else OPENERS_EN)} {text}",
                            rng)  # fmt: skip
        at = start + (end - start) * rng.random()
        posts.append(Post(f"bg-{i}", text.strip(), at, "", lang))
    posts.sort(key=lambda p: p.published_at)
    return posts


# --- scores -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scores:
    purity: float  # share of storm posts (in issues) whose issue's majority is their storm
    fragmentation: float  # mean number of issues a storm is spread over (1.0 = ideal)
    coverage: float  # share of storm posts that landed in a shown issue
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    adjusted_rand: float
    storms: dict[str, int]  # storm → number of issues holding its posts
    background_in_storms: int  # background posts put into an issue dominated by a storm


def score(posts: Sequence[Post], clusters: dict[str, int | None], shown: set[int]) -> Scores:
    """Score ``clusters`` (post id → issue id or None) against the planted storms.

    Storm posts outside any shown issue count as singletons (a lost post hurts recall).
    Background posts take part only through ``background_in_storms``.
    """
    storm_posts = [p for p in posts if p.event]
    assign: dict[str, object] = {}
    for p in storm_posts:
        issue = clusters.get(p.external_id)
        assign[p.external_id] = issue if issue in shown else ("single", p.external_id)
    members: dict[object, list[Post]] = defaultdict(list)
    for p in storm_posts:
        members[assign[p.external_id]].append(p)
    # Purity over posts that are in real issues.
    in_issues = [k for k in members if not isinstance(k, tuple)]
    majority = {k: Counter(p.event for p in members[k]).most_common(1)[0] for k in in_issues}
    n_in = sum(len(members[k]) for k in in_issues)
    purity = sum(c for _e, c in majority.values()) / n_in if n_in else 0.0
    # Fragmentation: issues holding each storm's posts (singletons count one each).
    spread: dict[str, set[object]] = defaultdict(set)
    for p in storm_posts:
        spread[p.event].add(assign[p.external_id])
    storms = {e: len(s) for e, s in spread.items()}
    fragmentation = sum(storms.values()) / len(storms)
    coverage = sum(1 for p in storm_posts if not isinstance(assign[p.external_id], tuple))
    coverage /= len(storm_posts)  # type: ignore[assignment]
    # B-cubed.
    prec = rec = 0.0
    by_event: Counter[str] = Counter(p.event for p in storm_posts)
    for p in storm_posts:
        cluster = members[assign[p.external_id]]
        same = sum(1 for q in cluster if q.event == p.event)
        prec += same / len(cluster)
        rec += same / by_event[p.event]
    prec /= len(storm_posts)
    rec /= len(storm_posts)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    dominated = {k for k, (e, _c) in majority.items()}
    background = sum(1 for p in posts if not p.event and clusters.get(p.external_id) in dominated)
    return Scores(purity, fragmentation, coverage, prec, rec, f1,
                  adjusted_rand([p.event for p in storm_posts],
                                [assign[p.external_id] for p in storm_posts]),
                  storms, background)  # fmt: skip


def adjusted_rand(truth: Sequence[object], predicted: Sequence[object]) -> float:
    """Adjusted Rand index of two labelings of the same items (Hubert and Arabie)."""

    def pairs(n: int) -> float:
        return n * (n - 1) / 2

    table = Counter(zip(truth, predicted, strict=True))
    a = Counter(truth)
    b = Counter(predicted)
    index = sum(pairs(n) for n in table.values())
    sum_a = sum(pairs(n) for n in a.values())
    sum_b = sum(pairs(n) for n in b.values())
    expected = sum_a * sum_b / pairs(len(truth)) if len(truth) > 1 else 0.0
    maximum = (sum_a + sum_b) / 2
    return (index - expected) / (maximum - expected) if maximum != expected else 1.0


def cluster_with_pipeline(
    source: object, posts: Sequence[Post], *, batch_minutes: int = 30
) -> tuple[dict[str, int | None], set[int]]:
    """Feed ``posts`` through the ingest pipeline as they arrive (one push batch per
    ``batch_minutes`` of publication time) and read back each post's issue and the set
    of issues the issue list shows (needs a database; ``source`` is a push source)."""
    from prima.monitoring.ingest import ingest_items
    from prima.monitoring.models import Issue, Mention
    from prima.monitoring.parsers.base import ParsedItem

    batch: list[ParsedItem] = []
    batch_end: datetime | None = None
    for n, p in enumerate(posts):
        if batch_end is not None and p.published_at >= batch_end and batch:
            ingest_items(source, batch)  # type: ignore[arg-type]
            batch = []
        if not batch:
            batch_end = p.published_at + timedelta(minutes=batch_minutes)
        batch.append(ParsedItem(
            external_id=p.external_id, text=p.text, author=f"Akun {n}",
            author_handle=f"akun{n}", platform="twitter", published_at=p.published_at,
            url=f"https://x.com/akun{n}/status/{n}",
        ))  # fmt: skip
    if batch:
        ingest_items(source, batch)  # type: ignore[arg-type]
    office = source.office  # type: ignore[attr-defined]
    clusters = dict(Mention.objects.filter(office=office).values_list("external_id", "issue_id"))
    shown = set(Issue.objects.filter(office=office).shown().values_list("pk", flat=True))
    # Issues merged into others count as their target.
    merged = dict(
        Issue.objects.filter(office=office, merged_into__isnull=False).values_list(
            "pk", "merged_into_id"
        )
    )
    for key, issue in clusters.items():
        while issue in merged:
            issue = merged[issue]
        clusters[key] = issue
    return clusters, shown  # type: ignore[return-value]

"""Demo data: a month of synthetic coverage about the Soekarno-Hatta immigration office.

Everything here is written by the project (templates × variations), in Indonesian and
English: queues at the immigration counters, passports, autogates, a hoax about a new
fee, a foreign national's deportation, good-service stories, travellers' posts in
English… and one growing storm: in the last two days, hourly volume about broken
autogates and hours-long queues rises sharply, mostly negative, mostly on X and TikTok,
until a video of the stalled queue goes viral (dozens of shares within ten minutes, a
25 minutes before the demo was loaded).

Mentions go through the real pipeline (:func:`prima.monitoring.ingest.ingest_items`), so
duplicates, languages, sentiment, watch-lists, issues and rollups are computed as in
production. The RSS sources point at addresses that resolve nowhere; nothing is fetched.
Deterministic (fixed random seed) and idempotent: loading twice adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from prima.organizations import audit
from prima.organizations.demo import register
from prima.organizations.models import Office, User

from .ingest import ingest_items
from .models import JobKind, Mention, Source, SourceKind, WatchList
from .parsers.base import ParsedItem
from .services import create_source
from .sources.push.transport import entries_from_posts

OFFICE = "kanim-soekarno-hatta"
SEED = 20251119
DAYS = 30

FEEDS = [
    ("Warta Bandara (RSS)", "https://warta-bandara.demo.invalid/rss", "Warta Bandara"),
    ("Kabar Tangerang (RSS)", "https://kabar-tangerang.demo.invalid/feed", "Kabar Tangerang"),
    ("Jakarta Travel Daily (RSS)", "https://jakarta-travel.demo.invalid/atom.xml",
     "Jakarta Travel Daily"),
]  # fmt: skip
NEWS_OUTLETS = [
    "Warta Bandara",
    "Kabar Tangerang",
    "Jakarta Travel Daily",
    "Harian Nusantara",
    "Suara Banten",
    "Portal Imigrasi Kini",
    "Berita Kota Online",
    "Metro Dirgantara",
]

WATCHLISTS = [
    ("Calo dan pungli paspor", "(paspor OR passport) AND (calo OR pungli)",
     "Brokers and extortion around passports."),
    ("Autogate", "autogate*", "Everything about the automated passport gates."),
    ("Antrean panjang", '"antrean panjang" OR "long queue"', "Queue complaints."),
    ("Hoaks tarif", "hoaks AND (tarif OR biaya)", "The false fee rumour."),
]  # fmt: skip

# --- templates ------------------------------------------------------------------------------
# Each theme: (weight, platforms, templates). {x} placeholders are filled from VARIANTS.
VARIANTS = {
    "jam": ["1 jam", "2 jam", "hampir 2 jam", "90 menit", "3 jam"],
    "terminal": ["Terminal 3", "Terminal 2", "Terminal 3 kedatangan", "Terminal 2F"],
    "konter": ["konter imigrasi", "loket imigrasi", "pemeriksaan imigrasi"],
    "wna": ["warga negara Nigeria", "WNA asal Tiongkok", "warga negara Rusia", "WNA asal India"],
    "kota": ["Tangerang", "Jakarta", "Bekasi", "Depok"],
    "hari": ["pagi ini", "tadi malam", "siang tadi", "barusan"],
    "pujian": ["cepat banget", "ramah sekali", "sangat membantu", "profesional"],
    "country": ["Australia", "Singapore", "Japan", "the Netherlands", "Korea"],
}
THEMES: list[tuple[int, tuple[str, ...], list[str]]] = [
    (14, ("twitter", "tiktok", "instagram"), [
        "Antrean panjang di {konter} {terminal} {hari}, nunggu {jam}. Tolong ditambah petugasnya",
        "{hari} antri di {konter} {terminal} sampai {jam}, capek banget",
        "Kenapa antrean panjang lagi di {konter} {terminal}? udah {jam} belum maju",
        "Antrean panjang imigrasi {terminal} bikin ketinggalan pesawat, parah",
    ]),
    (8, ("news",), [
        "Imigrasi Soekarno-Hatta tambah petugas untuk urai antrean panjang di {terminal}",
        "Kantor Imigrasi Soekarno-Hatta buka konter tambahan, antrean di {terminal} berkurang",
        "Libur panjang, antrean pemeriksaan imigrasi di {terminal} meningkat",
    ]),
    (9, ("twitter", "instagram", "facebook"), [
        "Bikin paspor di Kanim Soetta {pujian}, selesai cepat tanpa calo",
        "Pelayanan paspor imigrasi Soekarno-Hatta {pujian}, terima kasih petugas",
        "Alhamdulillah paspor elektronik jadi, pelayanannya {pujian}",
        "Ada calo paspor nawarin jalur cepat di {kota}, bayar mahal. Lapor ke mana ya?",
        "Hati-hati calo paspor minta pungli, urus sendiri lewat aplikasi saja",
    ]),
    (6, ("news",), [
        "Imigrasi Soekarno-Hatta deportasi {wna} karena penyalahgunaan izin tinggal",
        "Petugas imigrasi bandara amankan {wna} yang melebihi izin tinggal",
        "{wna} dideportasi dari Bandara Soekarno-Hatta setelah langgar aturan keimigrasian",
    ]),
    (5, ("twitter", "facebook", "tiktok"), [
        "Katanya mulai bulan depan ada biaya baru masuk bandara lewat imigrasi Rp500.000?",
        "HOAKS: tarif baru pemeriksaan imigrasi Soekarno-Hatta. Imigrasi bilang tidak ada biaya",
        "Beredar pesan biaya tambahan paspor di bandara, ternyata hoaks kata humas imigrasi",
    ]),
    (6, ("twitter", "instagram"), [
        "Autogate di {terminal} cepat banget, cuma 15 detik langsung lewat",
        "Pertama kali pakai autogate imigrasi, praktis dan canggih",
        "Autogate {terminal} error lagi, paspor tidak terbaca, akhirnya antri manual",
    ]),
    (7, ("twitter", "instagram", "news"), [
        "Arrived at Soekarno-Hatta {terminal}, immigration took only 10 minutes. Smooth!",
        "Long queue at Jakarta airport immigration today, waited {jam_en}",
        "The autogate at Soekarno-Hatta worked great with my e-passport from {country}",
        "Friendly immigration officers at CGK, visa on arrival was quick",
        "Travel tip: use the autogate at Jakarta airport if you have an Indonesian e-passport",
    ]),
]  # fmt: skip
VARIANTS["jam_en"] = ["an hour", "two hours", "90 minutes", "almost two hours"]

OPENERS = [
    "",
    "",
    "",
    "Duh,",
    "Serius deh,",
    "Info:",
    "Guys,",
    "Barusan",
    "Sumpah",
    "Yaampun",
    "Cerita dikit:",
    "Jujur",
    "Kabar dari bandara:",
    "Buat yang mau terbang,",
    "Hmm",
]
CLOSERS = [
    "",
    "",
    "",
    "🙏",
    "😡",
    "😭",
    "👍",
    "#imigrasi",
    "#Soetta",
    "#infobandara",
    "semoga dibaca",
    "tolong RT",
    "cc @imigrasi_soetta",
    "ada yang ngalamin juga?",
    "bener-bener deh",
    "mantap",
    "capek",
    "parah sih",
]
OPENERS_EN = ["", "", "Heads up:", "PSA:", "Honestly,", "Wow,", "Just landed:", "FYI"]
CLOSERS_EN = ["", "", "#travel", "#Jakarta", "#Indonesia", "🙏", "👍", "not great", "so glad"]
STORM_TAGS = [
    "#AutogateSoettaLumpuh",
    "#AutogateSoettaLumpuh",
    "#AutogateSoettaLumpuh",
    "#ImigrasiSoetta",
    "",
]

STORM = [
    "Autogate {terminal} mati semua, antrean imigrasi {jam} tidak bergerak!",
    "Parah, autogate rusak lagi di {terminal}, petugas cuma dua, antre {jam}",
    "Ketinggalan pesawat gara-gara antrean imigrasi {terminal}, autogate error, kecewa banget",
    "Viral video antrean imigrasi mengular di {terminal}, autogate tidak berfungsi",
    "Tolong @imigrasi_soetta autogate {terminal} error dari {hari}, antrean imigrasi marah semua",
    "Anak saya nangis antre {jam} di imigrasi {terminal}, autogate mati, antrean tidak bergerak",
]  # fmt: skip
# The storm's flashpoint: a video of the stalled queue goes viral and, within ten minutes,
# dozens of accounts share it (the burst a storm detector must catch at once).
FLASHPOINT = [
    "Video viral: antrean imigrasi {terminal} mengular, autogate mati semua, penumpang teriak",
    "Lihat videonya, antrean imigrasi {terminal} tidak bergerak {jam}, autogate error total",
    "Ini videonya! Autogate Soetta lumpuh, antrean imigrasi sampai ke luar {terminal}",
    "Viral video antrean imigrasi {terminal}, petugas kewalahan, autogate tidak berfungsi",
]
FLASHPOINT_MINUTES_AGO = 25
FLASHPOINT_POSTS = 36
STORM_EN = [
    "Autogates at Soekarno-Hatta {terminal} are down, immigration queue over {jam_en}. Terrible",
    "Missed my connection because the immigration autogates at CGK were broken",
]  # fmt: skip

HANDLES = [
    "rina_travel",
    "budi.jalan",
    "sariwangi",
    "anakbandara",
    "kopi_senja",
    "dimas_p",
    "ayu.lestari",
    "travelmate_id",
    "jktcommuter",
    "nadiaputri",
    "bangjago",
    "tante_ria",
    "ojol_soetta",
    "mbak_ina",
    "pakde_han",
    "backpacker_ina",
    "sky_wanderer",
    "liburan_yuk",
    "mamah_muda",
    "cakfariz",
    "wisnu.id",
    "gadis_bandara",
    "kang_ujang",
    "si_ucok",
]


def _dress(text: str, rng: random.Random, english: bool = False) -> str:
    """Wrap a post's core in an opener and a closer, as people write."""
    openers, closers = (OPENERS_EN, CLOSERS_EN) if english else (OPENERS, CLOSERS)
    return " ".join(part for part in (rng.choice(openers), text, rng.choice(closers)) if part)


def _fill(template: str, rng: random.Random) -> str:
    out = template
    for key, values in VARIANTS.items():
        token = "{" + key + "}"
        while token in out:
            out = out.replace(token, rng.choice(values), 1)
    return out


def _engagement(rng: random.Random, platform: str, storm: bool) -> tuple[int, int, int]:
    base = 40 if storm else 6
    scale = {"tiktok": 5, "twitter": 3, "instagram": 3, "facebook": 2}.get(platform, 1)
    likes = int(rng.expovariate(1 / (base * scale)))
    return likes, int(likes * rng.uniform(0.05, 0.4)), int(likes * rng.uniform(0.02, 0.2))


def generate(now: datetime, rng: random.Random) -> Iterator[tuple[str, ParsedItem]]:
    """``(source key, item)`` pairs: about 1,600 regular mentions over ``DAYS`` days plus
    the storm (about 600 posts in the last 48 hours, growing hour by hour)."""
    weights = [w for w, _p, _t in THEMES]
    n = 0
    for day in range(DAYS, 0, -1):
        per_day = rng.randint(40, 65)
        for _ in range(per_day):
            theme = rng.choices(THEMES, weights=weights)[0]
            _w, platforms, templates = theme
            platform = rng.choice(platforms)
            published = now - timedelta(days=day, minutes=rng.randint(0, 24 * 60 - 1))
            n += 1
            text = _fill(rng.choice(templates), rng)
            if platform != "news":
                text = _dress(text, rng, english=theme is THEMES[-1])
            yield _item(n, text, platform, published, rng, False)
    # The storm: posts per hour grow roughly exponentially over the last 48 hours.
    for hours_ago in range(48, 0, -1):
        count = int(1.5 * (1.085 ** (48 - hours_ago))) + rng.randint(0, 2)
        for _ in range(count):
            english = rng.random() < 0.12
            text = _fill(rng.choice(STORM_EN if english else STORM), rng)
            text = _dress(f"{text} {rng.choice(STORM_TAGS)}".strip(), rng, english=english)
            platform = rng.choices(["twitter", "tiktok", "instagram", "news"], [6, 4, 1, 1])[0]
            published = now - timedelta(hours=hours_ago, minutes=-rng.randint(0, 59))
            n += 1
            yield _item(n, text, platform, published, rng, True)
    flash_rng = random.Random(SEED + 1)  # noqa: S311 - demo text; keeps the rest as it was
    flash = now - timedelta(minutes=FLASHPOINT_MINUTES_AGO)
    for _ in range(FLASHPOINT_POSTS):
        text = _fill(flash_rng.choice(FLASHPOINT), flash_rng)
        text = _dress(f"{text} #AutogateSoettaLumpuh", flash_rng)
        platform = flash_rng.choices(["twitter", "tiktok", "instagram"], [5, 4, 1])[0]
        published = flash + timedelta(seconds=flash_rng.randint(0, 600))
        n += 1
        yield _item(n, text, platform, published, flash_rng, True)
    # Copies: syndicated news and copy-paste posts (near-duplicates).
    for k in range(40):
        published = now - timedelta(days=rng.randint(1, DAYS - 1), hours=rng.randint(0, 12))
        text = _fill(rng.choice(THEMES[3][2]), random.Random(k))  # noqa: S311 - demo text
        for copy in range(rng.randint(2, 5)):
            n += 1
            item = _item(
                n,
                text + ("" if copy == 0 else f" ({rng.choice(NEWS_OUTLETS)})"),
                "news",
                published + timedelta(minutes=copy * 7),
                rng,
                False,
            )
            yield item


def _item(
    n: int, text: str, platform: str, published: datetime, rng: random.Random, storm: bool
) -> tuple[str, ParsedItem]:
    likes, shares, comments = _engagement(rng, platform, storm)
    if platform == "news":
        outlet = rng.choice(NEWS_OUTLETS)
        feed = next((f for f in FEEDS if f[2] == outlet), None)
        key = feed[0] if feed else "social"
        slug = "-".join(text.lower().split()[:8]).replace(",", "").replace(".", "")
        return key, ParsedItem(
            external_id=f"demo-news-{n}",
            title=text,
            text=f"{text}. {_news_body(rng)}",
            url=f"https://{outlet.lower().replace(' ', '')}.demo.invalid/{n}/{slug}",
            outlet=outlet,
            author=rng.choice(["Redaksi", "Tim Liputan", "Rahmat H.", "Dewi S."]),
            platform="news",
            published_at=published,
            likes=None,
            shares=shares,
            comments=None,
        )
    handle = rng.choice(HANDLES) + ("" if rng.random() < 0.6 else str(rng.randint(1, 99)))
    return "social", ParsedItem(
        external_id=f"demo-{platform}-{n}",
        text=text,
        author=handle.replace("_", " ").title(),
        author_handle=handle,
        author_followers=int(rng.lognormvariate(6, 1.5)),
        platform=platform,
        published_at=published,
        likes=likes,
        shares=shares,
        comments=comments,
        url=f"https://{platform}.demo.invalid/{handle}/{n}",
    )


def _news_body(rng: random.Random) -> str:
    return rng.choice([
        "Kepala Kantor Imigrasi Soekarno-Hatta menyampaikan bahwa pelayanan tetap berjalan "
        "sesuai standar dan masyarakat diimbau memeriksa informasi resmi.",
        "Humas Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta menjelaskan langkah yang "
        "diambil kepada wartawan di Tangerang.",
        "Masyarakat dapat menyampaikan pengaduan melalui kanal resmi imigrasi.",
    ])  # fmt: skip


@register(20, "media monitoring")
def load_monitoring(say: Callable[[str], None]) -> None:
    office = Office.objects.filter(code=OFFICE).first()
    if office is None:
        say("  (no Soekarno-Hatta office: skipped)")
        return
    if Mention.objects.filter(office=office, external_id__startswith="demo-").exists():
        say("  monitoring demo already loaded")
        return
    author = User.objects.filter(username="humas").first()
    sources: dict[str, Source] = {}
    with transaction.atomic():
        for name, url, outlet in FEEDS:
            source, created = Source.objects.get_or_create(
                office=office, name=name,
                defaults={"kind": SourceKind.RSS, "url": url, "outlet": outlet, "platform": "news",
                          "created_by": author,
                          "next_poll_at": timezone.now() + timedelta(days=3650)},
            )  # fmt: skip
            if created:
                audit.log(author, "source.create", source, after=audit.snapshot(source))
            sources[name] = source
        social, created = Source.objects.get_or_create(
            office=office,
            name="Ekspor media sosial (demo)",
            defaults={"kind": SourceKind.SOCIAL_IMPORT, "created_by": author},
        )
        if created:
            audit.log(author, "source.create", social, after=audit.snapshot(social))
        sources["social"] = social
        for name, query, description in WATCHLISTS:
            watchlist, created = WatchList.objects.get_or_create(
                office=office,
                name=name,
                defaults={"query": query, "description": description, "created_by": author},
            )
            if created:
                audit.log(author, "watchlist.create", watchlist, after=audit.snapshot(watchlist))
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not secrets
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    # Day by day, so that issues form in time order as they would have live. The days are
    # counted back from now (not calendar days): the data are the same at any hour the
    # demo is loaded (calendar days cut them differently each hour, and the issues formed
    # differently).
    by_day: dict[tuple[int, str], list[ParsedItem]] = {}
    for key, item in generate(now, rng):
        published = item.published_at or now  # the generator always dates its posts
        days_ago = (now - published) // timedelta(days=1)
        by_day.setdefault((-days_ago, key), []).append(item)
    total = 0
    for (_day, key), items in sorted(by_day.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        items.sort(key=lambda i: i.published_at or now)
        job, _results = ingest_items(sources[key], items, kind=JobKind.DEMO, user=author)
        total += job.accepted
    from .tasks import ensure_scheduler

    ensure_scheduler()  # the worker started by `make demo` then runs the scheduler
    say(f"  {total} mentions, {len(WATCHLISTS)} watch-lists, {len(sources)} sources")


PUSH_SOURCE_NAME = "Jembatan media sosial (demo)"


@register(21, "push source")
def load_push_source(say: Callable[[str], None]) -> None:
    """A push source, made the way a PR lead makes one (its key is not kept: issue a new
    one on the source's page to try the push API), with one batch already pushed."""
    office = Office.objects.filter(code=OFFICE).first()
    lead = User.objects.filter(username="kasihumas").first()
    if office is None or lead is None:
        return
    if Source.objects.filter(office=office, name=PUSH_SOURCE_NAME).exists():
        return
    source = create_source(
        lead, office, kind=SourceKind.PUSH, name=PUSH_SOURCE_NAME, platform="instagram"
    )
    now = timezone.now().replace(second=0, microsecond=0)
    posts = [
        {
            "external_id": f"demo-push-{n}",
            "text": text,
            "author_handle": handle,
            "published_at": (now - timedelta(hours=2 * n + 1)).isoformat(),
            "likes": likes,
        }
        for n, (handle, text, likes) in enumerate(
            [
                ("jalanjalan.id", "Antre imigrasi Soetta pagi ini lancar, autogate cepat", 120),
                ("wisata.kita", "Paspor elektronik bikin proses di bandara lebih singkat", 85),
                ("infobandara", "Petugas imigrasi T3 ramah membantu lansia", 64),
            ]
        )
    ]
    ingest_items(source, entries_from_posts(posts, source.platform), kind=JobKind.PUSH, user=lead)
    say(f"  push source “{source.name}” with {len(posts)} pushed posts")


# Posts the shipped model misreads (checked against it), with the label staff give them.
DEMO_CORRECTIONS = [
    ("Ini videonya! Autogate Soetta lumpuh", "negative"),
    ("Viral video antrean imigrasi mengular", "negative"),
    ("Video viral: antrean imigrasi", "negative"),
    ("Friendly immigration officers at CGK", "positive"),
    ("The autogate at Soekarno-Hatta worked great", "positive"),
]


@register(22, "sentiment corrections")
def load_sentiment_corrections(say: Callable[[str], None]) -> None:
    """Staff correct posts the model misread (an outraged "Ini videonya! … lumpuh" read as
    positive, praise in English read as neutral), in bulk as in the stream; the worker's
    scheduler then retrains the model with them (Monitoring → Sentiment model shows the
    new version once it is ready)."""
    from .services import correct_sentiments

    office = Office.objects.filter(code=OFFICE).first()
    humas = User.objects.filter(username="humas").first()
    if office is None or humas is None:
        return
    if Mention.objects.filter(office=office, sentiment_corrected=True).exists():
        return
    changed = 0
    for label in ("negative", "positive"):
        wrong: list[Mention] = []
        for prefix, wanted in DEMO_CORRECTIONS:
            if wanted == label:
                wrong += (
                    Mention.objects.filter(
                        office=office, external_id__startswith="demo-", text__startswith=prefix
                    )
                    .exclude(sentiment=label)
                    .order_by("pk")[:3]
                )
        changed += correct_sentiments(humas, wrong, label) if wrong else 0
    say(f"  {changed} sentiment corrections (the worker retrains the model with them)")

"""Data for the page tests: a few mentions stored through the real pipeline.

Not a test module. ``coverage(office)`` ingests a small, fixed set of Indonesian and
English items (a syndicated story carried by three outlets, a negative post storm about
autogate queues, a hoax) so that rollups, issues and story groups exist as in production.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from prima.monitoring.ingest import ingest_items
from prima.monitoring.models import Mention, Source, SourceKind
from prima.monitoring.parsers.base import ParsedItem
from prima.organizations.models import Office

SYNDICATED = (
    "Kantor Imigrasi Soekarno-Hatta menambah dua puluh autogate baru di Terminal 3 untuk "
    "mempercepat pemeriksaan penumpang internasional menjelang libur Natal dan Tahun Baru. "
    "Kepala kantor menyebut waktu antre kini rata-rata di bawah sepuluh menit."
)
QUEUE_POSTS = [
    "Antrean imigrasi di Terminal 3 Soekarno-Hatta parah banget, autogate mati semua",
    "Sudah satu jam antre di imigrasi bandara Soekarno-Hatta, autogate rusak lagi",
    "Autogate Terminal 3 error, antrean imigrasi mengular sampai ke eskalator",
    "Kecewa sekali dengan antrean imigrasi Soetta malam ini, petugas sedikit autogate mati",
]


def _item(n: int, text: str, at: datetime, **fields) -> ParsedItem:
    return ParsedItem(external_id=f"t-{n}", text=text, published_at=at, **fields)


def source_for(office: Office, name: str = "Ekspor medsos", kind: str = SourceKind.SOCIAL_IMPORT):
    source, _created = Source.objects.get_or_create(
        office=office, name=name, defaults={"kind": kind}
    )
    return source


def coverage(office: Office, *, now: datetime | None = None, prefix: str = "") -> list[Mention]:
    """Store the fixed test coverage for ``office``; returns its mentions, newest first."""
    now = now or timezone.now()
    base = now - timedelta(hours=30)
    items = []
    outlets = ["Kompas.com", "Detik.com", "Antara News"]
    for i, outlet in enumerate(outlets):
        items.append(
            _item(
                100 + i,
                SYNDICATED + ("" if i == 0 else f" Dikutip oleh {outlet}."),
                base + timedelta(hours=i),
                title="Imigrasi Soetta tambah 20 autogate baru",
                outlet=outlet,
                platform="news",
                url=f"https://{outlet.lower()}/autogate-{prefix}{i}",
            )
        )
    for i, text in enumerate(QUEUE_POSTS):
        items.append(
            _item(
                200 + i,
                text,
                now - timedelta(hours=3 - i * 0.5),
                author=f"Warga {i}",
                author_handle=f"warga{prefix}{i}",
                author_followers=1000 * (i + 1),
                platform="twitter",
                likes=10 * (i + 1),
                shares=5 * (i + 1),
                comments=i,
            )
        )
    items.append(
        _item(
            300,
            "HOAKS: paspor bisa diurus tanpa datang ke kantor imigrasi lewat calo online",
            now - timedelta(hours=10),
            author="Info Viral",
            author_handle=f"infoviral{prefix}",
            platform="facebook",
            likes=500,
            shares=1200,
            comments=80,
        )
    )
    items.append(
        _item(
            301,
            "Passport service at Soekarno-Hatta immigration was quick and friendly today",
            now - timedelta(hours=5),
            author="Traveller",
            author_handle=f"traveller{prefix}",
            platform="twitter",
            likes=3,
            lang_hint="en",
        )
    )
    items.append(
        _item(
            302,
            '=HYPERLINK("http://evil.example") formula di awal teks <b>tebal</b>',
            now - timedelta(days=2),
            author="@x",
            author_handle=f"x{prefix}",
            platform="twitter",
        )
    )
    ingest_items(source_for(office), [_with_prefix(it, prefix) for it in items])
    return list(Mention.objects.filter(office=office).order_by("-published_at", "-pk"))


def _with_prefix(item: ParsedItem, prefix: str) -> ParsedItem:
    item.external_id = f"{prefix}{item.external_id}"
    if prefix:
        item.text = f"{item.text} ({prefix})"
    return item


def old_mention_time() -> datetime:
    return datetime(2025, 1, 1, 3, 0, tzinfo=UTC)

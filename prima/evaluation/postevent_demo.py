"""Demo data of the post-event evaluation: news about the demo's held performance
conference (some matching it, some not, some before it), collected through monitoring's
ingestion, then proposed as coverage; PR staff confirm some and reject one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from prima.conferences.models import Conference, Stage
from prima.monitoring.ingest.jobs import ingest_items
from prima.monitoring.models import JobKind, Source, SourceKind
from prima.monitoring.parsers.base import ParsedItem
from prima.organizations import audit
from prima.organizations.demo import register
from prima.organizations.models import User

from . import coverage
from .coverage_models import CoverageProposal, ProposalStatus

OFFICE = "kanim-soekarno-hatta"
SOURCE_NAME = "Pantauan berita nasional (demo evaluasi)"

# (hours from the start of the conference, outlet, platform, title, text, followers, likes)
NEWS = [
    (3, "Tempo", "news", "Perlintasan di Bandara Soekarno-Hatta naik 8 persen",
     "Juru bicara Kantor Imigrasi Soekarno-Hatta, Sri Handayani, mengatakan perlintasan orang "
     "bulan lalu mencapai 1.612.405 orang. Perlintasan naik 8 persen dibanding bulan sebelumnya "
     "dan layanan tetap lancar. Penggunaan autogate mencapai 71 persen.", 250_000, 140),
    (5, "CNN Indonesia", "news", "Autogate percepat pemeriksaan penumpang di Soetta",
     "Autogate mempercepat pemeriksaan penumpang menjadi rata-rata 15 detik per orang, kata "
     "Sri Handayani. Perlintasan keberangkatan didominasi autogate.", 900_000, 410),
    (8, "Kumparan", "news", "Imigrasi Soetta: biaya paspor sesuai aturan, jangan lewat calo",
     "Layanan paspor di Kantor Imigrasi bebas calo. Biaya resmi paspor sesuai PP 45/2024, "
     "ujar Sri Handayani dalam konferensi pers. Perlintasan bulan lalu tercatat naik.",
     180_000, 95),
    (20, "Liputan6", "news", "Penggunaan autogate di Soetta capai 81 persen",
     "Penggunaan autogate di Bandara Soekarno-Hatta disebut mencapai 81 persen dari seluruh "
     "perlintasan keberangkatan. Pemeriksaan penumpang kini lebih cepat.", 120_000, 60),
    (30, "", "twitter", "",
     "autogate di soetta sekarang cepet bgt, perlintasan lancar pas mudik kemarin", 2_300, 35),
    # After the conference, about something else: never proposed.
    (6, "Detikcom", "news", "Petugas imigrasi bantu penumpang lansia di Terminal 3",
     "Petugas Kantor Imigrasi Soekarno-Hatta membantu penumpang lansia yang kebingungan di "
     "konter kedatangan Terminal 3.", 300_000, 80),
    # Before the conference (the tone before): complaints about queues at the gates.
    (-30, "", "twitter", "",
     "antrean perlintasan di soetta parah, autogate error terus, lambat banget", 1_200, 50),
    (-20, "", "twitter", "",
     "kecewa, autogate rusak lagi, perlintasan keberangkatan macet sejam", 800, 22),
    (-10, "Kompas", "news", "Antrean perlintasan di Soekarno-Hatta dikeluhkan",
     "Penumpang mengeluhkan antrean perlintasan; sebagian autogate tidak berfungsi pada akhir "
     "pekan.", 700_000, 120),
]  # fmt: skip


def _item(n: int, held: datetime, row: tuple[Any, ...]) -> ParsedItem:
    hours, outlet, platform, title, text, followers, likes = row
    return ParsedItem(
        external_id=f"demo-eval-{n}",
        text=text,
        title=title,
        url=f"https://berita.example.id/{n}" if outlet else f"https://x.com/warga{n}/status/{n}",
        author=outlet or f"Warga {n}",
        author_handle="" if outlet else f"warga{n}",
        author_followers=followers,
        outlet=outlet,
        platform=platform,
        published_at=held + timedelta(hours=hours),
        likes=likes,
        shares=likes // 4,
        comments=likes // 10,
    )


@register(50, "post-event evaluation")
def load_postevent(say: Callable[[str], None]) -> None:
    conference = (
        Conference.objects.filter(office__code=OFFICE, stage=Stage.CLOSED, is_exercise=False)
        .order_by("pk")
        .first()
    )
    staff = User.objects.filter(username="humas").first()
    if conference is None or staff is None:
        say("  no held demo conference: skipped")
        return
    if CoverageProposal.objects.filter(conference=conference).exists():
        say("  post-event evaluation already loaded")
        return
    span = coverage.windows(conference)
    if span is None:
        say("  the demo conference was not held: skipped")
        return
    source, created = Source.objects.get_or_create(
        office=conference.office,
        name=SOURCE_NAME,
        defaults={"kind": SourceKind.SOCIAL_IMPORT, "created_by": staff},
    )
    if created:
        with transaction.atomic():
            audit.log(staff, "source.create", source, after=audit.snapshot(source))
    items = [_item(n, span.held, row) for n, row in enumerate(NEWS)]
    ingest_items(source, items, kind=JobKind.DEMO, user=staff)
    result = coverage.compute_proposals(conference)
    proposals = list(
        CoverageProposal.objects.filter(conference=conference).select_related("mention")
    )
    decided = 0
    for proposal in proposals:
        if proposal.mention.platform == "twitter":
            coverage.decide(staff, proposal, ProposalStatus.REJECTED)
            decided += 1
        elif proposal.mention.outlet in {"Tempo", "CNN Indonesia", "Liputan6"}:
            coverage.decide(staff, proposal, ProposalStatus.CONFIRMED)
            decided += 1
    say(f"  {result.total} coverage proposals for “{conference.title}”, {decided} decided")

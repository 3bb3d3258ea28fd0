"""Demo data of the crisis playbook, made by the real machinery.

- **The storm.** The monitoring demo's month of coverage is replayed in 5-minute rounds
  over its last two days through the shipped storm detector, exactly as the workers would
  have run it live: the storm about the broken autogates raises a signal as it starts,
  the signals become one case, the automatic assessment calls the responders, and once
  the storm has shown its size a PR staff member assesses the case (service disruption,
  thousands affected, national reputation: Tinggi). Nobody has acknowledged, so the
  escalation has climbed to the directorate general by the time the demo is opened. The
  escalation e-mails are in ``var/mail/``.
- **A past hoax case**, closed: the false "new airport immigration fee" rumour, assessed,
  acknowledged, clarified (the clarification published on the website and Instagram) —
  the hoax register's first entry and the office's response figures.
- **A drill** ready to start: a generated storm about a fake passport surcharge.

Deterministic apart from the clock, idempotent (loading twice adds nothing), refused
when DEBUG is off like every demo loader.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from prima.monitoring.models import Mention, WatchList
from prima.organizations.demo import refresh_planner_statistics, register
from prima.organizations.models import Office, User

from . import (
    assessment,
    buckets,
    cases,
    clarifications,
    delivery,
    drills,
    escalation,
    playbook,
    streaming,
)
from .models import Case, Drill

OFFICE = "kanim-soekarno-hatta"
DRILL_NAME = "Latihan: hoaks biaya tambahan paspor viral di TikTok"
REPLAY_HOURS = 48
HISTORY_DAYS = 31

STORM_ASSESSMENT: dict[str, Any] = {
    "category": "service_disruption",
    "interest": {
        "affected": 1.0,  # thousands of travellers at the main gateway
        "safety": 0.0,
        "rights": 0.0,
        "vulnerable": 0.0,
        "reputation": 1.0,  # national: the country's main airport
        "political": 0.0,
    },
    "note": "Autogate Terminal 3 mati sejak pagi; antrean manual mengular. Video viral di "
    "X dan TikTok. Tim TIKIM memeriksa log sistem.",
}


def _person(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _round(now: datetime) -> None:
    """One worker round at ``now`` (what ``tasks.run_tick`` does, for the replay)."""
    streaming.advance(now)
    cases.group_pending(now)
    escalation.advance(now)
    playbook.sync_conferences(now)
    delivery.deliver_pending(now)


def replay_storm(office: Office, now: datetime, say: Callable[[str], None]) -> Case | None:
    """Run the crisis rounds of the last ``REPLAY_HOURS`` in 5-minute steps (the detector
    sees the storm start two days ago); staff assess the storm's case once it has shown
    its size."""
    start = buckets.floor(now - timedelta(hours=REPLAY_HOURS))
    refresh_planner_statistics()  # the mentions were just loaded: hundreds of counts follow
    streaming.ensure_series(
        office.pk,
        start,
        history_from=now - timedelta(days=HISTORY_DAYS),
        signals_from=start,
    )
    humas, kasihumas = _person("humas"), _person("kasihumas")
    assessed = False
    moment = start
    while moment <= now:
        _round(moment)
        case = Case.objects.filter(office=office, is_exercise=False, status="open").first()
        if case is not None and not assessed and case.signal_at is not None:
            # Staff assess once the storm has shown its size (the last two hours).
            if moment >= now - timedelta(hours=2) and humas is not None:
                assessment.record(humas, case, now=moment, **STORM_ASSESSMENT)
                if kasihumas is not None:
                    cases.add_note(
                        kasihumas,
                        case,
                        "Sudah koordinasi dengan Kepala Seksi Lalu Lintas Keimigrasian: "
                        "konter manual tambahan dibuka di Terminal 3.",
                        now=moment,
                    )
                assessed = True
        moment += timedelta(minutes=5)
    return Case.objects.filter(office=office, is_exercise=False).order_by("-opened_at").first()


def past_hoax_case(office: Office, now: datetime) -> Case | None:
    humas, kasihumas = _person("humas"), _person("kasihumas")
    watchlist = WatchList.objects.filter(office=office, name="Hoaks tarif").first()
    if humas is None or kasihumas is None or watchlist is None:
        return None
    opened = (now - timedelta(days=20)).replace(hour=2, minute=5, second=0, microsecond=0)
    case = cases.open_case(
        humas,
        office,
        title="Hoaks tarif baru pemeriksaan imigrasi di Bandara Soekarno-Hatta",
        watchlist_ids=[watchlist.pk],
        note="Pesan berantai WhatsApp dan unggahan Facebook: 'mulai bulan depan ada biaya "
        "Rp500.000 saat pemeriksaan imigrasi'.",
        now=opened,
    )
    assessment.record(
        humas,
        case,
        category="hoax",
        interest={"affected": 0.7, "safety": 0.0, "rights": 1.0, "vulnerable": 0.0,
                  "reputation": 0.5, "political": 0.0},
        note="Tidak ada tarif baru; PP 45/2024 tidak mengatur biaya pemeriksaan di TPI.",
        now=opened + timedelta(minutes=6),
    )  # fmt: skip
    delivery.deliver_pending(opened + timedelta(minutes=6))
    try:
        escalation.acknowledge(kasihumas, case, now=opened + timedelta(minutes=11))
    except Exception:  # noqa: BLE001 - the level may call someone else: then they do
        head = _person("kakanim")
        if head is not None:
            escalation.acknowledge(head, case, now=opened + timedelta(minutes=11))
    item = clarifications.create(
        humas,
        case,
        title="Tidak ada tarif baru pemeriksaan imigrasi di Bandara Soekarno-Hatta",
        claim="Mulai bulan depan setiap penumpang membayar Rp500.000 saat melewati "
        "pemeriksaan imigrasi di Bandara Soekarno-Hatta.",
        facts="Pemeriksaan keimigrasian di Tempat Pemeriksaan Imigrasi tidak dipungut biaya. "
        "Tarif layanan keimigrasian hanya yang ditetapkan peraturan pemerintah tentang PNBP "
        "dan diumumkan di kanal resmi. Masyarakat diimbau tidak menyebarkan pesan berantai "
        "tersebut dan melaporkan pungutan di luar ketentuan.",
        title_en="No new immigration check fee at Soekarno-Hatta Airport",
        facts_en="The immigration check at the airport's immigration checkpoint is free of "
        "charge. Immigration fees are only those set by the government regulation on "
        "non-tax state revenue and announced on official channels. Please do not forward "
        "the chain message and report any charge outside these rules.",
        now=opened + timedelta(minutes=20),
    )
    clarifications.submit(humas, item, now=opened + timedelta(minutes=28))
    clarifications.publish(
        kasihumas,
        item,
        channels=[
            {"channel": "website", "url": "https://soekarnohatta.imigrasi.demo.invalid/klarifikasi/1"},
            {"channel": "instagram", "url": "https://instagram.demo.invalid/imigrasi_soetta/p/1"},
        ],
        now=opened + timedelta(minutes=41),
    )  # fmt: skip
    cases.close(
        kasihumas,
        case,
        reason="resolved",
        note="Percakapan mereda setelah klarifikasi; tidak ada sebutan baru dalam 24 jam.",
        now=opened + timedelta(days=2),
    )
    return case


def storm_drill(office: Office) -> Drill | None:
    lead = _person("kasihumas")
    if lead is None:
        return None
    return drills.create(
        lead,
        office,
        name=DRILL_NAME,
        description="Sebuah video TikTok mengklaim ada 'biaya tambahan' Rp1 juta untuk paspor "
        "di Kanim Soetta. Latih: konfirmasi, penilaian, pernyataan sementara dalam 60 menit.",
        scenario=drills.generate_storm(
            history_hours=72,
            baseline_per_hour=3,
            burst_hours=2,
            peak_per_bucket=35,
            negative_share=0.85,
            seed=20251119,
        ),
    )


@register(40, "crisis playbook")
def load_crisis(say: Callable[[str], None]) -> None:
    office = Office.objects.filter(code=OFFICE).first()
    if office is None or not Mention.objects.filter(office=office).exists():
        say("  (no Soekarno-Hatta monitoring data: skipped)")
        return
    if Drill.objects.filter(office=office, name=DRILL_NAME).exists():
        say("  crisis demo already loaded")
        return
    now = timezone.now()
    past = past_hoax_case(office, now)
    storm = replay_storm(office, now, say)
    drill = storm_drill(office)
    if storm is None:
        say("  the storm detector raised no signal on the demo storm")
    else:
        say(
            f"  storm case #{storm.pk} “{storm.title}”: level {storm.get_level_display()}, "
            f"{storm.signals.count()} signal(s)"
        )
    say(f"  past hoax case #{past.pk if past else '-'}, drill #{drill.pk if drill else '-'}")

"""Demo data for personal data: an open breach at Soekarno-Hatta with its countdown
running, a closed one notified on time, and a first retention run (so the record page
shows what retention removed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ..demo import SOETTA, register
from ..models import LoginFailure, Office, User
from . import breach as service
from .declarations import DataCategory, Subject
from .models import Breach
from .retention import run_retention
from .tasks import ensure_chain


@register(95, "personal data")
def load_personal_data(say: Callable[[str], None]) -> None:
    office = Office.objects.get(code=SOETTA)
    head = User.objects.get(username="kakanim")
    now = timezone.now()
    if not Breach.objects.filter(office=office).exists():
        closed = service.register(
            head,
            office,
            {
                "title": "Berkas daftar hadir konferensi pers terunggah ke folder publik",
                "discovered_at": now - timedelta(days=92),
                "occurred_at": now - timedelta(days=93),
                "description": (
                    "Pindaian daftar hadir konferensi pers (nama, media, nomor telepon "
                    "wartawan) tersimpan di folder bersama yang dapat dibuka tanpa masuk "
                    "selama kurang lebih 20 jam."
                ),
                "records": ["conferences.Attendance", "conferences.MediaContact"],
                "data_categories": [DataCategory.IDENTITY, DataCategory.CONTACT],
                "subjects": [Subject.JOURNALISTS],
                "estimated_people": 34,
                "consequences": "Nomor telepon wartawan dapat disalahgunakan untuk penipuan.",
                "measures": (
                    "Tautan publik dicabut, log akses diperiksa (tidak ada unduhan dari luar "
                    "jaringan kantor), staf diberi pembekalan penyimpanan berkas."
                ),
                "contact": "Pejabat Pelindungan Data Pribadi, humas.soetta@imigrasi.go.id",
            },
        )
        sent = closed.discovered_at + timedelta(hours=30)
        service.mark_notified(head, closed, service.Target.SUBJECTS, at=sent)
        service.mark_notified(head, closed, service.Target.AUTHORITY, at=sent)
        service.close(head, closed)
        open_breach = service.register(
            head,
            office,
            {
                "title": "Ekspor kontak media terkirim ke grup WhatsApp yang salah",
                "discovered_at": now - timedelta(hours=20),
                "occurred_at": now - timedelta(hours=22),
                "description": (
                    "Seorang staf humas mengirim berkas ekspor kontak media (nama, media, "
                    "telepon/WhatsApp, e-mail) ke grup WhatsApp komunitas, bukan ke grup "
                    "internal. Pesan dihapus 2 jam kemudian; 41 anggota grup."
                ),
                "records": ["conferences.MediaContact", "conferences.Invitation"],
                "data_categories": [
                    DataCategory.IDENTITY,
                    DataCategory.CONTACT,
                    DataCategory.PROFESSIONAL,
                ],
                "subjects": [Subject.JOURNALISTS],
                "systems": "Grup WhatsApp komunitas",
                "estimated_people": 86,
                "consequences": (
                    "Wartawan dapat menerima pesan tidak diinginkan atau penipuan yang "
                    "mengatasnamakan kantor."
                ),
                "measures": (
                    "Pesan dihapus untuk semua anggota; admin grup diminta menghapus salinan; "
                    "ekspor kontak kini hanya untuk kepala seksi."
                ),
                "contact": "Pejabat Pelindungan Data Pribadi, humas.soetta@imigrasi.go.id",
            },
        )
        # As if registered an hour after the discovery (the demo loads them now).
        for breach in (closed, open_breach):
            Breach.objects.filter(pk=breach.pk).update(
                created_at=breach.discovered_at + timedelta(hours=1)
            )
        service.mark_notified(
            head, open_breach, service.Target.SUBJECTS, at=now - timedelta(hours=4)
        )
    with transaction.atomic():
        if not LoginFailure.objects.filter(at__lt=now - timedelta(days=40)).exists():
            for username in ("admin", "kakanim", "tebak-tebak"):
                LoginFailure.objects.create(
                    username=username, ip="198.51.100.23", at=now - timedelta(days=45)
                )
    report = run_retention()
    ensure_chain()
    say(f"  2 breaches, retention run: {report.total} removed")

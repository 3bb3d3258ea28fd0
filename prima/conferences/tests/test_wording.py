"""Texts people read on the conference pages: natural Indonesian, nothing cut mid-word,
state and action never confused."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import translation

from prima.conferences import workflow
from prima.conferences.models import MaterialVersion, ReadinessItem
from prima.conftest import client_for

from .helpers import NOW


def reading_time(words: int, lang: str = "id") -> str:
    with translation.override(lang):
        return MaterialVersion(body=" ".join(["kata"] * words)).reading_time


def test_reading_time_reads_as_people_say_it():
    assert reading_time(10) == "Dibacakan kurang dari satu menit."
    assert reading_time(100) == "Dibacakan sekitar 1 menit."
    assert reading_time(150) == "Dibacakan sekitar 1,5 menit."
    assert reading_time(250) == "Dibacakan sekitar 2,5 menit."
    assert reading_time(420) == "Dibacakan sekitar 4 menit."
    assert reading_time(10, "en") == "Less than a minute to read aloud."
    assert reading_time(150, "en") == "About 1 and a half minutes to read aloud."
    assert reading_time(100, "en") == "About 1 minute to read aloud."


def test_qa_answers_count_in_the_reading_time():
    version = MaterialVersion(items=[{"question": "a " * 50, "answer": "b " * 50}])
    assert version.words == 100


def test_the_unverified_facts_are_counted_in_indonesian_word_order(conference, pr_staff):
    for n in range(3):
        workflow.add_fact(pr_staff, conference, statement=f"Fakta {n}", source="SIMKIM", now=NOW)
    page = client_for(pr_staff).get(conference.get_absolute_url()).content.decode()
    assert "3 fakta belum diverifikasi" in page


def test_blockers_do_not_cut_a_fact_mid_word(conference, pr_staff):
    statement = (
        "Para WNI direkrut melalui media sosial dengan tawaran kerja di luar negeri "
        "oleh jaringan yang sama dengan kasus bulan lalu di Terminal 3."
    )
    workflow.add_fact(pr_staff, conference, statement=statement, source="Wawancara", now=NOW)
    messages = [b.message for b in workflow.blockers(conference) if b.code == "fact_unverified"]
    assert len(messages) == 1
    shown = messages[0].split(": ", 1)[1]
    assert shown.endswith("…")
    words = shown[:-1].split()
    assert words == statement.split()[: len(words)]  # whole words only


def test_equipment_state_and_action_are_told_apart(conference, pr_staff):
    sound = ReadinessItem.objects.get(conference=conference, kind="sound")
    workflow.set_readiness(pr_staff, sound, is_ready=True, now=NOW)
    page = client_for(pr_staff).get(conference.get_absolute_url()).content.decode()
    ready = re.search(r'data-testid="readiness-sound".*?</li>', page, re.S).group(0)
    other = re.search(r'data-testid="readiness-podium".*?</li>', page, re.S).group(0)
    assert "✓ Siap" in ready and "Tandai belum siap" in ready
    assert "Belum siap" in other and "Tandai sudah siap" in other and "✓" not in other
    assert "dicek oleh Rina Wulandari" in ready
    assert reverse("conferences:readiness-set", args=[conference.pk, sound.pk]) in ready


def test_the_history_says_what_happened_in_words(conference, pr_staff, pr_staff2, head):
    fact = workflow.add_fact(pr_staff, conference, statement="Dua WNA", source="SIMKIM", now=NOW)
    workflow.verify_fact(pr_staff2, fact, now=NOW)
    url = reverse("audit-object-history", args=["conferences.conference", conference.pk])
    page = client_for(head).get(url).content.decode()
    assert "Fakta diverifikasi" in page and "Konferensi pers dibuka" in page
    row = re.search(
        r"<th>Fakta “Dua WNA” · [^<]+</th><td[^>]*>—</td><td[^>]*>Dimas Prasetyo</td>", page
    )
    assert row is not None, "the verifier is named, not numbered"
    assert "Rabu, 19 November 2025, 09.00 WIB" in page  # a time as people write it
    assert "conference.fact.verify" in page  # the code stays visible, small

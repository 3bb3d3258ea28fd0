"""What the report says about hand-written coverage: key-message pickup with the
matching sentence, accuracy against the verified facts (documents' comparison),
unforeseen questions, tone before and after, outlets reached versus invited."""

from __future__ import annotations

from datetime import timedelta

from prima.conferences.models import CoverageLink
from prima.evaluation import coverage, postevent
from prima.evaluation.coverage_models import CoverageProposal, ProposalStatus
from prima.monitoring.models import Mention

from .conftest import HELD, KEY_MESSAGES, store

COVERAGE = [
    ("c1", "Tempo", 2, "Autogate dipakai 71 persen penumpang Soetta",
     "Penggunaan autogate mencapai 71 persen dari seluruh perlintasan keberangkatan. "
     "Perlintasan naik 8 persen dibanding bulan sebelumnya dan layanan tetap lancar."),
    ("c2", "Kompas", 5, "Autogate Soetta capai 81 persen",
     "Penggunaan autogate mencapai 81 persen dari seluruh perlintasan keberangkatan, kata "
     "Sri Handayani."),
    ("c3", "", 9, "",
     "mantap, autogate mempercepat pemeriksaan, rata-rata 15 detik per penumpang. Terima kasih "
     "petugas bandara"),
]  # fmt: skip
BEFORE = [  # the window before: complaints about the gates
    ("b1", "", -30, "", "antrean perlintasan parah, autogate error terus"),
    ("b2", "", -20, "", "perlintasan keberangkatan macet, autogate rusak lagi"),
    ("b3", "Antara", -10, "Perlintasan padat", "Perlintasan padat, autogate ditambah."),
]


def _confirmed_report(held, news_source, pr_staff):
    store(news_source, *COVERAGE, *BEFORE)
    sentiments = {"c1": "positive", "c2": "neutral", "c3": "positive", "b1": "negative",
                  "b2": "negative", "b3": "neutral"}  # fmt: skip
    for key, sentiment in sentiments.items():
        Mention.objects.filter(external_id=key).update(sentiment=sentiment)
    coverage.compute_proposals(held)
    for proposal in CoverageProposal.objects.filter(conference=held):
        coverage.decide(pr_staff, proposal, ProposalStatus.CONFIRMED)
    return postevent.report(held)


def test_every_matching_item_is_proposed_and_confirmed(held, news_source, pr_staff):
    report = _confirmed_report(held, news_source, pr_staff)
    assert sorted(i.title[:12] for i in report.coverage) == [
        "Autogate Soe", "Autogate dip", "mantap, auto"]  # fmt: skip
    assert report.proposals == {"pending": 0, "confirmed": 3, "rejected": 0}
    assert sum(i.reach for i in report.coverage) == 3000
    assert sum(i.engagement for i in report.coverage) == 3 * 13


def test_key_message_pickup_shows_the_matching_sentence(held, news_source, pr_staff):
    report = _confirmed_report(held, news_source, pr_staff)
    by_message = {p.message: p.items for p in report.pickup}
    first = by_message[KEY_MESSAGES[0]]
    assert [i["title"] for i in first] == ["Autogate dipakai 71 persen penumpang Soetta"]
    assert first[0]["sentence"].startswith("Perlintasan naik 8 persen dibanding")
    assert first[0]["mention_url"].startswith("/monitoring/mentions/")
    second = by_message[KEY_MESSAGES[1]]
    assert [i["sentence"] for i in second] == [
        "mantap, autogate mempercepat pemeriksaan, rata-rata 15 detik per penumpang."]  # fmt: skip
    assert by_message[KEY_MESSAGES[2]] == []  # nobody wrote about brokers
    assert report.pickup_rate == round(100 * 2 / 3, 1)


def test_figures_are_checked_against_the_verified_facts(held, news_source, pr_staff):
    report = _confirmed_report(held, news_source, pr_staff)
    by_item = {a.item[:12]: a for a in report.accuracy}
    right = by_item["Autogate dip"]
    assert right.supported >= 1 and right.contradictions == []
    wrong = by_item["Autogate Soe"]
    assert [c["text"] for c in wrong.contradictions] == ["81 persen"]
    assert "71" in wrong.contradictions[0]["expected"]
    # A figure no fact speaks of is flagged for staff, not called wrong.
    social = by_item["mantap, auto"]
    assert social.contradictions == [] and "15 detik" in social.unsupported
    outtakes = next(s for s in report.sections if s.code == "outtakes")
    assert next(f for f in outtakes.figures if f.code == "accurate").value == 1


def test_questions_the_sheet_did_not_foresee(held):
    report = postevent.report(held)
    flags = {q.question[:20]: q.foreseen for q in report.questions}
    assert flags == {"Mengapa antrean panj": True, "Apakah ada penambaha": False}
    foreseen = next(q for q in report.questions if q.foreseen)
    assert foreseen.closest == "Mengapa antrean sempat panjang pada akhir pekan?"


def test_tone_before_and_after_over_the_same_window(held, news_source, pr_staff):
    report = _confirmed_report(held, news_source, pr_staff)
    before, after = report.tone
    assert before.end == after.start == HELD
    assert before.end - before.start == after.end - after.start == timedelta(hours=72)
    assert before.counts == {"positive": 0, "neutral": 1, "negative": 2}
    assert after.counts == {"positive": 2, "neutral": 1, "negative": 0}
    assert before.share_negative == 66.7 and after.share_negative == 0.0
    assert "sentiment=negative" in before.urls["negative"]
    assert before.url.startswith("/monitoring/mentions/?q=")
    outcomes = next(s for s in report.sections if s.code == "outcomes")
    shift = next(f for f in outcomes.figures if f.code == "negative_shift")
    assert shift.value == -66.7


def test_outlets_reached_versus_invited(held, news_source, pr_staff):
    CoverageLink.objects.create(conference=held, title="Liputan manual", outlet="ANTARA")
    report = _confirmed_report(held, news_source, pr_staff)
    # Antara (entered by hand, in capitals), Kompas and Tempo were invited and wrote; the
    # social-media post is no outlet.
    assert report.outlets_reached_invited == ["Antara", "Kompas", "Tempo"]
    assert report.outlets_invited_missed == []
    assert report.outlets_reached_uninvited == []


def test_the_report_content_is_plain_json(held, news_source, pr_staff):
    import json

    _confirmed_report(held, news_source, pr_staff)
    content = postevent.report_content(held)
    text = json.dumps(content)
    assert content["sections"][0]["code"] == "inputs"
    assert "81 persen" in text


def test_an_exercise_has_a_report_without_coverage(held, news_source):
    held.is_exercise = True
    held.save()
    store(news_source, *COVERAGE)
    coverage.compute_proposals(held)
    report = postevent.report(held)
    assert report.is_exercise and report.coverage == [] and report.accuracy == []


def test_the_indicators_count_key_message_pickup_from_the_report(held, news_source, pr_staff):
    from datetime import date

    from prima.evaluation import indicators
    from prima.evaluation.models import OfficeMonth

    month = [date(2025, 11, 1)]
    indicators.refresh(month, [held.office])
    row = OfficeMonth.objects.get(office=held.office, month=month[0])
    assert (row.pickup_items, row.pickup_hits) == (None, None)  # not measured yet
    _confirmed_report(held, news_source, pr_staff)
    indicators.refresh(month, [held.office])
    row = OfficeMonth.objects.get(office=held.office, month=month[0])
    assert (row.pickup_items, row.pickup_hits) == (3, 2)
    assert indicators.check(month, [held.office]) == []

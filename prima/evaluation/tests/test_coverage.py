"""Coverage proposals: the planted scenario (exactly the matching mentions proposed),
idempotent reruns that keep decisions, the staff-edited query, confirming through the
conferences service, exercises left out, the scheduler's due list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from prima.conferences.models import Conference, CoverageLink
from prima.evaluation import coverage
from prima.evaluation.coverage_models import CoverageProposal, CoverageQuery, ProposalStatus
from prima.monitoring.models import Source, SourceKind
from prima.monitoring.query import QuerySyntaxError
from prima.organizations.models import AuditEntry

from .conftest import HELD, store

MATCHING = [
    ("m1", "Tempo", 2, "Sri Handayani: bandara tetap normal", "Jubir Sri Handayani menjelaskan."),
    ("m2", "Kompas", 10, "Autogate percepat pemeriksaan", "Pemeriksaan di autogate kini 15 detik."),
    ("m3", "", 40, "", "perlintasan di soetta lancar banget akhir pekan ini"),
]  # fmt: skip
NOT_MATCHING = [
    ("n1", "Antara", 5, "Autogate baru di Terminal 2", "Dua unit dipasang bulan ini."),
    ("n2", "Detikcom", 6, "Petugas bantu penumpang lansia", "Petugas membantu di konter."),
    ("n3", "Kompas", 80, "Autogate percepat pemeriksaan", "Terbit setelah jendela 72 jam."),
    ("n4", "Kompas", -5, "Autogate percepat pemeriksaan", "Terbit sebelum konferensi."),
]  # fmt: skip


def proposed(conference) -> set[str]:
    return set(
        CoverageProposal.objects.filter(conference=conference).values_list(
            "mention__external_id", flat=True
        )
    )


@pytest.fixture
def planted(held, news_source, offices):
    mentions = store(news_source, *MATCHING, *NOT_MATCHING)
    elsewhere = Source.objects.create(
        office=offices["jakpus"], name="Berita Jakpus", kind=SourceKind.SOCIAL_IMPORT
    )
    store(elsewhere, ("x1", "Kompas", 3, "Sri Handayani dan autogate", "Pemeriksaan autogate."))
    return mentions


def test_the_generated_query_names_the_spokesperson_and_pairs_keywords(held):
    query = coverage.generated_query(held)
    assert query.startswith('"Sri Handayani" OR ')
    assert "(perlintasan autogate)" in query
    assert "imigrasi" not in query.casefold().replace("keimigrasian", "")
    assert "november" not in query


def test_exactly_the_matching_mentions_are_proposed(held, planted):
    result = coverage.compute_proposals(held, now=HELD + timedelta(hours=60))
    assert proposed(held) == {"m1", "m2", "m3"}
    assert result.proposed == 3
    scores = dict(
        CoverageProposal.objects.filter(conference=held).values_list(
            "mention__external_id", "score"
        )
    )
    assert all(0 < s <= 1 for s in scores.values())
    assert scores["m2"] > scores["m1"]  # the key message's own words score higher


def test_a_rerun_adds_what_is_new_and_keeps_decisions(held, planted, pr_staff, news_source):
    coverage.compute_proposals(held)
    by_key = {p.mention.external_id: p for p in CoverageProposal.objects.filter(conference=held)}
    coverage.decide(pr_staff, by_key["m2"], ProposalStatus.CONFIRMED)
    coverage.decide(pr_staff, by_key["m3"], ProposalStatus.REJECTED)
    again = coverage.compute_proposals(held)
    assert again.proposed == 0 and again.total == 3
    store(news_source, ("m4", "Antara", 50, "Perlintasan lancar", "Arus perlintasan lancar."))
    coverage.compute_proposals(held)
    statuses = dict(
        CoverageProposal.objects.filter(conference=held).values_list(
            "mention__external_id", "status"
        )
    )
    assert statuses == {"m1": "pending", "m2": "confirmed", "m3": "rejected", "m4": "pending"}
    assert CoverageLink.objects.filter(conference=held).count() == 1


def test_confirming_links_the_mention_through_the_conferences_service(held, planted, pr_staff):
    coverage.compute_proposals(held)
    proposal = CoverageProposal.objects.get(conference=held, mention__external_id="m2")
    coverage.decide(pr_staff, proposal, ProposalStatus.CONFIRMED)
    coverage.decide(pr_staff, proposal, ProposalStatus.CONFIRMED)  # a double click
    link = CoverageLink.objects.get(conference=held)
    assert (link.source_app, link.source_id) == ("monitoring", str(proposal.mention_id))
    assert link.title == "Autogate percepat pemeriksaan" and link.outlet == "Kompas"
    proposal.refresh_from_db()
    assert proposal.coverage_link == link and proposal.decided_by == pr_staff
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("conference.coverage.link") == 1
    assert actions.count("postevent.proposal.confirmed") == 1
    with pytest.raises(coverage.NotPossible):
        coverage.decide(pr_staff, proposal, ProposalStatus.REJECTED)


def test_a_rejected_item_may_go_back_to_review(held, planted, pr_staff):
    coverage.compute_proposals(held)
    proposal = CoverageProposal.objects.get(conference=held, mention__external_id="m1")
    coverage.decide(pr_staff, proposal, ProposalStatus.REJECTED)
    back = coverage.decide(pr_staff, proposal, ProposalStatus.PENDING)
    assert back.status == "pending" and back.decided_by is None
    with pytest.raises(coverage.CoverageError):
        coverage.decide(pr_staff, proposal, "maybe")


def test_who_may_decide(held, planted, spokesperson, outsider, regional_supervisor):
    coverage.compute_proposals(held)
    proposal = CoverageProposal.objects.filter(conference=held)[0]
    with pytest.raises(PermissionDenied):
        coverage.decide(spokesperson, proposal, ProposalStatus.CONFIRMED)
    with pytest.raises(PermissionDenied):
        coverage.decide(regional_supervisor, proposal, ProposalStatus.CONFIRMED)
    with pytest.raises(Http404):
        coverage.decide(outsider, proposal, ProposalStatus.CONFIRMED)


def test_an_edited_query_is_audited_kept_and_recomputes(held, planted, pr_staff):
    coverage.compute_proposals(held)
    coverage.decide(
        pr_staff,
        CoverageProposal.objects.get(conference=held, mention__external_id="m3"),
        ProposalStatus.REJECTED,
    )
    row = coverage.set_query(pr_staff, held, '"Sri Handayani" OR (autogate terminal)')
    assert row.is_edited and row.edited_by == pr_staff
    # m1 still matches, n1 now does; m2 (pending) no longer does; m3's decision is kept.
    assert proposed(held) == {"m1", "n1", "m3"}
    entry = AuditEntry.objects.get(action="postevent.query.edit")
    assert entry.after["query"] == '"Sri Handayani" OR (autogate terminal)'
    assert entry.office_id == held.office_id
    # The conference changing no longer rewrites an edited query.
    held.title = "Judul lain tentang visa kunjungan"
    held.save()
    assert coverage.query_for(held).query == '"Sri Handayani" OR (autogate terminal)'
    # Empty: back to the generated query.
    assert not coverage.set_query(pr_staff, held, "").is_edited


def test_a_malformed_query_is_refused_and_nothing_changes(held, pr_staff):
    before = coverage.query_for(held).query
    with pytest.raises(coverage.CoverageError) as refused:
        coverage.set_query(pr_staff, held, "(autogate OR")
    assert refused.value.field == "query"
    assert CoverageQuery.objects.get(conference=held).query == before
    assert not AuditEntry.objects.filter(action="postevent.query.edit").exists()


def test_exercises_get_no_proposals(held, planted, pr_staff):
    held.is_exercise = True
    held.save()
    assert coverage.compute_proposals(held).total == 0
    with pytest.raises(coverage.NotPossible):
        coverage.refresh(pr_staff, held)
    assert held not in coverage.due(HELD + timedelta(hours=5))


def test_nothing_is_proposed_before_the_conference_is_held(held, planted, pr_staff):
    held.stage = "execution"
    held.save()
    assert coverage.compute_proposals(held).total == 0
    with pytest.raises(coverage.NotPossible):
        coverage.refresh(pr_staff, held)


def test_the_scheduler_refreshes_until_the_window_has_closed(held, planted):
    assert coverage.due(HELD + timedelta(hours=5)) == [held]
    assert coverage.refresh_due(HELD + timedelta(hours=5)) == 1
    assert proposed(held) == {"m1", "m2", "m3"}
    assert coverage.due(HELD + timedelta(hours=6)) == [held]  # the window is still open
    coverage.refresh_due(HELD + timedelta(hours=73))  # the final pass
    assert coverage.due(HELD + timedelta(hours=80)) == []


def test_the_refresh_button_is_audited(held, planted, pr_staff):
    result = coverage.refresh(pr_staff, held)
    assert result.total == 3
    entry = AuditEntry.objects.get(action="postevent.proposals.refresh")
    assert entry.after == {"proposed": 3, "dropped": 0, "total": 3}


def _searches(callbacks: list) -> list:
    """The commit callbacks other than the short-lived caches' (prima.lib.shortcache
    bumps every kept answer made of conference data again when the change commits)."""
    return [c for c in callbacks if c.__module__ != "prima.lib.shortcache"]


def test_reaching_evaluation_enqueues_the_first_search(
    held, planted, django_capture_on_commit_callbacks
):
    held.stage = "execution"
    held.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        held.stage = "evaluation"
        held.save()
    assert len(_searches(callbacks)) == 1
    assert proposed(held) == {"m1", "m2", "m3"}  # the task ran (immediate backend)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        held.lessons_learned = "Siapkan infografik."
        held.save()
    assert _searches(callbacks) == []  # already searched: the scheduler keeps it up to date


def test_a_query_the_search_cannot_run_does_not_stop_the_scheduler(
    held, planted, offices, monkeypatch
):
    other = Conference.objects.get(pk=held.pk)
    other.pk = None
    other.title = "Konferensi pers lain"
    other.save()
    searched = []
    real = coverage.compute_proposals

    def compute(conference, **kwargs):
        if conference.pk == held.pk:  # e.g. NOT over a whole OR, which FTS5 cannot search
            raise QuerySyntaxError("this combination of NOT cannot be searched", 0)
        searched.append(conference.pk)
        return real(conference, **kwargs)

    monkeypatch.setattr(coverage, "compute_proposals", compute)
    assert coverage.refresh_due(HELD + timedelta(hours=5)) == 2
    assert searched == [other.pk]


def test_the_title_names_the_topic_even_when_the_office_is_full_of_it(held):
    # During an autogate storm most of the office's mentions carry "autogate": the title's
    # own word still names the topic, while a key-message word that common is left out.
    from prima.monitoring.models import TermStat
    from prima.monitoring.search import search_tokens

    office = held.office
    held.title = "Gangguan Autogate Terminal 3"
    held.save(update_fields=["title"])
    (autogate,) = search_tokens("autogate")
    (pemeriksaan,) = search_tokens("pemeriksaan")
    TermStat.objects.create(office=office, term="", df=1000)
    TermStat.objects.create(office=office, term=autogate, df=900)
    TermStat.objects.create(office=office, term=pemeriksaan, df=900)
    words = coverage.keywords(held, coverage.key_messages(held))
    assert "autogate" in words
    assert "pemeriksaan" not in words
    assert "maaf" not in words
    assert "(gangguan autogate)" in coverage.generated_query(held)

"""Issues: clustering over a sliding window, and rename/merge/split/close by staff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404

from prima.monitoring import issues
from prima.monitoring.ingest import ingest_items
from prima.monitoring.models import Issue, IssueStatus, IssueVolume, Mention
from prima.organizations.models import AuditEntry

from .conftest import NOW, post

pytestmark = pytest.mark.django_db

AUTOGATE = [
    "Autogate Terminal 3 rusak, antrean imigrasi mengular",
    "Autogate rusak lagi di Terminal 3, antrean imigrasi panjang",
    "Antrean imigrasi Terminal 3 parah karena autogate rusak",
    "Kenapa autogate Terminal 3 rusak terus? antrean imigrasi lama",
    "Autogate di Terminal 3 rusak, antre imigrasi satu jam",
]
DEPORTATION = [
    "Imigrasi deportasi warga negara Nigeria karena overstay izin tinggal",
    "Warga negara Nigeria dideportasi imigrasi setelah overstay izin tinggal",
    "Deportasi WNA Nigeria yang overstay izin tinggal di Tangerang",
    "Imigrasi Soetta deportasi WNA Nigeria pelanggar izin tinggal",
]


def _store(source, texts, start=0, at=NOW):
    items = [post(start + i, t, published_at=at + timedelta(minutes=i)) for i, t in
             enumerate(texts)]  # fmt: skip
    ingest_items(source, items)


@pytest.fixture
def two_issues(push_source):
    _store(push_source, AUTOGATE, 0)
    _store(push_source, DEPORTATION, 100)
    autogate = Mention.objects.get(external_id="p0").issue
    deportation = Mention.objects.get(external_id="p100").issue
    return autogate, deportation


def test_related_mentions_form_one_issue_and_unrelated_ones_another(two_issues):
    autogate, deportation = two_issues
    assert autogate is not None and deportation is not None and autogate != deportation
    assert autogate.mentions.count() == len(AUTOGATE)
    assert deportation.mentions.count() == len(DEPORTATION)
    autogate.refresh_from_db()
    assert autogate.mention_count == len(AUTOGATE)
    assert set(autogate.label.replace(" · ", " ").split()) & {"autogate", "rusak", "antrean"}
    assert "nigeria" in deportation.top_terms or "deportasi" in deportation.top_terms
    assert set(Issue.objects.shown()) == {autogate, deportation}


def test_a_mention_outside_the_window_starts_a_new_issue(push_source, two_issues, settings):
    autogate, _ = two_issues
    later = NOW + timedelta(hours=settings.MONITORING_ISSUE_WINDOW_HOURS + 5)
    _store(push_source, AUTOGATE[:2], 200, at=later)
    assert Mention.objects.get(external_id="p200").issue != autogate


def test_closed_issues_take_no_new_mentions(push_source, two_issues, pr_staff):
    autogate, _ = two_issues
    issues.close_issue(pr_staff, autogate)
    _store(push_source, AUTOGATE[:1], 300, at=NOW + timedelta(hours=1))
    assert Mention.objects.get(external_id="p300").issue != autogate


def test_volume_series_and_growth(push_source, two_issues):
    autogate, _ = two_issues
    series = issues.volume_series(autogate, bucket="hour")
    assert sum(p.mentions for p in series) == len(AUTOGATE)
    assert sum(p.negative for p in series) == autogate.mentions.filter(sentiment="negative").count()
    # Twelve more in the next hour: the rate jumps.
    _store(push_source, [f"{AUTOGATE[i % 5]} jam {i}" for i in range(12)], 400,
           at=NOW + timedelta(hours=30))  # fmt: skip
    autogate.refresh_from_db()
    grown = issues.growth(autogate, hours=6, baseline_hours=48, now=NOW + timedelta(hours=31))
    assert grown.recent >= 10 and grown.previous == len(AUTOGATE)
    assert grown.rate and grown.rate > 5
    daily = issues.volume_series(autogate, bucket="day")
    assert sum(p.mentions for p in daily) == autogate.mention_count


def test_staff_rename_and_the_rename_is_audited(two_issues, pr_staff):
    autogate, _ = two_issues
    issues.rename_issue(pr_staff, autogate, "Autogate T3 rusak")
    autogate.refresh_from_db()
    assert autogate.display_name == "Autogate T3 rusak"
    entry = AuditEntry.objects.get(action="issue.rename")
    assert entry.actor == pr_staff and entry.after == {"name": "Autogate T3 rusak"}


def test_merging_moves_mentions_and_volumes(two_issues, pr_staff):
    autogate, deportation = two_issues
    issues.merge_issues(pr_staff, autogate, [deportation])
    autogate.refresh_from_db()
    deportation.refresh_from_db()
    total = len(AUTOGATE) + len(DEPORTATION)
    assert autogate.mention_count == total and autogate.mentions.count() == total
    assert deportation.status == IssueStatus.MERGED and deportation.merged_into == autogate
    assert IssueVolume.objects.filter(issue=autogate).aggregate(n=Sum("mentions"))["n"] == total
    assert not IssueVolume.objects.filter(issue=deportation).exists()
    assert AuditEntry.objects.filter(action="issue.merge").count() == 2  # one per issue
    assert deportation not in Issue.objects.shown()


def test_splitting_moves_the_chosen_mentions_into_a_new_issue(two_issues, pr_staff):
    autogate, _ = two_issues
    moving = list(autogate.mentions.order_by("pk").values_list("pk", flat=True)[:2])
    new = issues.split_issue(pr_staff, autogate, moving, name="Antrean manual")
    autogate.refresh_from_db()
    assert set(new.mentions.values_list("pk", flat=True)) == set(moving)
    assert (new.mention_count, autogate.mention_count) == (2, len(AUTOGATE) - 2)
    assert new.name == "Antrean manual" and new.label
    assert AuditEntry.objects.filter(action="issue.split").count() == 2
    with pytest.raises(ValidationError):
        issues.split_issue(pr_staff, autogate, autogate.mentions.values_list("pk", flat=True))


def test_close_and_reopen(two_issues, pr_staff):
    autogate, _ = two_issues
    issues.close_issue(pr_staff, autogate)
    with pytest.raises(ValidationError):
        issues.close_issue(pr_staff, autogate)
    issues.reopen_issue(pr_staff, autogate)
    autogate.refresh_from_db()
    assert autogate.status == IssueStatus.OPEN and autogate.closed_at is None
    assert [e.action for e in AuditEntry.objects.order_by("seq")] == ["issue.close", "issue.reopen"]


def test_outsiders_get_404_and_readers_403(two_issues, outsider, head, regional_supervisor):
    autogate, deportation = two_issues
    with pytest.raises(Http404):
        issues.rename_issue(outsider, autogate, "x")
    with pytest.raises(PermissionDenied):
        issues.rename_issue(head, autogate, "x")  # may see issues, not manage them
    with pytest.raises(PermissionDenied):
        issues.merge_issues(regional_supervisor, autogate, [deportation])
    assert not AuditEntry.objects.exists()


def test_small_quiet_issues_are_pruned(push_source, settings):
    _store(push_source, ["Bandara Soekarno-Hatta lengang malam ini, sepi penumpang"], 500)
    lonely = Mention.objects.get(external_id="p500").issue
    assert lonely is not None and lonely not in Issue.objects.shown()
    assert issues.prune_small_issues(now=NOW + timedelta(days=30)) == 1
    assert Mention.objects.get(external_id="p500").issue is None

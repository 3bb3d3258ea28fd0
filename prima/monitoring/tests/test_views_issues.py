"""The issues list and the issue page: volume chart, mentions, and rename / merge / split /
close / reopen through the issue services (policy-checked, audited)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from prima.conftest import client_for
from prima.monitoring.models import Issue, IssueStatus, Mention
from prima.monitoring.tests.views_fixtures import coverage
from prima.organizations.models import AuditEntry

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def issue(offices, settings):
    settings.TASKS = IMMEDIATE
    coverage(offices["soetta"])
    return Issue.objects.filter(office=offices["soetta"]).order_by("-mention_count").first()


def _other_issue(issue: Issue, name: str = "Hoaks calo paspor") -> Issue:
    """A second shown issue of the same office (size above MONITORING_ISSUE_MIN_SIZE)."""
    other = Issue.objects.filter(office=issue.office).exclude(pk=issue.pk).first()
    assert other is not None
    other.name = name
    other.mention_count = max(other.mention_count, 5)
    other.save()
    return other


def test_the_list_shows_open_issues_with_their_terms(pr_staff, issue):
    response = client_for(pr_staff).get(reverse("monitoring:issue-list"))
    assert issue in response.context["issues"]
    assert all(i.status == IssueStatus.OPEN for i in response.context["issues"])
    assert issue.top_terms[0] in response.content.decode()


def test_the_list_makes_as_many_queries_for_more_issues(
    pr_staff, issue, offices, django_assert_max_num_queries
):
    client = client_for(pr_staff)
    client.get(reverse("monitoring:issue-list"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("monitoring:issue-list"))
    coverage(offices["soetta"], prefix="more")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("monitoring:issue-list"))


def test_the_issue_page_has_a_volume_chart_and_its_mentions(pr_staff, issue):
    response = client_for(pr_staff).get(reverse("monitoring:issue-detail", args=[issue.pk]))
    assert response.status_code == 200
    assert set(response.context["mentions"]) == set(Mention.objects.filter(issue=issue))
    spec = response.context["chart"]
    assert sum(v["count"] for v in spec["data"]["values"]) == issue.mention_count
    html = response.content.decode()
    assert '<script id="chart-issue" type="application/json">' in html
    json.dumps(spec)
    assert 'data-testid="issue-actions"' in html


def test_readers_who_may_not_manage_see_no_actions(head, issue):
    response = client_for(head).get(reverse("monitoring:issue-detail", args=[issue.pk]))
    assert 'data-testid="issue-actions"' not in response.content.decode()


def test_rename(pr_staff, issue):
    before = AuditEntry.objects.filter(action="issue.rename").count()
    response = client_for(pr_staff).post(
        reverse("monitoring:issue-rename", args=[issue.pk]), {"name": "Autogate baru Terminal 3"}
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.display_name == "Autogate baru Terminal 3"
    assert AuditEntry.objects.filter(action="issue.rename").count() == before + 1


def test_close_and_reopen(pr_staff, issue):
    client = client_for(pr_staff)
    url = reverse("monitoring:issue-status", args=[issue.pk])
    client.post(url)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED and issue.closed_at
    client.post(url, {"reopen": "1"})
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN


def test_closing_a_closed_issue_is_refused_with_a_message(pr_staff, issue):
    client = client_for(pr_staff)
    url = reverse("monitoring:issue-status", args=[issue.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert any("open" in str(m) or "buka" in str(m) for m in response.context["messages"])


def test_merge(pr_staff, issue):
    other = _other_issue(issue)
    moved = set(Mention.objects.filter(issue=other).values_list("pk", flat=True))
    response = client_for(pr_staff).post(
        reverse("monitoring:issue-merge", args=[issue.pk]), {"others": [other.pk]}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == IssueStatus.MERGED and other.merged_into == issue
    assert moved <= set(Mention.objects.filter(issue=issue).values_list("pk", flat=True))
    page = client_for(pr_staff).get(reverse("monitoring:issue-detail", args=[other.pk]))
    assert reverse("monitoring:issue-detail", args=[issue.pk]) in page.content.decode()


def test_merge_refuses_an_issue_of_another_office(pr_staff, issue, offices):
    coverage(offices["jakpus"], prefix="jp")
    foreign = Issue.objects.filter(office=offices["jakpus"]).first()
    client_for(pr_staff).post(
        reverse("monitoring:issue-merge", args=[issue.pk]), {"others": [foreign.pk]}
    )
    foreign.refresh_from_db()
    assert foreign.status == IssueStatus.OPEN


def test_split(pr_staff, issue):
    mentions = list(Mention.objects.filter(issue=issue).order_by("pk"))
    assert len(mentions) >= 2
    response = client_for(pr_staff).post(
        reverse("monitoring:issue-split", args=[issue.pk]),
        {"mentions": [mentions[0].pk], "name": "Dikutip Kompas"},
    )
    assert response.status_code == 302
    mentions[0].refresh_from_db()
    new = mentions[0].issue
    assert new != issue and new.display_name == "Dikutip Kompas"
    assert response["Location"] == reverse("monitoring:issue-detail", args=[new.pk])


def test_split_needs_mentions_of_the_issue(pr_staff, issue):
    response = client_for(pr_staff).post(
        reverse("monitoring:issue-split", args=[issue.pk]),
        {"mentions": [], "name": "x"},
        follow=True,
    )
    assert Issue.objects.filter(name="x").count() == 0
    assert list(response.context["messages"])


def _old_small_issue(issue: Issue, label: str, count: int = 1) -> Issue:
    from datetime import timedelta

    return Issue.objects.create(
        office=issue.office, label=label, mention_count=count,
        first_seen_at=issue.first_seen_at - timedelta(days=60),
        last_seen_at=issue.first_seen_at - timedelta(days=60),
    )  # fmt: skip


def test_the_list_searches_counts_and_can_show_small_issues(pr_staff, issue):
    small = _old_small_issue(issue, "antrean loket lansia")
    client = client_for(pr_staff)
    response = client.get(reverse("monitoring:issue-list"), {"q": "loket lansia"})
    assert list(response.context["issues"]) == []  # below the minimum size: hidden
    response = client.get(reverse("monitoring:issue-list"),
                          {"q": "loket lansia", "small": "1"})  # fmt: skip
    assert list(response.context["issues"]) == [small]
    assert response.context["total"] == 1
    assert "1 isu" in response.content.decode()
    response = client.get(reverse("monitoring:issue-list"), {"q": issue.label.split()[0]})
    assert issue in response.context["issues"]


def test_the_merge_picker_reaches_every_issue_of_the_office(pr_staff, issue):
    old = [_old_small_issue(issue, f"isu lama kode{n:02d}x", count=4) for n in range(40)]
    target = old[0]
    client = client_for(pr_staff)
    response = client.get(reverse("monitoring:issue-detail", args=[issue.pk]))
    assert response.context["merge_found"] >= 40
    response = client.get(reverse("monitoring:issue-detail", args=[issue.pk]),
                          {"merge_q": "kode00x"})  # fmt: skip
    assert list(response.context["merge_form"].fields["others"].queryset) == [target]
    response = client.post(reverse("monitoring:issue-merge", args=[issue.pk]),
                           {"others": [target.pk]})  # fmt: skip
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == IssueStatus.MERGED and target.merged_into_id == issue.pk

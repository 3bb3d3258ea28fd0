"""The ingestion pipeline: stored once, analysed, tagged, grouped, counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from prima.monitoring import queries
from prima.monitoring.ingest import ingest_items
from prima.monitoring.models import (
    DailyActor,
    HourlyVolume,
    IngestJob,
    Issue,
    IssueVolume,
    JobStatus,
    Mention,
    TermStat,
    WatchList,
    WatchListMatch,
)
from prima.monitoring.parsers.base import ParsedItem, Rejected

from .conftest import NOW, post

pytestmark = pytest.mark.django_db

SYNDICATED = (
    "Kantor Imigrasi Soekarno-Hatta menambah dua puluh autogate baru di Terminal 3 untuk "
    "mempercepat pemeriksaan penumpang internasional menjelang libur Natal dan Tahun Baru. "
    "Kepala kantor menyebut waktu antre kini rata-rata di bawah sepuluh menit."
)


def test_it_stores_and_analyses_each_post(push_source):
    complaint = "Antrean panjang di konter imigrasi bandara, petugas lambat sekali"
    praise = "Great service at the airport, the officers were friendly and fast"
    job, results = ingest_items(push_source, [post(1, complaint), post(2, praise)], collect=True)
    assert [r.status for r in results] == ["accepted", "accepted"]
    assert (job.status, job.accepted, job.duplicates, job.rejected) == (JobStatus.DONE, 2, 0, 0)
    first, second = Mention.objects.order_by("external_id")
    assert first.language == "id" and second.language == "en"
    assert first.sentiment == "negative" and second.sentiment == "positive"
    assert first.office == push_source.office and first.kind == "push"
    assert first.engagement == 1 + 1 + 1  # likes + shares + comments
    assert "antre" in first.search_text.split()  # stemmed "antrean"
    assert first.is_original and first.dup_group


def test_running_the_same_input_again_adds_nothing(push_source):
    items = [post(n) for n in range(1, 21)]
    ingest_items(push_source, items)
    counts = (
        Mention.objects.count(),
        HourlyVolume.objects.aggregate(n=Sum("mentions"))["n"],
        WatchListMatch.objects.count(),
        Issue.objects.aggregate(n=Sum("mention_count"))["n"],
    )
    job, results = ingest_items(push_source, [post(n) for n in range(1, 21)], collect=True)
    assert (job.accepted, job.duplicates) == (0, 20)
    assert {r.status for r in results} == {"duplicate"}
    assert (Mention.objects.count(), HourlyVolume.objects.aggregate(n=Sum("mentions"))["n"],
            WatchListMatch.objects.count(),
            Issue.objects.aggregate(n=Sum("mention_count"))["n"]) == counts  # fmt: skip


def test_the_same_post_from_another_source_is_a_duplicate_by_url_or_content(
    push_source, social_source
):
    ingest_items(push_source, [post(1)])
    same_url = post(1, external_id="other-id")
    same_content = post(1, external_id="third-id", url="")
    job, results = ingest_items(social_source, [same_url, same_content], collect=True)
    assert [r.status for r in results] == ["duplicate", "duplicate"]
    assert Mention.objects.count() == 1


def test_repeats_inside_one_input_are_counted_as_duplicates(push_source):
    job, results = ingest_items(push_source, [post(1), post(1), post(2)], collect=True)
    assert [r.status for r in results] == ["accepted", "duplicate", "accepted"]
    assert results[1].reason == "repeated in the same input"


def test_bad_items_are_rejected_with_a_reason_and_good_ones_kept(push_source):
    ingest_items(push_source, [post(1)])
    stored = Mention.objects.get()
    before = (stored.text, stored.sentiment, stored.issue_id, stored.published_at)
    items: list[ParsedItem | Rejected] = [
        post(2),
        Rejected(3, "the post text is empty (column 'Isi')"),
        post(4, text="   "),
        post(5, published_at=timezone.now() + timedelta(days=30)),
        post(6, text="<script>alert(1)</script>"),
        post(7),
    ]
    job, results = ingest_items(push_source, items, collect=True)
    assert [r.status for r in results] == [
        "accepted",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "accepted",
    ]
    assert "future" in results[3].reason
    assert (job.accepted, job.rejected) == (2, 4)
    reasons = list(job.rejections.values_list("reason", flat=True))
    assert "the text is empty" in reasons and any("future" in r for r in reasons)
    stored.refresh_from_db()
    assert (stored.text, stored.sentiment, stored.issue_id, stored.published_at) == before
    assert Mention.objects.count() == 3


def test_html_is_flattened_to_plain_text(push_source):
    ingest_items(push_source, [post(1, text="<p>Antrean <b>panjang</b></p><script>x()</script>")])
    assert Mention.objects.get().text == "Antrean panjang"


def test_near_duplicates_form_one_story_carried_by_several_outlets(push_source):
    outlets = ["Kompas.com", "Detik.com", "Antara News", "Tempo.co"]
    items = [
        ParsedItem(external_id=f"news-{i}", text=SYNDICATED + ("" if i == 0 else f" ({o})"),
                   title="Imigrasi tambah autogate", outlet=o, platform="news",
                   url=f"https://{o.lower()}/{i}", published_at=NOW + timedelta(minutes=i))
        for i, o in enumerate(outlets)
    ]  # fmt: skip
    other = ParsedItem(external_id="news-x", text="Imigrasi mendeportasi warga negara asing "
                       "yang melanggar izin tinggal di Tangerang", outlet="Kompas.com",
                       platform="news", published_at=NOW)  # fmt: skip
    ingest_items(push_source, [*items[:2], other])
    ingest_items(push_source, items[2:])  # later chunks find the group in the database
    story = Mention.objects.filter(external_id__startswith="news-").exclude(external_id="news-x")
    assert story.values("dup_group").distinct().count() == 1
    assert story.filter(is_original=True).count() == 1
    assert story.get(is_original=True).external_id == "news-0"
    unrelated = Mention.objects.get(external_id="news-x")
    assert unrelated.dup_group != story.first().dup_group
    sizes = queries.story_sizes(Mention.objects.all())
    assert sizes[story.first().dup_group] == queries.StorySize(mentions=4, outlets=4)
    assert sizes[unrelated.dup_group] == queries.StorySize(mentions=1, outlets=1)


def test_similar_but_different_posts_stay_separate_stories(push_source):
    texts = [f"Antrean di konter imigrasi Terminal 3 pagi ini {w} sekali, tolong ditambah"
             for w in ("panjang", "lama", "parah", "kacau", "ramai")]  # fmt: skip
    ingest_items(push_source, [post(i, t) for i, t in enumerate(texts)])
    assert Mention.objects.values("dup_group").distinct().count() == 5


def test_watch_lists_tag_matching_mentions(push_source):
    office = push_source.office
    calo = WatchList.objects.create(
        office=office, name="Calo", query="(paspor OR passport) AND (calo OR pungli)"
    )
    autogate = WatchList.objects.create(office=office, name="Autogate", query="autogate*")
    phrase = WatchList.objects.create(office=office, name="Antrean", query='"antrean panjang"')
    ingest_items(push_source, [
        post(1, "Ada calo paspor di depan kantor imigrasi"),
        post(2, "Autogates at the airport were broken"),
        post(3, "Antrean panjang sekali di bandara"),
        post(4, "Panjang sekali antrean di bandara"),
        post(5, "Paspor saya sudah jadi, terima kasih"),
    ])  # fmt: skip

    def tagged(wl):
        return set(Mention.objects.filter(watch_matches__watchlist=wl)
                   .values_list("external_id", flat=True))  # fmt: skip

    assert tagged(calo) == {"p1"}
    assert tagged(autogate) == {"p2"}
    assert tagged(phrase) == {"p3"}


def test_rollups_match_the_stored_mentions(push_source):
    items = [post(n, platform=["twitter", "tiktok"][n % 2]) for n in range(40)]
    items += [post(100, "Great service, thank you officers"), post(101, "Terrible queue today")]
    ingest_items(push_source, items, chunk_size=7)
    by_key = {
        (r["platform"], r["sentiment"], r["language"]): r["n"]
        for r in Mention.objects.values("platform", "sentiment", "language").annotate(n=Count("id"))
    }
    rolled = {
        (r["platform"], r["sentiment"], r["language"]): r["n"]
        for r in HourlyVolume.objects.values("platform", "sentiment", "language").annotate(
            n=Sum("mentions")
        )
    }
    assert rolled == by_key
    assert HourlyVolume.objects.aggregate(e=Sum("engagement"))["e"] == Mention.objects.aggregate(
        e=Sum("engagement"))["e"]  # fmt: skip
    authors = DailyActor.objects.filter(role="author").aggregate(n=Sum("mentions"))["n"]
    assert authors == Mention.objects.count()
    assert TermStat.objects.get(office=push_source.office, term="").df == Mention.objects.count()
    issue_total = IssueVolume.objects.aggregate(n=Sum("mentions"))["n"]
    assert issue_total == Mention.objects.filter(issue__isnull=False).count()


def test_chunks_carry_the_checkpoint(push_source, django_assert_max_num_queries):
    items = [post(n) for n in range(25)]
    job, _ = ingest_items(push_source, items, chunk_size=10)
    assert job.position == 25 and job.total == 25
    assert IngestJob.objects.get(pk=job.pk).accepted == 25


def test_a_chunk_costs_a_bounded_number_of_queries(push_source, django_assert_max_num_queries):
    WatchList.objects.create(office=push_source.office, name="Autogate", query="autogate*")
    ingest_items(push_source, [post(n) for n in range(10)])  # warm caches and issues
    with django_assert_max_num_queries(40):
        ingest_items(push_source, [post(n) for n in range(10, 510)], chunk_size=500)

"""The mention stream (filters, search, paging, story sizes), its CSV export and the
mention page with the sentiment correction."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from prima.conftest import client_for
from prima.monitoring.models import (
    Mention,
    SentimentCorrection,
    WatchList,
    WatchListMatch,
)
from prima.monitoring.queries import CSV_COLUMNS
from prima.monitoring.tests.views_fixtures import coverage
from prima.monitoring.views import common
from prima.organizations.models import AuditEntry

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LIST = reverse("monitoring:mention-list")
EXPORT = reverse("monitoring:mention-export")


@pytest.fixture
def mentions(offices, settings):
    settings.TASKS = IMMEDIATE
    return coverage(offices["soetta"])


def _shown(response) -> list[Any]:  # mentions, with the view's story sizes
    return response.context["mentions"]


def _csv_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


# --- the stream ---------------------------------------------------------------------------


def test_the_stream_lists_newest_first(pr_staff, mentions):
    shown = _shown(client_for(pr_staff).get(LIST))
    assert [m.pk for m in shown] == [m.pk for m in mentions]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"platform": "news"}, 3),
        ({"platform": "twitter"}, 6),
        ({"sentiment": "positive"}, None),
        ({"language": "en"}, 1),
        ({"kind": "social_import"}, 10),
        ({"kind": "rss"}, 0),
        ({"outlet": "Detik.com"}, 1),
        ({"originals": "on", "platform": "news"}, 1),
        ({"period": "24h"}, 6),
        ({"q": "autogate"}, 7),
        ({"q": '"autogate rusak"'}, 1),
        ({"q": "autogate NOT antrean"}, None),
        ({"q": "paspor OR passport"}, 2),
    ],
)
def test_filters_and_search(pr_staff, mentions, params, expected):
    shown = _shown(client_for(pr_staff).get(LIST, params))
    if expected is None:  # depends on the models; check consistency instead
        expected = len({m.pk for m in shown})
    assert len(shown) == expected, params
    if "sentiment" in params:
        assert all(m.sentiment == params["sentiment"] for m in shown)


def test_dates_are_whole_local_days(pr_staff, mentions):
    # The newest mention's local day, not today's: shortly after local midnight no
    # mention of the fixture is from today yet.
    day = timezone.localtime(mentions[0].published_at).date()
    on_day = {m.pk for m in mentions if timezone.localtime(m.published_at).date() == day}
    assert 0 < len(on_day) < len(mentions)  # the day boundary splits the fixture
    shown = _shown(
        client_for(pr_staff).get(LIST, {"start": day.isoformat(), "end": day.isoformat()})
    )
    assert {m.pk for m in shown} == on_day


def test_watch_list_and_issue_filters(pr_staff, mentions, offices):
    watchlist = WatchList.objects.create(office=offices["soetta"], name="Hoaks", query="hoaks")
    WatchListMatch.objects.create(watchlist=watchlist, mention=mentions[-1])
    shown = _shown(client_for(pr_staff).get(LIST, {"watchlist": watchlist.pk}))
    assert shown == [mentions[-1]]
    grouped = next(m for m in mentions if m.platform == "news")
    shown = _shown(client_for(pr_staff).get(LIST, {"issue": grouped.issue_id}))
    assert grouped in shown and all(m.issue_id == grouped.issue_id for m in shown)


def test_a_malformed_search_says_where(pr_staff, mentions):
    response = client_for(pr_staff).get(LIST, {"q": "(autogate"})
    assert response.status_code == 200
    assert _shown(response) == []
    assert "1" in response.context["search_error"]
    assert 'data-testid="search-error"' in response.content.decode()


def test_near_duplicates_say_how_many_outlets_carried_the_story(pr_staff, mentions):
    response = client_for(pr_staff).get(LIST, {"platform": "news"})
    assert {m.story.outlets for m in _shown(response)} == {3}
    html = response.content.decode()
    assert html.count('data-testid="story-size"') == 3


def test_paging(pr_staff, mentions, monkeypatch):
    monkeypatch.setattr(common, "PAGE_SIZE", 4)
    client = client_for(pr_staff)
    first = client.get(LIST, {"platform": "twitter"})
    assert len(_shown(first)) == 4 and first.context["has_next"]
    assert "platform=twitter&amp;page=2" in first.content.decode()
    second = client.get(LIST, {"platform": "twitter", "page": "2"})
    assert len(_shown(second)) == 2 and not second.context["has_next"]
    assert not set(_shown(first)) & set(_shown(second))
    assert _shown(client.get(LIST, {"page": "x"})) == _shown(client.get(LIST))


def test_htmx_gets_only_the_results(pr_staff, mentions):
    response = client_for(pr_staff).get(
        LIST, {"q": "autogate"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="mention-results"
    )
    html = response.content.decode()
    assert 'data-testid="mention-list"' in html
    assert "<html" not in html and "stream-filters" not in html


def test_the_stream_makes_the_same_number_of_queries_for_more_data(
    pr_staff, mentions, offices, django_assert_max_num_queries
):
    client = client_for(pr_staff)
    client.get(LIST)
    with django_assert_max_num_queries(15) as before:
        client.get(LIST)
    coverage(offices["soetta"], prefix="more", now=timezone.now() - timedelta(hours=1))
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(LIST)
    assert len(_shown(response)) == 20
    # Nor reads what it does not show: the issue's term vectors, the search index text.
    read = " ".join(q["sql"] for q in before.captured_queries)
    assert "monitoring_mention" in read
    for column in ("centroid", "phrases", "search_text", "summary", "url"):
        assert f'."{column}"' not in read


# --- CSV export ---------------------------------------------------------------------------


def test_the_export_holds_the_filtered_list(pr_staff, mentions):
    client = client_for(pr_staff, "en")  # column codes and UTC for English readers
    response = client.get(EXPORT, {"platform": "news", "q": "autogate"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    listed = _shown(client.get(LIST, {"platform": "news", "q": "autogate"}))
    assert [int(r["id"]) for r in rows] == [m.pk for m in listed]
    assert list(rows[0]) == CSV_COLUMNS


def test_the_export_is_safe_from_formula_injection(pr_staff, mentions):
    rows = _csv_rows(client_for(pr_staff, "en").get(EXPORT))
    texts = [r["text"] for r in rows]
    risky = next(t for t in texts if "HYPERLINK" in t)
    assert risky.startswith("'=")
    assert not any(r["author"].startswith("@") for r in rows)


def test_an_indonesian_reader_gets_words_and_wib(pr_staff, mentions):
    rows = _csv_rows(client_for(pr_staff).get(EXPORT, {"platform": "news"}))
    first = rows[0]
    assert "Waktu terbit (WIB)" in first and "Media" in first and "Sentimen" in first
    mention = Mention.objects.get(pk=int(first["No."]))
    assert first["Sentimen"] == str(mention.get_sentiment_display())
    assert first["Jenis sumber"] == str(mention.get_kind_display())
    assert first["Waktu terbit (WIB)"] == mention.published_at.astimezone(
        ZoneInfo("Asia/Jakarta")
    ).strftime("%Y-%m-%d %H:%M:%S")


def test_the_export_refuses_a_malformed_search(pr_staff, mentions):
    response = client_for(pr_staff).get(EXPORT, {"q": "autogate AND ("})
    assert response.status_code == 400


# --- the mention page ---------------------------------------------------------------------


def test_the_mention_page_escapes_the_text(pr_staff, mentions):
    risky = next(m for m in mentions if "HYPERLINK" in m.text)
    html = client_for(pr_staff).get(reverse("monitoring:mention-detail", args=[risky.pk]))
    body = html.content.decode()
    assert "<b>tebal</b>" not in body
    assert "tebal" in body


def test_the_mention_page_shows_source_author_engagement_and_duplicates(pr_staff, mentions):
    news = [m for m in mentions if m.platform == "news"]
    response = client_for(pr_staff).get(reverse("monitoring:mention-detail", args=[news[0].pk]))
    assert set(response.context["duplicates"]) == set(news[1:])
    post = next(m for m in mentions if m.author_handle == "warga3")
    response = client_for(pr_staff).get(reverse("monitoring:mention-detail", args=[post.pk]))
    html = response.content.decode()
    assert "@warga3" in html and "4.000" in html  # followers, Indonesian digits
    assert response.context["can_correct"] is True


def test_a_mention_with_only_some_engagement_counts_shows_placeholders(pr_staff, mentions):
    # Regression (probe, issue 7): a post with likes but no shares or comments crashed the
    # page with a 500 (the "–" placeholder was formatted as a number).
    post = next(m for m in mentions if m.likes == 3)
    assert post.shares is None and post.comments is None
    response = client_for(pr_staff).get(reverse("monitoring:mention-detail", args=[post.pk]))
    assert response.status_code == 200
    engagement = response.content.decode().split('data-testid="engagement">', 1)[1]
    engagement = engagement.split("</dd>", 1)[0]
    assert "3 · " in engagement and engagement.count("–") == 2


def test_only_correctors_see_the_correction_form(head, mentions):
    response = client_for(head).get(reverse("monitoring:mention-detail", args=[mentions[0].pk]))
    assert response.context["correction_form"] is None
    assert 'data-testid="correction-form"' not in response.content.decode()


def test_staff_correct_the_sentiment_and_it_is_audited(pr_staff, mentions):
    mention = mentions[0]
    new = "positive" if mention.sentiment != "positive" else "negative"
    audited = AuditEntry.objects.filter(action="mention.correct_sentiment")
    response = client_for(pr_staff).post(
        reverse("monitoring:mention-correct", args=[mention.pk]), {"label": new}
    )
    assert response.status_code == 302
    mention.refresh_from_db()
    assert mention.sentiment == new and mention.sentiment_corrected
    correction = SentimentCorrection.objects.get(mention=mention)
    assert correction.label == new and correction.corrected_by == pr_staff
    assert audited.count() == 1 and audited.get().actor == pr_staff


def test_a_correction_to_the_same_label_changes_nothing(pr_staff, mentions):
    mention = mentions[0]
    client_for(pr_staff).post(
        reverse("monitoring:mention-correct", args=[mention.pk]), {"label": mention.sentiment}
    )
    assert not SentimentCorrection.objects.exists()


def test_a_correction_needs_a_known_label(pr_staff, mentions):
    client_for(pr_staff).post(
        reverse("monitoring:mention-correct", args=[mentions[0].pk]), {"label": "angry"}
    )
    assert not SentimentCorrection.objects.exists()


def test_the_correction_needs_a_post(pr_staff, mentions):
    url = reverse("monitoring:mention-correct", args=[mentions[0].pk])
    assert client_for(pr_staff).get(url).status_code == 405


# --- bulk correction ----------------------------------------------------------------------

BULK = reverse("monitoring:mention-bulk-correct")


def test_staff_correct_many_mentions_at_once_audited(pr_staff, mentions):
    chosen = list(Mention.objects.exclude(sentiment="negative")[:3])
    response = client_for(pr_staff).post(
        f"{BULK}?platform=twitter",
        {"mentions": [m.pk for m in chosen], "label": "negative"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="mention-results",
    )
    assert response.status_code == 200
    assert 'data-testid="bulk-notice"' in response.content.decode()
    assert "Sentimen 3 unggahan dikoreksi" in response.content.decode()
    for m in chosen:
        m.refresh_from_db()
        assert m.sentiment == "negative" and m.sentiment_corrected
    assert SentimentCorrection.objects.filter(mention__in=chosen, label="negative").count() == 3
    assert AuditEntry.objects.filter(action="mention.correct_sentiment").count() == 3
    # The results stay filtered as they were.
    assert all(m.platform == "twitter" for m in response.context["mentions"])


def test_the_stream_offers_selection_only_to_correctors(pr_staff, head, mentions):
    assert 'id="bulk-correct"' in client_for(pr_staff).get(LIST).content.decode()
    assert 'id="bulk-correct"' not in client_for(head).get(LIST).content.decode()


def test_bulk_correction_without_selection_or_with_a_bad_label_changes_nothing(pr_staff, mentions):
    client = client_for(pr_staff)
    response = client.post(BULK, {"label": "negative"})
    assert response.status_code == 302
    m = Mention.objects.exclude(sentiment="negative").first()
    client.post(BULK, {"mentions": [m.pk], "label": "furious"})
    m.refresh_from_db()
    assert not m.sentiment_corrected
    assert not SentimentCorrection.objects.exists()


# --- The kept filter choices (MONITORING_STREAM_CHOICES_CACHE_SECONDS, on here) ----------


def _choices(response, name: str) -> set[str]:
    return {str(label) for value, label in response.context["form"].fields[name].choices if value}


@pytest.fixture
def kept_choices(settings, offices):
    from prima.monitoring.models import Issue

    settings.MONITORING_STREAM_CHOICES_CACHE_SECONDS = 20
    size = settings.MONITORING_ISSUE_MIN_SIZE
    for office, label in (("soetta", "antrean autogate"), ("jakpus", "paspor hilang")):
        now = timezone.now()
        Issue.objects.create(
            office=offices[office], label=label, mention_count=size, first_seen_at=now,
            last_seen_at=now,
        )  # fmt: skip
        WatchList.objects.create(office=offices[office], name=f"Pantau {label}", query="x")


def test_kept_choices_are_never_shown_to_another_scope(
    kept_choices, pr_staff, pr_staff2, outsider, regional_supervisor, offices
):
    assert _choices(client_for(pr_staff).get(LIST), "issue") == {"antrean autogate"}
    assert _choices(client_for(outsider).get(LIST), "issue") == {"paspor hilang"}
    assert _choices(client_for(outsider).get(LIST), "watchlist") == {"Pantau paspor hilang"}
    both = client_for(regional_supervisor).get(LIST)
    assert _choices(both, "issue") == {"antrean autogate", "paspor hilang"}
    # Same office and roles: the same kept choices.
    assert _choices(client_for(pr_staff2).get(LIST), "issue") == {"antrean autogate"}


def test_a_person_sees_their_own_change_of_the_choices_at_once(
    kept_choices, pr_staff, offices, django_assert_max_num_queries
):
    from prima.monitoring import issues as issue_services
    from prima.monitoring import services
    from prima.monitoring.models import Issue

    client = client_for(pr_staff)
    client.get(LIST)  # kept
    with django_assert_max_num_queries(6):  # the choices cost nothing while kept
        client.get(LIST)
    issue = Issue.objects.get(office=offices["soetta"])
    issue_services.rename_issue(pr_staff, issue, "Autogate Terminal 3")
    services.create_watchlist(pr_staff, offices["soetta"], "Pungli", "pungli")
    page = client.get(LIST)
    assert _choices(page, "issue") == {"Autogate Terminal 3"}
    assert "Pungli" in _choices(page, "watchlist")


def test_the_stream_escapes_every_value_a_row_shows(pr_staff, offices, settings):
    """The stream's rows are written by a Python tag (``mention_rows``), not the template
    engine's auto-escaping: hostile outlets, authors, titles and texts come out as text."""
    from prima.monitoring.ingest import ingest_items
    from prima.monitoring.parsers.base import ParsedItem
    from prima.monitoring.tests.views_fixtures import source_for

    settings.TASKS = IMMEDIATE
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    now = timezone.now()
    items = [
        ParsedItem(
            external_id="x-news",
            text=f"Isi berita {hostile} tentang antrean",
            title=f"Judul {hostile}",
            outlet=f"Outlet {hostile}",
            author=f"Penulis {hostile}",
            platform="news",
            url="https://contoh.example/berita-x",
            published_at=now - timedelta(hours=1),
        ),
        ParsedItem(
            external_id="x-post",
            text=f"Unggahan {hostile} soal paspor",
            author=f"Akun {hostile}",
            author_handle="akun_x",
            platform="twitter",
            likes=3,
            published_at=now - timedelta(hours=2),
        ),
    ]
    ingest_items(source_for(offices["soetta"]), items)
    body = client_for(pr_staff).get(LIST).content.decode()
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert "&quot;&gt;&lt;script&gt;" in body  # the attribute-breaking quote as text
    assert body.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # outlet, author, title

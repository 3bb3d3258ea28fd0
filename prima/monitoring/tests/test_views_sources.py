"""Media sources (feeds and article pages), their polling state and last error, and the
manual clipping form."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from prima.conftest import client_for
from prima.monitoring.models import IngestJob, Mention, Platform, Source, SourceKind
from prima.organizations.models import AuditEntry

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
LIST = reverse("monitoring:source-list")


@pytest.fixture(autouse=True)
def _no_background_work(settings):
    # Nothing may fetch the network here: queued tasks are only recorded.
    settings.TASKS = DUMMY


def test_staff_add_a_feed(pr_staff, offices):
    response = client_for(pr_staff).post(
        LIST,
        {
            "kind": "rss",
            "name": "Antara Megapolitan",
            "url": "https://example.org/rss.xml",
            "outlet": "Antara",
            "platform": "news",
            "poll_interval_minutes": 30,
            "office": offices["soetta"].pk,
        },
    )
    source = Source.objects.get(name="Antara Megapolitan")
    assert response["Location"] == reverse("monitoring:source-detail", args=[source.pk])
    assert (source.kind, source.office, source.created_by) == ("rss", offices["soetta"], pr_staff)
    assert AuditEntry.objects.filter(action="source.create").count() == 1


def test_a_feed_needs_its_address(pr_staff, offices):
    response = client_for(pr_staff).post(
        LIST,
        {
            "kind": "rss",
            "name": "Tanpa alamat",
            "poll_interval_minutes": 30,
            "office": offices["soetta"].pk,
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["url"]
    assert not Source.objects.exists()


def test_staff_cannot_add_a_source_to_another_office(pr_staff, offices):
    response = client_for(pr_staff).post(
        LIST,
        {
            "kind": "article",
            "name": "Jakpus",
            "poll_interval_minutes": 30,
            "office": offices["jakpus"].pk,
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["office"]
    assert not Source.objects.exists()


def test_the_source_page_shows_the_polling_state_and_the_last_error(pr_staff, offices):
    now = timezone.now()
    feed = Source.objects.create(
        office=offices["soetta"],
        name="Feed rusak",
        kind=SourceKind.RSS,
        url="https://example.org/feed",
        failure_count=3,
        last_polled_at=now,
        last_error="HTTP 503 dari server",
        last_error_at=now,
    )
    response = client_for(pr_staff).get(reverse("monitoring:source-detail", args=[feed.pk]))
    html = response.content.decode()
    assert 'data-testid="last-error"' in html and "HTTP 503 dari server" in html
    assert "WIB" in html


def test_pause_resume_and_poll_now(pr_staff, offices):
    feed = Source.objects.create(
        office=offices["soetta"], name="Feed", kind=SourceKind.RSS, url="https://example.org/feed"
    )
    client = client_for(pr_staff)
    url = reverse("monitoring:source-action", args=[feed.pk])
    client.post(url, {"action": "pause"})
    feed.refresh_from_db()
    assert not feed.is_active
    client.post(url, {"action": "resume"})
    feed.refresh_from_db()
    assert feed.is_active
    assert client.post(url, {"action": "poll"}).status_code == 302
    assert client.post(url, {"action": "explode"}).status_code == 404


def test_article_addresses_become_an_import(pr_staff, offices):
    articles = Source.objects.create(
        office=offices["soetta"], name="Artikel", kind=SourceKind.ARTICLE
    )
    client = client_for(pr_staff)
    page = client.get(reverse("monitoring:source-detail", args=[articles.pk]))
    assert page.context["url_form"] is not None
    response = client.post(
        reverse("monitoring:source-import-urls", args=[articles.pk]),
        {"urls": "https://example.org/a\nhttps://example.org/b\n"},
    )
    job = IngestJob.objects.get(source=articles)
    assert response["Location"] == reverse("monitoring:import-detail", args=[job.pk])
    assert job.urls.split() == ["https://example.org/a", "https://example.org/b"]


def test_article_addresses_must_be_web_addresses(pr_staff, offices):
    articles = Source.objects.create(
        office=offices["soetta"], name="Artikel", kind=SourceKind.ARTICLE
    )
    response = client_for(pr_staff).post(
        reverse("monitoring:source-import-urls", args=[articles.pk]),
        {"urls": "file:///etc/passwd"},
        follow=True,
    )
    assert not IngestJob.objects.exists()
    assert list(response.context["messages"])


def test_the_source_list_makes_as_many_queries_for_more_sources(
    pr_staff, offices, django_assert_max_num_queries
):
    def add(first: int, last: int) -> None:
        for n in range(first, last):
            Source.objects.create(
                office=offices["soetta"],
                name=f"Feed {n}",
                kind=SourceKind.RSS,
                url=f"https://example.org/{n}",
            )

    add(0, 3)
    client = client_for(pr_staff)
    client.get(LIST)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    add(3, 9)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["sources"]) == 9


# --- manual clippings -------------------------------------------------------------------------


def test_a_print_clipping_joins_the_stream(pr_staff, offices, settings):
    settings.TASKS = IMMEDIATE
    response = client_for(pr_staff).post(
        reverse("monitoring:clipping-create"),
        {
            "platform": "print",
            "outlet": "Kompas (cetak)",
            "programme": "Metropolitan",
            "published_at": "2025-11-19T07:00",
            "title": "Imigrasi Soetta tambah autogate",
            "summary": "Berita halaman 14 tentang penambahan autogate di Terminal 3.",
            "office": offices["soetta"].pk,
        },
    )
    mention = Mention.objects.get()
    assert response["Location"] == reverse("monitoring:mention-detail", args=[mention.pk])
    assert (mention.platform, mention.outlet, mention.programme) == (
        Platform.PRINT,
        "Kompas (cetak)",
        "Metropolitan",
    )
    assert mention.kind == SourceKind.MANUAL
    assert timezone.localtime(mention.published_at).hour == 7


def test_a_clipping_needs_outlet_title_and_summary(pr_staff, offices):
    response = client_for(pr_staff).post(
        reverse("monitoring:clipping-create"),
        {
            "platform": "tv",
            "published_at": "2025-11-19T07:00",
            "office": offices["soetta"].pk,
        },
    )
    assert set(response.context["form"].errors) >= {"outlet", "title", "summary"}
    assert not Mention.objects.exists()

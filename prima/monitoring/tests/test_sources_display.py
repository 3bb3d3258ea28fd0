"""Sources shown as people read them, and the stream's hit count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.conftest import client_for
from prima.monitoring.models import Mention
from prima.monitoring.tests.views_fixtures import coverage

LIST = reverse("monitoring:mention-list")


@pytest.mark.parametrize(
    ("platform", "author", "handle", "expected"),
    [
        ("twitter", "Budi Santoso", "budisan", "Budi Santoso · @budisan"),
        ("twitter", "akun12", "akun12", "@akun12"),  # the handle once, not twice
        ("instagram", "Akun 12", "akun_12", "@akun_12"),
        ("tiktok", "", "@jalanjalan", "@jalanjalan"),
        ("facebook", "Humas Imigrasi Soetta", "Humas Imigrasi Soetta", "Humas Imigrasi Soetta"),
        ("facebook", "Rina Wati", "rina.wati.77", "Rina Wati · rina.wati.77"),  # no "@"
        ("news", "Andi", "", "Andi"),
    ],
)
def test_authors_read_as_on_their_platform(platform, author, handle, expected):
    assert Mention(platform=platform, author=author, author_handle=handle).display_author == (
        expected
    )


@pytest.mark.django_db
def test_a_social_post_never_says_media_carried_it(pr_staff, offices):
    coverage(offices["soetta"])
    client = client_for(pr_staff)
    html = client.get(LIST, {"platform": "news"}).content.decode()
    assert "media memuat berita ini" in html
    news = list(Mention.objects.filter(platform="news").values_list("pk", flat=True))
    for platform in ("twitter", "instagram", "tiktok", "facebook"):
        Mention.objects.filter(pk__in=news).update(platform=platform)
        html = client.get(LIST, {"platform": platform}).content.decode()
        assert "media memuat" not in html and "akun mengunggah ini" in html
        detail = client.get(
            reverse(
                "monitoring:mention-detail",
                args=[Mention.objects.filter(platform=platform).first().pk],
            )
        )
        assert "memuat berita" not in detail.content.decode()


@pytest.mark.django_db
def test_the_search_shows_its_hit_count(pr_staff, offices, monkeypatch):
    coverage(offices["soetta"])
    client = client_for(pr_staff)
    total = Mention.objects.filter(office=offices["soetta"]).count()
    response = client.get(LIST, {"period": "all"})
    assert response.context["hits"] == total
    assert f"{total} hasil" in response.content.decode()
    response = client.get(LIST, {"q": "autogate", "period": "all"})
    assert 0 < response.context["hits"] < total
    monkeypatch.setattr("prima.monitoring.views.mentions.HIT_COUNT_CAP", 2)
    response = client.get(LIST, {"period": "all"})
    assert "lebih dari 2 hasil" in response.content.decode()

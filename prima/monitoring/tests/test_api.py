"""The monitoring API: push batches (auth, bounds, per-item results) and read endpoints."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from prima.conftest import client_for
from prima.monitoring.ingest import ingest_items
from prima.monitoring.models import IngestJob, Mention, Source, SourceKind
from prima.organizations.models import ApiToken

from .conftest import post

pytestmark = pytest.mark.django_db


def token_for(user) -> str:
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="push", key_prefix=key[:12],
                            key_hash=ApiToken.hash_key(key))  # fmt: skip
    return key


def push(client: Client, source, posts, **headers):
    return client.post(
        f"/api/v1/monitoring/sources/{source.pk}/posts",
        data=json.dumps({"posts": posts}),
        content_type="application/json",
        **headers,
    )


def good(n: int, **extra) -> dict:
    return {"external_id": f"ext-{n}", "text": f"Antrean imigrasi bandara nomor {n} lama sekali",
            "author_handle": f"@akun{n}", "platform": "X", "likes": n, "lang": "id",
            "published_at": "2025-11-19T10:00:00+07:00", **extra}  # fmt: skip


def test_a_token_client_pushes_a_batch_and_gets_one_result_per_post(push_source, pr_staff):
    key = token_for(pr_staff)
    response = push(Client(), push_source, [good(1), good(2), {"text": "no id"},
                                            good(3, likes="banyak")],
                    HTTP_AUTHORIZATION=f"Bearer {key}")  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["accepted"], body["duplicates"], body["rejected"]) == (2, 0, 2)
    statuses = [(r["index"], r["status"]) for r in body["results"]]
    assert statuses == [(1, "accepted"), (2, "accepted"), (3, "rejected"), (4, "rejected")]
    assert "external_id" in body["results"][2]["reason"]
    assert "likes" in body["results"][3]["reason"]
    mention = Mention.objects.get(external_id="ext-1")
    assert body["results"][0]["mention_id"] == mention.pk
    assert (mention.platform, mention.author_handle, mention.likes) == ("twitter", "akun1", 1)
    assert IngestJob.objects.get(pk=body["job_id"]).created_by == pr_staff


def test_pushing_the_same_batch_again_is_idempotent(push_source, pr_staff):
    client = client_for(pr_staff)
    push(client, push_source, [good(1), good(2)])
    body = push(client, push_source, [good(1), good(2), good(3)]).json()
    assert [r["status"] for r in body["results"]] == ["duplicate", "duplicate", "accepted"]
    assert Mention.objects.count() == 3


def test_a_batch_over_the_limit_is_refused_with_413(push_source, pr_staff, settings):
    settings.MONITORING_PUSH_MAX_BATCH = 3
    response = push(client_for(pr_staff), push_source, [good(n) for n in range(4)])
    assert response.status_code == 413
    assert "at most 3 posts" in response.json()["detail"]
    assert not Mention.objects.exists()


def test_malformed_bodies_get_422(push_source, pr_staff):
    client = client_for(pr_staff)
    assert push(client, push_source, []).status_code == 422
    response = client.post(f"/api/v1/monitoring/sources/{push_source.pk}/posts",
                           data="{not json", content_type="application/json")  # fmt: skip
    assert response.status_code in (400, 422)


def test_only_push_sources_accept_posts(social_source, pr_staff):
    response = push(client_for(pr_staff), social_source, [good(1)])
    assert response.status_code == 422


def test_anonymous_gets_401_outsiders_404_and_readers_403(push_source, outsider, head):
    assert push(Client(), push_source, [good(1)]).status_code == 401
    assert push(client_for(outsider), push_source, [good(1)]).status_code == 404
    assert push(client_for(head), push_source, [good(1)]).status_code == 403
    assert not Mention.objects.exists()


def test_mentions_are_listed_with_filters_and_search(push_source, pr_staff, outsider):
    ingest_items(push_source, [post(1), post(2, "Great and friendly airport officers"),
                               post(3, platform="tiktok")])  # fmt: skip
    other = Source.objects.create(office=outsider.office, name="Push", kind=SourceKind.PUSH)
    ingest_items(other, [post(9)])
    client = client_for(pr_staff)
    body = client.get("/api/v1/monitoring/mentions").json()
    assert body["count"] == 3
    assert {m["external_id"] if "external_id" in m else m["id"] for m in body["items"]}
    tiktok = client.get("/api/v1/monitoring/mentions?platform=tiktok").json()
    assert [m["platform"] for m in tiktok["items"]] == ["tiktok"]
    english = client.get("/api/v1/monitoring/mentions?language=en&q=officers").json()
    assert english["count"] == 1
    bad = client.get("/api/v1/monitoring/mentions?q=(paspor")
    assert bad.status_code == 422 and "position" in bad.json()["detail"]
    assert client_for(outsider).get("/api/v1/monitoring/mentions").json()["count"] == 1


def test_the_mention_list_costs_the_same_queries_for_more_rows(
    push_source, pr_staff, django_assert_max_num_queries
):
    ingest_items(push_source, [post(1), post(2, "Great and friendly airport officers")])
    client = client_for(pr_staff)
    client.get("/api/v1/monitoring/mentions")
    with django_assert_max_num_queries(6) as few:
        first = client.get("/api/v1/monitoring/mentions").json()
    ingest_items(push_source, [post(n, f"Antrean imigrasi nomor {n}") for n in range(3, 40)])
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        body = client.get("/api/v1/monitoring/mentions").json()
    assert body["count"] == 39 and first["count"] == 2
    # The rows are read on their own: no join with sources or issues, no search text.
    rows = [q["sql"] for q in many.captured_queries if "monitoring_mention" in q["sql"]][-1]
    assert "monitoring_source" not in rows and "monitoring_issue" not in rows
    assert "search_text" not in rows
    # A listed mention is the same as the mention on its own.
    one = client.get(f"/api/v1/monitoring/mentions/{body['items'][0]['id']}").json()
    assert body["items"][0] == one


def test_one_mention_and_its_access(push_source, pr_staff, outsider):
    ingest_items(push_source, [post(1)])
    mention = Mention.objects.get()
    assert client_for(pr_staff).get(f"/api/v1/monitoring/mentions/{mention.pk}").json()["id"] == (
        mention.pk
    )
    assert client_for(outsider).get(f"/api/v1/monitoring/mentions/{mention.pk}").status_code == 404
    assert Client().get(f"/api/v1/monitoring/mentions/{mention.pk}").status_code == 401


def test_issues_with_their_volume(push_source, pr_staff, outsider, regional_supervisor):
    ingest_items(push_source, [post(n, f"Autogate Terminal 3 rusak lagi, antrean imigrasi {n}")
                               for n in range(4)])  # fmt: skip
    issue = Mention.objects.first().issue
    body = client_for(pr_staff).get("/api/v1/monitoring/issues").json()
    assert [i["id"] for i in body["items"]] == [issue.pk]
    detail = client_for(regional_supervisor).get(f"/api/v1/monitoring/issues/{issue.pk}").json()
    assert sum(v["mentions"] for v in detail["volume"]) == 4
    assert client_for(outsider).get(f"/api/v1/monitoring/issues/{issue.pk}").status_code == 404
    assert client_for(outsider).get("/api/v1/monitoring/issues").json()["count"] == 0


def test_the_schema_tags_the_monitoring_endpoints(pr_staff):
    schema = client_for(pr_staff).get("/api/v1/openapi.json").json()
    path = schema["paths"]["/api/v1/monitoring/sources/{source_id}/posts"]["post"]
    assert path["tags"] == ["monitoring"]


@pytest.mark.parametrize(
    "url",
    ["/api/v1/monitoring/mentions", "/api/v1/monitoring/issues",
     "/api/v1/monitoring/mentions/1", "/api/v1/monitoring/issues/1",
     "/api/v1/monitoring/sources"],
)  # fmt: skip
def test_anonymous_readers_get_401(url):
    assert Client().get(url).status_code == 401


def test_a_batch_that_cannot_be_analysed_gets_a_503(push_source, pr_staff, missing_sentiment_model):
    response = push(client_for(pr_staff), push_source, [good(1)])
    assert response.status_code == 503
    assert "sentiment model unavailable" in response.json()["detail"]
    assert not Mention.objects.exists()

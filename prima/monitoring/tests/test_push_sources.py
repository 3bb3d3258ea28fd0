"""Push sources: created from the page, the API, the admin and ``prima create-push-source``
(one service function), policy-scoped and audited, with a key shown once that opens only
its own source; and feed addresses checked by the SSRF guard when a source is saved
(issue 7, point 8)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from prima.conftest import client_for
from prima.monitoring import services
from prima.monitoring.models import IngestJob, Mention, Source, SourceKind
from prima.organizations.models import AuditEntry

from .test_api import good, push, token_for

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
LIST = reverse("monitoring:source-list")
INTERNAL = [
    "http://127.0.0.1/rss.xml",
    "http://localhost/feed",
    "http://10.1.2.3/feed",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/feed",
    "http://2130706433/feed",
    "https://example.org:8443/feed",
]


@pytest.fixture(autouse=True)
def _no_background_work(settings):
    settings.TASKS = DUMMY


def _form(office, **extra):
    return {
        "kind": "push",
        "name": "Jembatan media sosial",
        "platform": "twitter",
        "poll_interval_minutes": 30,
        "office": office.pk,
        **extra,
    }


# --- the page ---------------------------------------------------------------------------


def test_staff_add_a_push_source_and_see_its_key_once(pr_staff, offices):
    client = client_for(pr_staff)
    response = client.post(LIST, _form(offices["soetta"]))
    source = Source.objects.get(name="Jembatan media sosial")
    detail = reverse("monitoring:source-detail", args=[source.pk])
    assert response["Location"] == detail
    assert source.kind == SourceKind.PUSH and source.created_by == pr_staff
    page = client.get(detail)
    key = page.context["new_push_key"]
    assert key.startswith(services.PUSH_KEY_PREFIX) and key in page.content.decode()
    assert source.push_key_prefix and key.startswith(source.push_key_prefix)
    assert key not in json.dumps(list(AuditEntry.objects.values("before", "after")))
    assert services.source_for_push_key(key) == source
    # Shown once: the next visit shows only the prefix.
    again = client.get(detail)
    assert again.context["new_push_key"] == "" and key not in again.content.decode()
    assert source.push_key_prefix in again.content.decode()
    created = AuditEntry.objects.get(action="source.create")
    assert created.actor == pr_staff and "push_key_hash" not in created.after


def test_a_new_key_replaces_the_old_one(pr_staff, offices):
    client = client_for(pr_staff)
    client.post(LIST, _form(offices["soetta"]))
    source = Source.objects.get()
    detail = reverse("monitoring:source-detail", args=[source.pk])
    old = client.get(detail).context["new_push_key"]
    client.post(reverse("monitoring:source-action", args=[source.pk]), {"action": "new_key"})
    new = client.get(detail).context["new_push_key"]
    assert new and new != old
    assert services.source_for_push_key(old) is None
    assert services.source_for_push_key(new) == source
    assert AuditEntry.objects.filter(action="source.push_key").count() == 1


def test_who_may_add_push_sources_and_renew_keys(personas, offices):
    soetta = offices["soetta"]
    source = services.create_source(personas["pr_staff"], soetta, kind="push", name="Push")
    action = reverse("monitoring:source-action", args=[source.pk])
    for persona in ("head", "spokesperson", "regional_supervisor"):
        client = client_for(personas[persona])
        assert client.post(action, {"action": "new_key"}).status_code == 403, persona
    assert client_for(personas["outsider"]).post(action, {"action": "new_key"}).status_code == 404
    response = client_for(personas["outsider"]).post(LIST, _form(soetta, name="Jakpus"))
    assert response.status_code == 200 and response.context["form"].errors["office"]
    assert Source.objects.count() == 1
    # Only the source's managers ever see a key.
    client_for(personas["pr_staff"]).post(action, {"action": "new_key"})
    page = client_for(personas["head"]).get(reverse("monitoring:source-detail", args=[source.pk]))
    assert page.context["new_push_key"] == ""


@pytest.mark.parametrize("url", INTERNAL)
def test_a_feed_with_an_internal_address_is_refused_when_saved(pr_staff, offices, url):
    response = client_for(pr_staff).post(
        LIST, _form(offices["soetta"], kind="rss", name="Feed internal", url=url)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["url"]  # the guard's reason, or "not a URL"
    assert not Source.objects.exists()


def test_changing_a_feed_to_an_internal_address_is_refused(pr_staff, offices):
    feed = Source.objects.create(
        office=offices["soetta"], name="Feed", kind=SourceKind.RSS, url="https://example.org/f"
    )
    with pytest.raises(services.ValidationError):
        services.update_source(pr_staff, feed, url="http://192.168.1.1/rss")
    feed.refresh_from_db()
    assert feed.url == "https://example.org/f"


def test_an_allow_listed_internal_feed_is_accepted(pr_staff, offices, settings):
    settings.FETCH_ALLOWED_PRIVATE_NETWORKS = ["10.20.0.0/16"]
    source = services.create_source(
        pr_staff, offices["soetta"], kind="rss", name="Intranet", url="http://10.20.1.5/rss"
    )
    assert source.pk


# --- the push API with a source's key ----------------------------------------------------


def test_a_push_key_opens_its_own_source_only(pr_staff, offices):
    mine = services.create_source(pr_staff, offices["soetta"], kind="push", name="A")
    other = services.create_source(pr_staff, offices["soetta"], kind="push", name="B")
    key = mine.new_push_key
    response = push(Client(), mine, [good(1), good(2)], HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200 and response.json()["accepted"] == 2
    assert Mention.objects.filter(source=mine).count() == 2
    response = push(Client(), mine, [good(3)], HTTP_X_API_KEY=key)
    assert response.status_code == 200
    assert push(Client(), other, [good(4)], HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 404
    # A key is not a log-in: it reads nothing.
    client = Client()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert (
        client.get("/api/v1/monitoring/mentions", HTTP_AUTHORIZATION=f"Bearer {key}").status_code
        == 401
    )
    job = IngestJob.objects.filter(source=mine).first()
    assert job.created_by is None


def test_wrong_keys_get_401_and_user_tokens_still_work(pr_staff, offices):
    source = services.create_source(pr_staff, offices["soetta"], kind="push", name="A")
    for key in (services.PUSH_KEY_PREFIX + "x" * 43, "prima_push_", "salah"):
        response = push(Client(), source, [good(1)], HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 401, key
    token = token_for(pr_staff)
    response = push(Client(), source, [good(1)], HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


def test_a_paused_push_source_refuses_its_key(pr_staff, offices):
    source = services.create_source(pr_staff, offices["soetta"], kind="push", name="A")
    services.update_source(pr_staff, source, is_active=False)
    response = push(Client(), source, [good(1)], HTTP_AUTHORIZATION=f"Bearer {source.new_push_key}")
    assert response.status_code == 422


# --- the API to add sources --------------------------------------------------------------


def _api_create(user, body):
    return client_for(user).post(
        "/api/v1/monitoring/sources", json.dumps(body), content_type="application/json"
    )


def test_sources_are_added_and_listed_through_the_api(pr_staff, outsider, head, offices):
    body = {"office_id": offices["soetta"].pk, "kind": "push", "name": "Bridge"}
    anonymous = Client().post("/api/v1/monitoring/sources", json.dumps(body), "application/json")
    assert anonymous.status_code == 401
    response = _api_create(pr_staff, body)
    assert response.status_code == 201
    created = response.json()
    assert created["push_key"].startswith(created["push_key_prefix"])
    listed = client_for(pr_staff).get("/api/v1/monitoring/sources").json()
    assert [s["id"] for s in listed["items"]] == [created["id"]]
    assert "push_key" not in listed["items"][0]
    assert client_for(outsider).get("/api/v1/monitoring/sources").json()["items"] == []
    assert _api_create(outsider, body).status_code == 404
    assert _api_create(head, body).status_code == 403
    assert AuditEntry.objects.filter(action="source.create").count() == 1


@pytest.mark.parametrize("url", INTERNAL[:4])
def test_the_api_refuses_internal_feed_addresses(pr_staff, offices, url):
    body = {"office_id": offices["soetta"].pk, "kind": "rss", "name": "Feed", "url": url}
    response = _api_create(pr_staff, body)
    assert response.status_code == 400 and response.json()["field"] == "url"
    assert not Source.objects.exists()


# --- the admin ----------------------------------------------------------------------------


def test_administrators_add_push_sources_in_the_admin(administrator, offices):
    client = client_for(administrator)
    response = client.post(
        reverse("admin:monitoring_source_add"),
        {
            "office": offices["soetta"].pk,
            "kind": "push",
            "name": "Bridge admin",
            "url": "",
            "platform": "",
            "outlet": "",
            "is_active": "on",
            "poll_interval_minutes": 30,
        },
        follow=True,
    )
    source = Source.objects.get(name="Bridge admin")
    shown = [str(m) for m in response.context["messages"]]
    key = next(m for m in shown if services.PUSH_KEY_PREFIX in m).split(": ", 1)[1].split()[0]
    assert services.source_for_push_key(key) == source
    assert AuditEntry.objects.get(action="source.create").actor == administrator


def test_the_admin_refuses_internal_feed_addresses(administrator, offices):
    response = client_for(administrator).post(
        reverse("admin:monitoring_source_add"),
        {
            "office": offices["soetta"].pk,
            "kind": "rss",
            "name": "Metadata",
            "url": "http://169.254.169.254/latest/",
            "platform": "",
            "outlet": "",
            "is_active": "on",
            "poll_interval_minutes": 30,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"]
    assert not Source.objects.exists()


def test_only_administrators_reach_the_source_admin(personas):
    for persona in ("pr_staff", "head", "outsider"):
        response = client_for(personas[persona]).get(reverse("admin:monitoring_source_changelist"))
        assert response.status_code == 302, persona
    response = client_for(personas["administrator"]).get(
        reverse("admin:monitoring_source_changelist")
    )
    assert response.status_code == 200


# --- the command -------------------------------------------------------------------------


def test_the_command_adds_a_push_source_and_prints_its_key(pr_staff, offices):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_push_source", "soetta", "Bridge CLI", user="rina", stdout=out, stderr=err)
    key = out.getvalue().strip()
    source = Source.objects.get(name="Bridge CLI")
    assert services.source_for_push_key(key) == source
    assert f"/api/v1/monitoring/sources/{source.pk}/posts" in err.getvalue()
    assert AuditEntry.objects.get(action="source.create").actor == pr_staff


def test_the_command_applies_the_policy(head, outsider, offices):
    for user in ("budi", "yusuf"):
        with pytest.raises(CommandError, match="may not manage"):
            call_command("create_push_source", "soetta", "X", user=user, stdout=io.StringIO())
    with pytest.raises(CommandError, match="No office"):
        call_command("create_push_source", "nowhere", "X", user="budi")
    assert not Source.objects.exists()

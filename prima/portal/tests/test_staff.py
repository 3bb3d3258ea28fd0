"""The portal's staff pages: access (404 outsiders, 403 without the right), personal data
only for the office's own staff, and the publishing rules."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import URLPattern, get_resolver, reverse

from prima.conftest import client_for, make_person
from prima.portal import services
from prima.portal.models import Inquiry, Publication, PublicationState

pytestmark = pytest.mark.django_db
PERSONAS = ["pr_staff", "pr_lead", "spokesperson", "head", "regional_supervisor", "outsider",
            "anonymous"]  # fmt: skip
VIEWERS = {"pr_staff", "pr_lead", "spokesperson", "head", "regional_supervisor"}
MANAGERS = {"pr_staff", "pr_lead", "head"}
PUBLISHERS = {"pr_lead", "head"}
ANSWERERS = {"pr_staff", "pr_lead", "spokesperson"}


@pytest.fixture
def cases(world):
    inquiry = services.submit_inquiry(
        world["office"], kind="broker", message="Ada calo menawarkan jasa paspor kilat.",
        name="Wulan", phone="0812-7777-1234", address="203.0.113.9",
    )  # fmt: skip
    return {**world, "inquiry": inquiry}


# name → (method, kwargs from the world, allowed personas, POST data)
CASES = {
    "inquiry": ("get", {"pk": "@inquiry"}, VIEWERS, {}),
    "inquiry-close": ("post", {"pk": "@inquiry"}, ANSWERERS, {}),
    "publication": ("get", {"pk": "@prepared"}, VIEWERS, {}),
    "publication-action": ("post", {"pk": "@prepared", "action": "publish"}, PUBLISHERS, {}),
    "unlist": ("post", {"pk": "@announced"}, MANAGERS, {}),
    "profile": ("get", {"office_id": "@office"}, PUBLISHERS, {}),
    "publication-prepare": ("post", {}, MANAGERS,
                            {"material_version": "@version", "kind": "release"}),
    "announce": ("post", {}, MANAGERS, {"conference": "@conference", "title": "Konferensi"}),
}  # fmt: skip
GLOBAL = {
    "inquiries": VIEWERS | {"outsider"},
    "publications": VIEWERS | {"outsider"},
    "story-create": MANAGERS | {"outsider"},
}


def _value(world, key):
    """``"@name"`` is the id of the world's object ``name``; anything else is literal."""
    if not key.startswith("@"):
        return key
    value = world[key[1:]]
    return getattr(value, "pk", value)


def test_every_staff_url_has_an_access_case():
    resolver = get_resolver("prima.portal.staff_urls")
    names = {p.name for p in resolver.url_patterns if isinstance(p, URLPattern)}
    assert names == set(CASES) | set(GLOBAL)


@pytest.mark.parametrize("name", sorted(CASES))
def test_portal_staff_url_access(name, cases, personas):
    method, kwargs, allowed, data = CASES[name]
    world = dict(cases)
    world["version"] = world["prepared"].material_version
    world["conference"] = world["announced"].conference
    if name == "publication-prepare":
        # A fresh approved statement, not on the portal yet.
        world["prepared"].delete()
    url = reverse(f"portal_staff:{name}", kwargs={k: _value(world, v) for k, v in kwargs.items()})
    payload = {k: _value(world, v) for k, v in data.items()}
    for persona in PERSONAS:
        client = client_for(personas.get(persona))
        with transaction.atomic():
            response = client.post(url, payload) if method == "post" else client.get(url)
            transaction.set_rollback(True)
        if persona == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif persona == "outsider":
            assert response.status_code == 404, (name, persona)
        elif persona in allowed:
            assert response.status_code in (200, 302), (name, persona, response.status_code)
        else:
            assert response.status_code == 403, (name, persona, response.status_code)


@pytest.mark.parametrize("name", sorted(GLOBAL))
def test_portal_staff_global_access(name, personas, offices):
    for persona in PERSONAS:
        response = client_for(personas.get(persona)).get(reverse(f"portal_staff:{name}"))
        if persona == "anonymous":
            assert response.status_code == 302
        elif persona in GLOBAL[name]:
            assert response.status_code == 200, (name, persona)
        else:
            assert response.status_code == 403, (name, persona)
    nobody = make_person("tamu", offices["soetta"])
    assert client_for(nobody).get(reverse(f"portal_staff:{name}")).status_code == 403


def test_personal_data_only_for_staff_of_the_office(cases, personas):
    url = reverse("portal_staff:inquiry", args=[cases["inquiry"].pk])
    for persona in ("pr_staff", "pr_lead", "spokesperson", "head"):
        page = client_for(personas[persona]).get(url).content.decode()
        assert "Wulan" in page and "0812-7777-1234" in page, persona
    supervisor = client_for(personas["regional_supervisor"]).get(url).content.decode()
    assert "Ada calo" in supervisor and "Wulan" not in supervisor and "0812" not in supervisor
    listing = client_for(personas["regional_supervisor"]).get(reverse("portal_staff:inquiries"))
    assert "Wulan" not in listing.content.decode()
    assert client_for(personas["outsider"]).get(url).status_code == 404


def test_answering_from_the_page(cases, personas):
    url = reverse("portal_staff:inquiry", args=[cases["inquiry"].pk])
    response = client_for(personas["pr_staff"]).post(
        url, {"answer": "Itu bukan layanan resmi.", "revision": cases["inquiry"].revision}
    )
    assert response.status_code == 302
    assert Inquiry.objects.get().answer == "Itu bukan layanan resmi."
    refused = client_for(personas["head"]).post(url, {"answer": "Lain."})
    assert refused.status_code == 403


def test_a_story_is_published_by_a_second_person(world, personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):  # PR staff have no publish right at all
        services.publish(personas["pr_staff"], world["draft_story"])
    lead_story = services.prepare_story(
        personas["pr_lead"], world["office"], title="Cerita kepala seksi", lead="",
        body="Cerita yang ditulis kepala seksi humas sendiri.",
    )  # fmt: skip
    with pytest.raises(services.FourEyesError):
        services.publish(personas["pr_lead"], lead_story)
    assert services.publish(personas["head"], lead_story).state == PublicationState.PUBLISHED


def test_only_approved_public_statements_of_real_conferences_are_prepared(world, personas):
    from prima.conferences.models import MaterialKind

    staff = personas["pr_staff"]
    version = world["prepared"].material_version
    with pytest.raises(services.PortalError):
        services.prepare_release(staff, version)  # already on the portal
    world["prepared"].delete()
    version.material.kind = MaterialKind.KEY_MESSAGES
    version.material.save()
    with pytest.raises(services.PortalError):
        services.prepare_release(staff, version)
    version.material.kind = MaterialKind.STATEMENT
    version.material.save()
    version.approved_at = None
    version.save()
    with pytest.raises(services.PortalError):
        services.prepare_release(staff, version)
    drill_version = world["exercise"].material_version
    world["exercise"].delete()
    with pytest.raises(services.PortalError):
        services.prepare_release(staff, drill_version)
    assert not services.publishable_versions(world["office"]).filter(pk=drill_version.pk)


def test_withdrawing_needs_a_reason_and_hides_it(world, personas):
    release = world["release"]
    with pytest.raises(services.PortalError):
        services.withdraw(personas["pr_lead"], release, " ")
    services.withdraw(personas["pr_lead"], release, "Koreksi data")
    assert not Publication.objects.public().filter(pk=release.pk).exists()
    assert services.publish(personas["head"], release).state == PublicationState.PUBLISHED


def test_an_exercise_is_never_announced(world, personas):
    conference = world["drill_announcement"].conference
    with pytest.raises(services.PortalError):
        services.announce(personas["pr_staff"], conference, title="Latihan")


def test_the_profile_form_updates_the_public_contact(world, personas):
    url = reverse("portal_staff:profile", args=[world["office"].pk])
    response = client_for(personas["pr_lead"]).post(url, {
        "press_contact_name": "Andi Saputra", "press_phone": "021-555",
        "press_email": "humas@example.go.id", "report_channels": "SP4N-LAPOR!\nPos pengaduan",
    })  # fmt: skip
    assert response.status_code == 302
    news = client_for(None).get(reverse("portal:newsroom", args=["soetta"])).content.decode()
    assert "Andi Saputra" in news and "humas@example.go.id" in news
    bad = client_for(personas["pr_lead"]).post(url, {"press_email": "bukan"})
    assert bad.status_code == 400


def test_new_questions_appear_on_the_home_page(cases, personas):
    page = client_for(personas["pr_staff"]).get(reverse("home")).content.decode()
    assert reverse("portal_staff:inquiries") in page
    other = client_for(personas["outsider"]).get(reverse("home")).content.decode()
    assert reverse("portal_staff:inquiries") not in other

"""The catalogue's staff pages: who may open each one, and what they do."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.urls import URLPattern, get_resolver, reverse

from prima.catalogue import services
from prima.catalogue.models import Service, ServiceVersion, VersionState
from prima.conftest import client_for, make_person

from .helpers import content, fees, new_version, published_service

pytestmark = pytest.mark.django_db

PERSONAS = ["pr_staff", "pr_lead", "spokesperson", "head", "regional_supervisor", "outsider",
            "anonymous"]  # fmt: skip
VIEWERS = {"pr_staff", "pr_lead", "spokesperson", "head", "regional_supervisor"}
EDITORS = {"pr_staff", "pr_lead", "head"}
APPROVERS = {"pr_lead", "head"}

# name → (method, extra kwargs, allowed personas, POST data); "vpk" points at a version
# of the world below.
CASES: dict[str, tuple[str, dict, set[str], dict]] = {
    "service": ("get", {}, VIEWERS, {}),
    "draft-start": ("post", {}, EDITORS, {}),
    "version": ("get", {"vpk": "submitted"}, VIEWERS, {}),
    "version-edit": ("get", {"vpk": "draft"}, EDITORS, {}),
    "version-action": ("post", {"vpk": "submitted", "action": "publish"}, APPROVERS, {}),
}
GLOBAL = {"list": VIEWERS | {"outsider"}, "create": EDITORS | {"outsider"}}


@pytest.fixture
def world(personas, offices):
    """A published service with a submitted version (by PR staff 2: nobody here wrote it),
    and a second service with a draft."""
    writer = personas["pr_staff2"]
    v1 = published_service(writer, personas["pr_lead"], offices["soetta"],
                           effective_from=date(2020, 1, 1))  # fmt: skip
    submitted = new_version(writer, None, v1, effective_from=date(2030, 1, 1))
    other = services.create_service(
        writer, offices["soetta"], code="visa", category="visa", content=content(), fees=fees()
    )
    return {"service": v1.service, "submitted": submitted.pk, "draft": other.pk,
            "draft_service": other.service}  # fmt: skip


def _url(name, world):
    _m, extra, _a, _d = CASES[name]
    kwargs = {"pk": world["service"].pk}
    for key, value in extra.items():
        kwargs[key] = world.get(value, value)
    if name == "version-edit":
        kwargs["pk"] = world["draft_service"].pk
    return reverse(f"catalogue:{name}", kwargs=kwargs)


def test_every_catalogue_url_has_an_access_case():
    resolver = get_resolver("prima.catalogue.urls")
    names = {p.name for p in resolver.url_patterns if isinstance(p, URLPattern)}
    assert names == set(CASES) | set(GLOBAL)


@pytest.mark.parametrize("name", sorted(CASES))
def test_catalogue_url_access(name, world, personas):
    method, _extra, allowed, data = CASES[name]
    url = _url(name, world)
    for persona in PERSONAS:
        client = client_for(personas.get(persona))
        with transaction.atomic():
            response = client.post(url, data) if method == "post" else client.get(url)
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
def test_catalogue_global_access(name, personas, offices):
    for persona in PERSONAS:
        response = client_for(personas.get(persona)).get(reverse(f"catalogue:{name}"))
        if persona == "anonymous":
            assert response.status_code == 302
        elif persona in GLOBAL[name]:
            assert response.status_code == 200, (name, persona)
        else:
            assert response.status_code == 403, (name, persona)
    nobody = make_person("tamu", offices["soetta"])
    assert client_for(nobody).get(reverse(f"catalogue:{name}")).status_code == 403


def test_the_outsider_does_not_see_soekarno_hatta_services_in_the_list(world, personas):
    page = client_for(personas["outsider"]).get(reverse("catalogue:list")).content.decode()
    assert "Paspor Biasa" not in page
    page = (
        client_for(personas["regional_supervisor"]).get(reverse("catalogue:list")).content.decode()
    )
    assert "Paspor Biasa" in page


def test_an_unknown_version_action_is_404(world, personas):
    kwargs = {"pk": world["service"].pk, "vpk": world["submitted"], "action": "x"}
    url = reverse("catalogue:version-action", kwargs=kwargs)
    assert client_for(personas["pr_lead"]).post(url).status_code == 404


def test_a_version_of_another_service_is_404(world, personas):
    url = reverse("catalogue:version",
                  kwargs={"pk": world["service"].pk, "vpk": world["draft"]})  # fmt: skip
    assert client_for(personas["pr_lead"]).get(url).status_code == 404


def _form_data(**overrides):
    data = {
        "name": "Paspor Elektronik",
        "effective_from": "2025-01-01",
        "requirements": "KTP\nKK",
        "procedure": "Daftar\nBayar\nFoto",
        "duration_value": "4",
        "duration_unit": "working_days",
        "legal_basis": "PP No. 45 Tahun 2024",
        "product": "Paspor elektronik",
        "complaint_channels": "SP4N-LAPOR!",
        "rights": "Tepat waktu",
        "obligations": "Data benar",
        "fees-TOTAL_FORMS": "2",
        "fees-INITIAL_FORMS": "0",
        "fees-0-label": "E-paspor 5 tahun",
        "fees-0-amount": "650.000",
        "fees-0-currency": "IDR",
        "fees-0-unit": "document",
    }
    data.update(overrides)
    return data


def test_staff_add_a_service_then_a_lead_publishes_it(personas, offices):
    writer = client_for(personas["pr_staff"])
    data = _form_data(office=offices["soetta"].pk, code="paspor-elektronik", category="passport")
    response = writer.post(reverse("catalogue:create"), data)
    assert response.status_code == 302
    version = ServiceVersion.objects.get()
    assert version.fees.get().amount == 650_000
    assert version.procedure == ["Daftar", "Bayar", "Foto"]
    kwargs = {"pk": version.service_id, "vpk": version.pk}
    writer.post(reverse("catalogue:version-action", kwargs={**kwargs, "action": "submit"}))
    # The writer sees no publish button on their own work, and the service refuses it.
    page = writer.get(reverse("catalogue:version", kwargs=kwargs)).content.decode()
    assert 'data-testid="publish-version"' not in page
    lead = client_for(personas["pr_lead"])
    page = lead.get(reverse("catalogue:version", kwargs=kwargs)).content.decode()
    assert 'data-testid="publish-version"' in page
    lead.post(reverse("catalogue:version-action", kwargs={**kwargs, "action": "publish"}))
    version.refresh_from_db()
    assert version.state == VersionState.PUBLISHED and version.published_by == personas["pr_lead"]


def test_the_form_shows_what_is_missing(personas, offices):
    data = _form_data(office=offices["soetta"].pk, code="x", category="passport", legal_basis="",
                      **{"fees-0-amount": "banyak"})  # fmt: skip
    response = client_for(personas["pr_staff"]).post(reverse("catalogue:create"), data)
    assert response.status_code == 400
    assert not Service.objects.exists()


def test_editing_a_draft_and_a_stale_form(world, personas):
    version = ServiceVersion.objects.get(pk=world["draft"])
    url = reverse("catalogue:version-edit", kwargs={"pk": version.service_id, "vpk": version.pk})
    staff = client_for(personas["pr_staff"])
    assert staff.post(url, _form_data(revision=version.revision)).status_code == 302
    version.refresh_from_db()
    assert version.name == "Paspor Elektronik" and personas["pr_staff"].pk in version.contributors
    stale = staff.post(url, _form_data(revision=version.revision - 1, name="Lama"))
    assert stale.status_code == 400
    version.refresh_from_db()
    assert version.name == "Paspor Elektronik"


def test_returning_from_the_page_needs_a_reason(world, personas):
    kwargs = {"pk": world["service"].pk, "vpk": world["submitted"]}
    lead = client_for(personas["pr_lead"])
    lead.post(reverse("catalogue:version-action", kwargs={**kwargs, "action": "return"}))
    assert ServiceVersion.objects.get(pk=world["submitted"]).state == VersionState.SUBMITTED
    lead.post(reverse("catalogue:version-action", kwargs={**kwargs, "action": "return"}),
              {"reason": "Cek tarif"})  # fmt: skip
    assert ServiceVersion.objects.get(pk=world["submitted"]).state == VersionState.RETURNED


def test_the_service_page_shows_history_with_few_queries(
    world, personas, django_assert_max_num_queries
):
    client = client_for(personas["pr_staff"])
    url = reverse("catalogue:service", kwargs={"pk": world["service"].pk})
    client.get(url)
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert "Rp 350.000" in page and 'data-testid="history"' in page

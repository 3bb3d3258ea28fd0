"""Who may open each conference page and send each conference form.

Every URL of ``prima.conferences.urls`` is listed here (a test checks that none is
missing), with the personas that may use it. Everyone else gets: anonymous → the log-in
page, the outsider (PR staff at Jakarta Pusat) → 404, a Soekarno-Hatta person without the
right → 403. Requests of the allowed personas run in a savepoint that is rolled back, so
each starts from the same state; they must not be refused for lack of rights (a refusal by
a workflow rule — 400 — is fine here; the rules have their own tests).
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLPattern, get_resolver, reverse

from prima.conferences.models import (
    Appointment,
    Fact,
    Invitation,
    Material,
    MaterialKind,
    MaterialState,
    MaterialVersion,
    MediaContact,
    OpenQuestion,
    QuestionLog,
    ReadinessItem,
    RundownItem,
)
from prima.conftest import client_for

from .helpers import NOW
from .test_views_registers import CASES as REGISTER_CASES

PERSONAS = [
    "pr_staff",
    "pr_lead",
    "spokesperson",
    "head",
    "regional_supervisor",
    "outsider",
    "anonymous",
]
STAFF_AND_SUPERVISOR = {"pr_staff", "pr_lead", "spokesperson", "head", "regional_supervisor"}
EDITORS = {"pr_staff", "pr_lead", "head"}  # conference.edit / advance / verify_fact
LEADS = {"pr_lead", "head"}  # conference.appoint / cancel / close
MATERIAL_EDITORS = {"pr_staff", "pr_lead", "spokesperson", "head"}
BRIEFERS = {"pr_staff", "pr_lead", "spokesperson", "head"}
APPROVERS = {"head"}

# name → (method, URL kwargs beyond pk, allowed personas, POST data)
CASES: dict[str, tuple[str, dict, set[str], dict]] = {
    "detail": ("get", {}, STAFF_AND_SUPERVISOR, {}),
    "advance": ("post", {}, EDITORS, {}),
    "cancel": ("post", {}, LEADS, {"reason": "Agenda kepala kantor berubah"}),
    "checklist-complete": ("post", {"item_pk": "item"}, EDITORS, {"note": "Sudah"}),
    "checklist-reopen": ("post", {"item_pk": "done_item"}, EDITORS, {}),
    "checklist-evidence": ("get", {"item_pk": "done_item"}, STAFF_AND_SUPERVISOR, {}),
    "fact-add": ("post", {}, EDITORS, {"statement": "Dua WNA", "source": "Inteldakim"}),
    "fact-verify": ("post", {"fact_pk": "fact"}, EDITORS, {}),
    "chronology-add": (
        "post",
        {},
        EDITORS,
        {"occurred_at": "2025-11-19T08:00", "description": "Penangkapan"},
    ),
    "open-question-add": ("post", {}, EDITORS, {"question": "Berapa orang?"}),
    "open-question-resolve": ("post", {"question_pk": "open_question"}, EDITORS, {"answer": "Dua"}),
    "prior-statement-add": ("post", {}, EDITORS, {"title": "Siaran pers Oktober"}),
    "schedule": (
        "post",
        {},
        EDITORS,
        {"scheduled_at": "2025-11-20T10:00", "venue": "Ruang Rapat Utama"},
    ),
    "rundown-add": (
        "post",
        {},
        EDITORS,
        {"starts_at": "10:00", "duration_minutes": "5", "activity": "Pembukaan"},
    ),
    "rundown-remove": ("post", {"item_pk": "rundown"}, EDITORS, {}),
    "role-assign": ("post", {}, EDITORS, {"role": "moderator", "name": "Andi"}),
    "readiness-set": ("post", {"item_pk": "readiness"}, EDITORS, {"is_ready": "on"}),
    "invitation-add": ("post", {}, EDITORS, {"contacts": "contact2", "channel": "whatsapp"}),
    "invitation-update": ("post", {"invitation_pk": "invitation"}, EDITORS, {"confirmed": "1"}),
    "invitation-resend": ("post", {"invitation_pk": "invitation"}, EDITORS, {}),
    "material": ("get", {"kind": "key_messages"}, STAFF_AND_SUPERVISOR, {}),
    "material-submit": ("post", {"kind": "statement"}, MATERIAL_EDITORS, {}),
    "material-approve": ("post", {"kind": "key_messages"}, APPROVERS, {}),
    "material-return": ("post", {"kind": "key_messages"}, APPROVERS, {"reason": "Perbaiki"}),
    "material-review": ("get", {"kind": "key_messages"}, STAFF_AND_SUPERVISOR, {}),
    "appointment-add": ("post", {}, LEADS, {"spokesperson": "registry"}),
    "appointment-remove": ("post", {"appointment_pk": "appointment"}, LEADS, {}),
    "briefing-add": (
        "post",
        {},
        BRIEFERS,
        {"appointment": "appointment", "kind": "briefing", "held_on": "2025-11-18"},
    ),
    "execution": ("post", {}, EDITORS, {"execution_notes": "Lancar"}),
    "attendance-add": ("post", {}, EDITORS, {"journalist": "Budi", "outlet": "Antara"}),
    "attendance-sign-in": ("post", {"invitation_pk": "invitation"}, EDITORS, {}),
    "question-add": ("post", {}, EDITORS, {"asker": "Budi", "question": "Berapa WNA?"}),
    "follow-up": ("post", {"question_pk": "question"}, EDITORS, {"note": "Data dikirim"}),
    "evaluation": ("post", {}, EDITORS, {"lessons_learned": "Tepat waktu"}),
    "coverage-add": ("post", {}, EDITORS, {"title": "Imigrasi deportasi dua WNA"}),
}
# Pages without a conference in the URL.
GLOBAL_CASES: dict[str, tuple[set[str], int]] = {
    # name → (personas allowed, status for the others when logged in)
    "list": (STAFF_AND_SUPERVISOR | {"outsider"}, 403),
    "calendar": (STAFF_AND_SUPERVISOR | {"outsider"}, 403),
    # The outsider may open conferences of their own office.
    "create": (EDITORS | {"outsider"}, 403),
}


@pytest.fixture
def world(conference, personas, jubir, offices):
    """The regular conference with one row of every kind the URLs point at (made directly:
    these tests are about access, not about the rules)."""
    staff = personas["pr_staff"]
    items = list(conference.checklist_items.filter(required=True).order_by("order")[:2])
    done = items[1]
    done.done_at, done.done_by, done.evidence_note = NOW, staff, "Sudah"
    done.evidence_file.save("bukti.pdf", ContentFile(b"%PDF-1.4 bukti"), save=False)
    done.save()
    contact = MediaContact.objects.create(
        office=offices["soetta"], outlet="Antara", journalist="Budi"
    )
    contact2 = MediaContact.objects.create(
        office=offices["soetta"], outlet="Kompas", journalist="Sari"
    )
    material = Material.objects.create(
        conference=conference, kind=MaterialKind.KEY_MESSAGES, state=MaterialState.SUBMITTED
    )
    material.current = MaterialVersion.objects.create(
        material=material, number=1, items=["Satu"], author=staff
    )
    material.save()
    statement = Material.objects.create(conference=conference, kind=MaterialKind.STATEMENT)
    statement.current = MaterialVersion.objects.create(
        material=statement, number=1, body="Teks", author=staff
    )
    statement.save()
    appointment = Appointment.objects.create(
        conference=conference, spokesperson=jubir, appointed_by=personas["pr_lead"]
    )
    registry = type(jubir).objects.create(
        office=offices["soetta"],
        name="Andi Saputra",
        decree_number="SK-2",
        valid_from=jubir.valid_from,
        valid_until=jubir.valid_until,
        topics=jubir.topics,
        levels=jubir.levels,
    )
    return {
        "conference": conference,
        "item": items[0].pk,
        "done_item": done.pk,
        "fact": Fact.objects.create(
            conference=conference, statement="Dua WNA", source="Inteldakim", entered_by=staff
        ).pk,
        "open_question": OpenQuestion.objects.create(
            conference=conference, question="Siapa?", raised_by=staff
        ).pk,
        "rundown": RundownItem.objects.create(
            conference=conference, starts_at="10:00", activity="Pembukaan"
        ).pk,
        "readiness": ReadinessItem.objects.filter(conference=conference).first().pk,
        "invitation": Invitation.objects.create(
            conference=conference, contact=contact, invited_by=staff
        ).pk,
        "contact2": contact2.pk,
        "appointment": appointment.pk,
        "registry": registry.pk,
        "question": QuestionLog.objects.create(
            conference=conference, asker="Budi", question="Berapa?", follow_up_needed=True
        ).pk,
    }


def _url(name: str, world: dict) -> str:
    _method, extra, _allowed, _data = CASES[name]
    kwargs = {"pk": world["conference"].pk}
    kwargs.update({key: world.get(value, value) for key, value in extra.items()})
    return reverse(f"conferences:{name}", kwargs=kwargs)


def _request(client, method: str, url: str, data: dict):
    with transaction.atomic():
        response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        transaction.set_rollback(True)
    return response


def test_every_conference_url_has_an_access_case():
    resolver = get_resolver("prima.conferences.urls")
    names = {p.name for p in resolver.url_patterns if isinstance(p, URLPattern)}
    assert names == set(CASES) | set(GLOBAL_CASES) | set(REGISTER_CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_conference_url_access(name, world, personas):
    method, _extra, allowed, data = CASES[name]
    url = _url(name, world)
    data = {
        key: world.get(value, value) if isinstance(value, str) else value
        for key, value in data.items()
    }
    for persona in PERSONAS:
        user = personas.get(persona)
        response = _request(client_for(user), method, url, data)
        if persona == "anonymous":
            assert response.status_code == 302, (name, persona)
            assert response["Location"].startswith(reverse("login")), (name, persona)
        elif persona == "outsider":
            assert response.status_code == 404, (name, persona, response.status_code)
        elif persona in allowed:
            assert response.status_code in (200, 302, 400, 409), (
                name,
                persona,
                response.status_code,
            )
            if response.status_code == 302:
                assert not response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code == 403, (name, persona, response.status_code)


@pytest.mark.parametrize("name", sorted(GLOBAL_CASES))
def test_global_page_access(name, personas, offices):
    allowed, denied_status = GLOBAL_CASES[name]
    url = reverse(f"conferences:{name}")
    for persona in PERSONAS:
        response = client_for(personas.get(persona)).get(url)
        if persona == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
        elif persona in allowed:
            assert response.status_code == 200, (name, persona)
        else:
            assert response.status_code == denied_status, (name, persona)


def test_a_person_without_any_role_gets_403_on_the_list(db, offices):
    from prima.conftest import make_person

    nobody = make_person("tamu", offices["soetta"])
    assert client_for(nobody).get(reverse("conferences:list")).status_code == 403


def test_the_outsider_does_not_see_soekarno_hatta_conferences_in_the_list(world, personas):
    response = client_for(personas["outsider"]).get(reverse("conferences:list"))
    assert world["conference"].title not in response.content.decode()

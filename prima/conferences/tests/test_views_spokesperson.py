"""Spokesperson appointment from the registry (validity shown and enforced) and briefings."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import override

from prima.conferences import workflow
from prima.conferences.models import Stage
from prima.conftest import client_for

from .helpers import registry_entry, walk_to

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def _url(name, conference, *args):
    return reverse(f"conferences:{name}", args=[conference.pk, *args])


def test_the_registry_shows_validity_and_only_valid_people_can_be_appointed(
    conference, personas, jubir, offices
):
    conf = walk_to(conference, Stage.SPOKESPERSON, personas, spokesperson=jubir)
    expired = registry_entry(
        offices["soetta"],
        None,
        name="Pak Lama",
        valid_from=date(2020, 1, 1),
        valid_until=date(2024, 12, 31),
    )
    html = client_for(personas["pr_lead"]).get(conf.get_absolute_url()).content.decode()
    registry = html.split('data-testid="registry"')[1].split("</table>")[0]
    assert "Sri Handayani" in registry and "Pak Lama" in registry
    assert "31 Desember 2024" in registry
    old_row = next(r for r in registry.split("<tr") if "Pak Lama" in r)
    assert 'data-testid="appoint"' not in old_row
    # Posting anyway is refused with the reason; nothing is appointed.
    response = client_for(personas["pr_lead"]).post(
        _url("appointment-add", conf), {"spokesperson": expired.pk}, **HTMX
    )
    assert response.status_code == 400
    with override("id"):
        problems = workflow.spokesperson_problems(expired, conf)
    assert problems and escape(problems[0]) in response.content.decode()
    assert not conf.appointments.exists()


def test_the_lead_appoints_and_a_briefing_is_recorded(conference, personas, jubir):
    conf = walk_to(conference, Stage.SPOKESPERSON, personas, spokesperson=jubir)
    response = client_for(personas["pr_lead"]).post(
        _url("appointment-add", conf), {"spokesperson": jubir.pk}
    )
    assert response.status_code == 302
    appointment = conf.appointments.get()
    assert appointment.is_principal
    response = client_for(personas["spokesperson"]).post(
        _url("briefing-add", conf),
        {
            "appointment": appointment.pk,
            "kind": "rehearsal",
            "held_on": "2025-11-18",
            "notes": "Simulasi tanya jawab dengan tim humas",
        },
    )
    assert response.status_code == 302
    html = client_for(personas["pr_staff"]).get(conf.get_absolute_url()).content.decode()
    assert "Simulasi tanya jawab dengan tim humas" in html
    assert "18 November 2025" in html


def test_a_briefing_in_the_future_is_refused_and_kept(conference, personas, jubir):
    conf = walk_to(conference, Stage.SPOKESPERSON, personas, spokesperson=jubir)
    client_for(personas["pr_lead"]).post(_url("appointment-add", conf), {"spokesperson": jubir.pk})
    appointment = conf.appointments.get()
    response = client_for(personas["pr_staff"]).post(
        _url("briefing-add", conf),
        {
            "appointment": appointment.pk,
            "kind": "briefing",
            "held_on": "2099-01-01",
            "notes": "Belum terjadi",
        },
    )
    assert response.status_code == 400
    assert response.context["forms"]["briefing"].errors["held_on"]
    assert "Belum terjadi" in response.content.decode()


def test_an_appointment_is_removed(conference, personas, jubir):
    conf = walk_to(conference, Stage.SPOKESPERSON, personas, spokesperson=jubir)
    client = client_for(personas["head"])
    client.post(_url("appointment-add", conf), {"spokesperson": jubir.pk})
    appointment = conf.appointments.get()
    response = client.post(_url("appointment-remove", conf, appointment.pk), **HTMX)
    assert response.status_code == 200
    assert not conf.appointments.exists()

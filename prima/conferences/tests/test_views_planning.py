"""Technical planning: date and venue (stale edits refused), run-down, roles, readiness,
invitations from the media-contacts register."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext, override

from prima.conferences import workflow
from prima.conferences.models import Invitation, MediaContact
from prima.conftest import client_for

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def indonesian(text) -> str:
    """What the page shows for an English source string (Indonesian is the default)."""
    with override("id"):
        return str(text) if isinstance(text, Promise) else gettext(text)


def _url(name, conference, *args):
    return reverse(f"conferences:{name}", args=[conference.pk, *args])


def test_it_sets_date_and_venue_in_wib(conference, pr_staff):
    response = client_for(pr_staff).post(
        _url("schedule", conference),
        {
            "scheduled_at": "2025-11-21T10:00",
            "venue": "Ruang Rapat Utama",
            "version": conference.version,
        },
    )
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.scheduled_at == datetime(2025, 11, 21, 3, 0, tzinfo=UTC)
    assert conference.venue == "Ruang Rapat Utama"


def test_a_stale_schedule_edit_is_refused_and_the_input_kept(conference, pr_staff, pr_lead):
    seen = conference.version
    workflow.update_conference(pr_lead, conference, expected_version=seen, venue="Aula Terminal 3")
    response = client_for(pr_staff).post(
        _url("schedule", conference),
        {
            "scheduled_at": "2025-11-21T10:00",
            "venue": "Ruang Rapat Utama",
            "version": seen,
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'value="Ruang Rapat Utama"' in html
    assert indonesian(workflow.ConflictError.default_message) in html
    conference.refresh_from_db()
    assert conference.venue == "Aula Terminal 3"


def test_a_missing_venue_is_a_field_error(conference, pr_staff):
    response = client_for(pr_staff).post(
        _url("schedule", conference),
        {
            "scheduled_at": "2025-11-21T10:00",
            "venue": "",
            "version": conference.version,
        },
    )
    assert response.status_code == 400
    assert response.context["forms"]["schedule"].errors["venue"]
    assert response.context["panels"][1]["open"]


def test_the_rundown_is_built_and_trimmed(conference, pr_staff):
    client = client_for(pr_staff)
    client.post(
        _url("rundown-add", conference),
        {
            "starts_at": "10:00",
            "duration_minutes": 5,
            "activity": "Pembukaan oleh MC",
            "person": "Andi",
        },
    )
    item = conference.rundown.get()
    response = client.post(_url("rundown-remove", conference, item.pk), **HTMX)
    assert response.status_code == 200
    assert not conference.rundown.exists()


def test_roles_are_assigned_to_people_or_names(conference, pr_staff, pr_staff2):
    client = client_for(pr_staff)
    client.post(_url("role-assign", conference), {"role": "moderator", "user": pr_staff2.pk})
    client.post(
        _url("role-assign", conference), {"role": "documentation", "name": "Tim Dokumentasi Humas"}
    )
    roles = {r.role: r.person_name for r in conference.role_assignments.all()}
    assert roles == {"moderator": "Dimas Prasetyo", "documentation": "Tim Dokumentasi Humas"}
    response = client.post(_url("role-assign", conference), {"role": "media_liaison"})
    assert response.status_code == 400


def test_readiness_is_ticked(conference, pr_staff):
    item = conference.readiness.first()
    response = client_for(pr_staff).post(
        _url("readiness-set", conference, item.pk),
        {"is_ready": "on", "notes": "Dua mikrofon"},
        **HTMX,
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.is_ready and item.checked_by == pr_staff


def test_journalists_are_invited_from_the_register_and_their_reply_recorded(
    conference, pr_staff, offices
):
    antara = MediaContact.objects.create(
        office=offices["soetta"], outlet="Antara", journalist="Budi", beat="Hukum", phone="0812"
    )
    kompas = MediaContact.objects.create(
        office=offices["soetta"], outlet="Kompas", journalist="Sari", beat="Penerbangan"
    )
    MediaContact.objects.create(office=offices["jakpus"], outlet="Lain", journalist="Orang lain")
    client = client_for(pr_staff)
    page = client.get(conference.get_absolute_url() + "?open=planning").content.decode()
    assert "Penerbangan" in page and "Orang lain" not in page
    response = client.post(
        _url("invitation-add", conference),
        {"contacts": [antara.pk, kompas.pk], "channel": "whatsapp"},
    )
    assert response.status_code == 302
    assert conference.invitations.count() == 2
    antara.refresh_from_db()
    assert antara.last_contact_on is not None
    invitation = Invitation.objects.get(contact=antara)
    client.post(_url("invitation-update", conference, invitation.pk), {"confirmed": "1"})
    invitation.refresh_from_db()
    assert invitation.confirmed_at is not None


def test_a_contact_of_another_office_cannot_be_invited(conference, pr_staff, offices):
    other = MediaContact.objects.create(
        office=offices["jakpus"], outlet="Lain", journalist="Orang lain"
    )
    response = client_for(pr_staff).post(
        _url("invitation-add", conference), {"contacts": [other.pk], "channel": "whatsapp"}
    )
    assert response.status_code == 400
    assert not conference.invitations.exists()

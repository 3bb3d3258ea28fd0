"""Opening a conference through the form."""

from __future__ import annotations

from datetime import UTC, datetime

from django.urls import reverse

from prima.conferences.models import Conference, ConferenceType, Stage
from prima.conftest import client_for, make_person
from prima.organizations.models import Role

FORM = {
    "type": "regular",
    "title": "Rilis Kinerja Pelayanan Keimigrasian November 2025",
    "summary": "Capaian layanan paspor dan perlintasan.",
    "topic": "performance",
    "level": "1",
    "scheduled_at": "2030-12-04T10:00",
    "venue": "Ruang Rapat Utama",
}


def test_pr_staff_open_a_regular_conference_scheduled_in_wib(templates, offices, pr_staff):
    response = client_for(pr_staff).post(reverse("conferences:create"), FORM)
    conference = Conference.objects.get()
    assert response.status_code == 302
    assert response["Location"] == conference.get_absolute_url()
    assert conference.office == offices["soetta"]
    assert conference.stage == Stage.INFORMATION
    assert conference.created_by == pr_staff
    # 10.00 WIB is 03.00 UTC.
    assert conference.scheduled_at == datetime(2030, 12, 4, 3, 0, tzinfo=UTC)
    assert conference.checklist_items.exists()
    page = client_for(pr_staff).get(conference.get_absolute_url()).content.decode()
    assert "Rabu, 4 Desember 2030, 10.00 WIB" in page


def test_the_office_field_is_hidden_for_someone_with_one_office(offices, pr_staff):
    html = client_for(pr_staff).get(reverse("conferences:create")).content.decode()
    assert 'type="hidden" name="office"' in html


def test_someone_with_several_offices_chooses_and_the_time_follows_that_office(templates, offices):
    bali = offices["kanwil_bali"]
    person = make_person("nyoman", bali, Role.PR_LEAD)
    from prima.organizations.models import Membership

    Membership.objects.create(user=person, office=offices["soetta"], role=Role.PR_LEAD)
    client = client_for(person)
    html = client.get(reverse("conferences:create")).content.decode()
    assert '<select name="office"' in html
    response = client.post(reverse("conferences:create"), FORM | {"office": bali.pk})
    assert response.status_code == 302
    # 10.00 WITA is 02.00 UTC.
    assert Conference.objects.get().scheduled_at == datetime(2030, 12, 4, 2, 0, tzinfo=UTC)


def test_a_crisis_exercise_starts_its_clock_now(templates, offices, pr_lead):
    client_for(pr_lead).post(
        reverse("conferences:create"),
        FORM
        | {
            "type": "crisis",
            "title": "Simulasi krisis hoaks pungli",
            "is_exercise": "on",
            "scheduled_at": "",
            "level": "3",
            "topic": "crisis",
        },
    )
    conference = Conference.objects.get()
    assert conference.type == ConferenceType.CRISIS
    assert conference.is_exercise
    page = client_for(pr_lead).get(conference.get_absolute_url()).content.decode()
    assert 'data-testid="countdown-holding_statement"' in page


def test_invalid_input_is_refused_and_kept(offices, pr_staff):
    response = client_for(pr_staff).post(
        reverse("conferences:create"), FORM | {"title": "", "summary": "Tetap di sini"}
    )
    assert response.status_code == 400
    assert not Conference.objects.exists()
    html = response.content.decode()
    assert "Tetap di sini" in html
    assert response.context["form"].errors["title"]


def test_a_workflow_refusal_is_shown_on_the_form(templates, offices, pr_staff):
    # Scheduled before it is opened: the workflow refuses, the page says why.
    response = client_for(pr_staff).post(
        reverse("conferences:create"), FORM | {"scheduled_at": "2020-01-01T10:00"}
    )
    assert response.status_code == 400
    assert not Conference.objects.exists()
    assert response.context["form"].errors["scheduled_at"]
    assert "Ruang Rapat Utama" in response.content.decode()


def test_a_spokesperson_may_not_open_a_conference(offices, spokesperson):
    assert client_for(spokesperson).post(reverse("conferences:create"), FORM).status_code == 403
    assert not Conference.objects.exists()

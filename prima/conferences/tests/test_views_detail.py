"""The detail page: stage track, what blocks the next step and who must act, crisis
countdowns, the panels, and the history link."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, override

from prima.conferences import workflow
from prima.conferences.models import ConferenceType, Stage, Topic
from prima.conftest import client_for

from .helpers import walk_to


def indonesian(text) -> str:
    """What the page shows for an English source string (Indonesian is the default)."""
    with override("id"):
        return str(text) if isinstance(text, Promise) else gettext(text)


def _page(user, conference, **query):
    response = client_for(user).get(conference.get_absolute_url(), query)
    assert response.status_code == 200
    return response


def test_it_shows_the_stage_track_with_the_current_stage_blocked(conference, pr_staff):
    response = _page(pr_staff, conference)
    track = {s["code"]: s for s in response.context["track"]}
    assert track["information"]["state"] == "current"
    assert track["information"]["blocked"]
    assert track["planning"]["state"] == "todo"
    html = response.content.decode()
    assert 'aria-current="step"' in html
    assert (
        'data-testid="advance"' in html
        and "disabled" in html.split('data-testid="advance"')[1][:60]
    )


def test_it_says_what_blocks_the_next_step_and_who_must_act(conference, pr_staff, pr_staff2):
    workflow.add_fact(
        pr_staff, conference, statement="Dua WNA dideportasi", source="Seksi Inteldakim"
    )
    html = _page(pr_staff, conference).content.decode()
    blockers = html.split('data-testid="blockers"')[1].split("</ul>")[0]
    assert "Dua WNA dideportasi" in blockers
    # Rina entered the fact: only Dimas (or the lead, or the head) may verify it.
    fact_line = next(li for li in blockers.split("<li") if "Dua WNA" in li)
    assert "Dimas Prasetyo" in fact_line and "Rina Wulandari" not in fact_line


def test_done_stages_are_marked_and_the_current_panel_is_open(conference, personas, jubir):
    conf = walk_to(conference, Stage.MATERIAL, personas, spokesperson=jubir)
    response = _page(personas["pr_staff"], conf)
    states = {s["code"]: s["state"] for s in response.context["track"]}
    assert states["information"] == states["planning"] == "done"
    assert states["material"] == "current"
    panels = {p["code"]: p for p in response.context["panels"]}
    assert panels["material"]["open"] and not panels["information"]["open"]
    # ?open= opens another panel too (the page's anchors use it without JavaScript).
    response = _page(personas["pr_staff"], conf, open="information")
    assert {p["code"]: p["open"] for p in response.context["panels"]}["information"]


def test_a_crisis_shows_ticking_countdowns_with_server_rendered_text(templates, offices, pr_staff):
    crisis = workflow.create_conference(
        pr_staff,
        office=offices["soetta"],
        type=ConferenceType.CRISIS,
        title="Gangguan autogate",
        topic=Topic.BORDER,
    )
    html = _page(pr_staff, crisis).content.decode()
    box = html.split('data-testid="countdown-holding_statement"')[0].rsplit("<div", 1)[1]
    assert "data-deadline=" in box and "data-server-now=" in box
    text = html.split('data-testid="countdown-holding_statement"')[1][:300]
    assert "59 menit" in text or "1 jam" in text  # fallback text before the script runs
    assert "conf-deadline open" in html


def test_a_missed_crisis_deadline_is_flagged(crisis, pr_staff):
    # The fixture's crisis was opened on 19 November 2025: every deadline has passed.
    response = _page(pr_staff, crisis)
    assert all(d.is_missed for d in response.context["deadlines"])
    html = response.content.decode()
    assert html.count("conf-deadline missed") == 2
    assert indonesian("overdue by %(t)s").split(" %")[0] in html


def test_regular_conferences_have_no_countdown(conference, pr_staff):
    html = _page(pr_staff, conference).content.decode()
    assert "data-deadline" not in html


def test_the_history_link_is_for_those_who_may_read_the_audit_trail(conference, pr_staff, head):
    url = reverse("audit-object-history", args=["conferences.conference", conference.pk])
    assert url not in _page(pr_staff, conference).content.decode()
    assert url in _page(head, conference).content.decode()
    assert client_for(head).get(url).status_code == 200


def test_buttons_follow_the_rights(conference, personas):
    staff_html = _page(personas["pr_staff"], conference).content.decode()
    assert 'data-testid="cancel-conference"' not in staff_html
    assert 'data-testid="fact-form"' in staff_html
    supervisor_html = _page(personas["regional_supervisor"], conference).content.decode()
    assert 'data-testid="advance"' not in supervisor_html
    assert 'data-testid="fact-form"' not in supervisor_html
    assert 'data-testid="complete-' not in supervisor_html
    lead_html = _page(personas["pr_lead"], conference).content.decode()
    assert 'data-testid="cancel-conference"' in lead_html


def test_a_cancelled_conference_shows_the_reason_and_no_forms(conference, pr_staff, pr_lead):
    workflow.cancel(pr_lead, conference, reason="Kepala kantor dipanggil ke Jakarta")
    html = _page(pr_staff, conference).content.decode()
    assert "Kepala kantor dipanggil ke Jakarta" in html
    assert 'data-testid="cancelled-banner"' in html
    assert 'data-testid="fact-form"' not in html
    assert 'data-testid="advance"' not in html


def test_a_closed_conference_shows_its_evaluation(conference, personas, jubir):
    conf = walk_to(conference, Stage.CLOSED, personas, spokesperson=jubir)
    response = _page(personas["pr_staff"], conf)
    assert all(s["state"] == "done" for s in response.context["track"])
    html = response.content.decode()
    assert "Mulai tepat waktu." in html
    assert 'data-testid="evaluation-summary"' in html


def test_times_are_shown_in_the_office_time_zone(conference, pr_staff, offices):
    conference.office.timezone = "Asia/Makassar"
    conference.office.save()
    when = timezone.now() + timedelta(days=3)
    workflow.update_conference(
        pr_staff,
        conference,
        expected_version=conference.version,
        scheduled_at=when.replace(hour=2, minute=0, second=0, microsecond=0),
    )
    html = _page(pr_staff, conference).content.decode()
    assert "10.00 WITA" in html


def test_the_detail_query_count_does_not_grow_with_the_rows(
    conference, personas, jubir, offices, django_assert_max_num_queries
):
    from prima.conferences.models import MediaContact

    conf = walk_to(conference, Stage.EXECUTION, personas, spokesperson=jubir)
    staff = personas["pr_staff"]
    client = client_for(personas["pr_lead"])
    client.get(conf.get_absolute_url())  # warm the session

    def add_rows(n: int) -> None:
        for i in range(n):
            workflow.add_fact(staff, conf, statement=f"Fakta {i}", source="Inteldakim")
            workflow.add_attendance(staff, conf, journalist=f"Wartawan {i}", outlet="Antara")
            workflow.log_question(staff, conf, asker=f"Wartawan {i}", question="Berapa?")
            workflow.add_open_question(staff, conf, question=f"Pertanyaan {i}")
            MediaContact.objects.create(
                office=offices["soetta"], outlet=f"Media {i}", journalist=f"Wartawan {i}"
            )

    add_rows(1)
    # One per panel section (each read once: the blockers and the checklist's proofs use
    # the same rows), the policy; never per row.
    with django_assert_max_num_queries(32) as few:
        client.get(conf.get_absolute_url())
    add_rows(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(conf.get_absolute_url())


def test_parts_are_in_the_order_the_database_would_give(conference, pr_staff):
    from datetime import date

    from django.db import connection

    from prima.conferences.models import PriorStatement
    from prima.conferences.views.detail import in_order

    for title, day in (("B", date(2025, 1, 2)), ("A", None), ("C", date(2025, 3, 1))):
        PriorStatement.objects.create(
            conference=conference, title=title, published_on=day, entered_by=pr_staff
        )
    expected = [s.title for s in conference.prior_statements.order_by("-published_on", "pk")]
    shown = [s.title for s in in_order(conference.prior_statements.all(), "-published_on", "pk")]
    assert shown == expected
    assert expected == (["A", "C", "B"] if connection.vendor == "postgresql" else ["C", "B", "A"])
    listed = [s.title for s in _page(pr_staff, conference).context["prior_statements"]]
    assert listed == expected

"""The crisis pages do what they say: assessing, the CSV log, the configuration editor,
preparing a drill, clarifications through the pages; the board's query count stays flat
as cases grow; the detector system check."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core import checks
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prima.conftest import client_for
from prima.crisis import assessment, cases, streaming
from prima.crisis.attention import crisis_attention
from prima.crisis.checks import storm_detector_runs
from prima.crisis.models import Case, CaseEvent, CrisisConfig, Drill
from prima.crisis.tests.conftest import NOW
from prima.crisis.tests.test_escalation import TINGGI

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(soetta, pr_staff, head):
    opened = cases.open_case(pr_staff, soetta, title="Video pungli konter", now=NOW)
    assessment.record(pr_staff, opened, now=NOW, **TINGGI)
    return opened


def test_assessing_through_the_page(case, pr_staff):
    response = client_for(pr_staff).post(
        reverse("crisis:case-assess", args=[case.pk]),
        {"category": "misconduct", "affected": "0.7", "rights": "1", "reputation": "1",
         "safety": "0", "vulnerable": "0", "political": "0", "context_mainstream": "1",
         "note": "Diliput tiga media nasional"},
    )  # fmt: skip
    assert response.status_code == 302
    latest = assessment.latest(case)
    assert latest.category == "misconduct" and latest.assessed_by == pr_staff
    assert latest.factors["mainstream"] == {
        "value": 1.0, "source": "staff", "detail": latest.factors["mainstream"]["detail"]
    }  # fmt: skip
    page = client_for(pr_staff).get(case.get_absolute_url())
    assert b"Diliput tiga media nasional" in page.content
    assert 'data-testid="explanation"' in page.content.decode()


def test_a_timing_that_never_came_is_not_waiting_once_the_case_is_closed(case, pr_lead):
    def signal_box() -> str:
        page = client_for(pr_lead).get(case.get_absolute_url()).content.decode()
        start = page.index('data-testid="timing-signal"')
        return page[start : page.index("</div>\n  </div>", start)]

    # Opened by hand: no signal has come (yet).
    assert "menunggu" in signal_box()
    cases.close(pr_lead, case, reason="resolved", now=NOW + timedelta(hours=2))
    box = signal_box()
    assert "menunggu" not in box and "tidak tercapai" in box


def test_a_refused_change_shows_its_reason(case, pr_lead):
    response = client_for(pr_lead).post(
        reverse("crisis:case-override", args=[case.pk]), {"level": "2", "reason": " "}, follow=True
    )
    assert "Alasan" in response.content.decode()  # the form's required field, in Indonesian
    assert assessment.latest(case).level == case.level


def test_the_log_exports_as_csv_in_office_time(case, pr_staff):
    cases.add_note(pr_staff, case, '=HYPERLINK("http://x")', now=NOW + timedelta(minutes=3))
    response = client_for(pr_staff).get(reverse("crisis:case-log-csv", args=[case.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert f"crisis-case-{case.pk}-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Waktu", "Zona waktu", "Jenis", "Oleh", "Peristiwa"]
    assert rows[1][:3] == ["2025-11-19 10:00:00", "WIB", "Kasus dibuka"]
    note = next(r for r in rows if r[2] == "Catatan")
    assert note[4].startswith("'=HYPERLINK")  # no formula runs in a spreadsheet
    assert len(rows) - 1 == CaseEvent.objects.filter(case=case).count()


def test_the_configuration_editor_saves_a_new_version(administrator):
    client = client_for(administrator)
    form = client.get(reverse("crisis:config-edit")).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        data[name] = value
    data["threshold_3"] = 45
    data["note"] = "Ambang Tinggi diturunkan"
    response = client.post(reverse("crisis:config-edit"), data)
    assert response.status_code == 302, response.context["form"].errors
    saved = CrisisConfig.objects.get(version=2)
    assert saved.parsed.thresholds[3] == 45 and saved.note == "Ambang Tinggi diturunkan"
    assert saved.parsed.taxonomy == CrisisConfig.objects.get(version=1).parsed.taxonomy
    data["threshold_3"] = 10  # below the level-2 threshold: refused, nothing saved
    refused = client.post(reverse("crisis:config-edit"), data)
    assert refused.status_code == 200 and "Ambang harus naik" in refused.content.decode()
    assert CrisisConfig.objects.count() == 2


def test_preparing_a_generated_drill(pr_lead, soetta):
    response = client_for(pr_lead).post(
        reverse("crisis:drill-list"),
        {"office": soetta.pk, "name": "Latihan hoaks", "source": "generated",
         "baseline_per_hour": "2", "peak_per_bucket": "25", "burst_hours": "1",
         "negative_percent": "90"},
    )  # fmt: skip
    drill = Drill.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/drills/{drill.pk}/")
    assert drill.scenario["source"] == "generated" and drill.status == "ready"
    missing = client_for(pr_lead).post(
        reverse("crisis:drill-list"),
        {"office": soetta.pk, "name": "Rekaman", "source": "recorded", "baseline_per_hour": "2",
         "peak_per_bucket": "25", "burst_hours": "1", "negative_percent": "90"},
    )  # fmt: skip
    assert missing.status_code == 200 and Drill.objects.count() == 1


def test_clarifications_through_the_pages(soetta, pr_staff, pr_lead):
    hoax = cases.open_case(pr_staff, soetta, title="Hoaks tarif", now=NOW)
    staff, lead = client_for(pr_staff), client_for(pr_lead)
    response = staff.post(
        reverse("crisis:clarification-create", args=[hoax.pk]),
        {"title": "Tidak ada tarif baru", "claim": "Tarif Rp500.000", "facts": "Tidak ada.",
         "verdict": "hoax"},
    )  # fmt: skip
    item = hoax.clarifications.get()
    assert response.status_code == 302
    staff.post(reverse("crisis:clarification-action", args=[item.pk, "submit"]))
    assert "crisis.publish_clarification" in [i.kind for i in crisis_attention(pr_lead)]
    assert not [i for i in crisis_attention(pr_staff) if i.kind == "crisis.publish_clarification"]
    lead.post(
        reverse("crisis:clarification-action", args=[item.pk, "publish"]),
        {"channel_0": "website", "url_0": "https://www.imigrasi.go.id/k/1", "channel_1": "x"},
    )
    item.refresh_from_db()
    assert item.is_published and [c["channel"] for c in item.channels] == ["website", "x"]
    page = lead.get(reverse("crisis:clarification-list")).content.decode()
    assert "Tidak ada tarif baru" in page and "Terbit" in page


def test_the_board_needs_the_same_queries_for_more_cases(soetta, pr_staff, head):
    def board_queries() -> int:
        client = client_for(head)
        client.get(reverse("crisis:board"))  # warm up (session, memberships)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("crisis:board")).status_code == 200
        return len(queries)

    first = cases.open_case(pr_staff, soetta, title="Kasus 1", now=NOW)
    assessment.record(pr_staff, first, now=NOW, **TINGGI)
    few = board_queries()
    for n in range(2, 7):
        more = cases.open_case(pr_staff, soetta, title=f"Kasus {n}", now=NOW)
        assessment.record(pr_staff, more, now=NOW, **TINGGI)
    assert board_queries() == few
    assert Case.objects.count() == 6


def test_the_case_page_needs_the_same_queries_for_more_activity(
    case, soetta, source, pr_staff, django_assert_max_num_queries, settings
):
    from prima.crisis.tests.conftest import add_mentions

    settings.CRISIS_CASE_CHART_CACHE_SECONDS = 0  # the chart's queries every time
    client = client_for(pr_staff)
    client.get(case.get_absolute_url())  # warm up (session, memberships)
    with django_assert_max_num_queries(25) as few:
        assert client.get(case.get_absolute_url()).status_code == 200
    # A storm of mentions, notes and assessments adds rows, not queries.
    for n in range(5):
        add_mentions(source, NOW - timedelta(minutes=10 * n), 20)
        cases.add_note(pr_staff, case, f"Catatan {n}", now=NOW + timedelta(minutes=n))
        assessment.record(pr_staff, case, now=NOW + timedelta(minutes=n), **TINGGI)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(case.get_absolute_url()).status_code == 200


def test_a_kept_chart_is_shared_and_dropped_by_a_change_made_in_prima(
    case, soetta, source, pr_staff, head, settings
):
    from prima.crisis.tests.conftest import add_mentions
    from prima.monitoring import services as monitoring_services

    settings.CRISIS_CASE_CHART_CACHE_SECONDS = 20

    def negatives(user) -> int:
        response = client_for(user).get(case.get_absolute_url())
        return sum(getattr(row, "negative", 0) for row in response.context["chart_rows"])

    now = timezone.now()
    first = add_mentions(source, now - timedelta(minutes=30), 4)
    before = negatives(pr_staff)
    # Mentions arriving from the sources show when the kept chart expires...
    add_mentions(source, now - timedelta(minutes=20), 3)
    assert negatives(head) == before  # the head of office gets the same kept chart
    # ...a person's own change at once.
    monitoring_services.correct_sentiment(pr_staff, first[0], "positive")
    assert negatives(pr_staff) == before + 3 - 1


def test_kept_board_figures_stay_in_their_scope_and_follow_a_change_at_once(
    case, head, pr_staff, outsider, settings
):
    from prima.crisis import escalation

    settings.CRISIS_BOARD_FIGURES_CACHE_SECONDS = 20

    def acknowledged(user) -> int:
        response = client_for(user).get(reverse("crisis:board"))
        return next(f.cases for f in response.context["figures"] if f.code == "acknowledged")

    case.opened_at = timezone.now() - timedelta(hours=1)  # within the 90 days
    case.save(update_fields=["opened_at"])
    assert acknowledged(pr_staff) == 0  # kept for Soekarno-Hatta's scope
    escalation.acknowledge(head, case, now=timezone.now())
    assert acknowledged(pr_staff) == 1  # the change shows at once
    assert acknowledged(head) == 1
    assert acknowledged(outsider) == 0  # another office: other figures


def test_the_system_check_refuses_a_broken_detector(monkeypatch):
    assert storm_detector_runs(None) == []

    def broken():
        raise ImportError("No module named 'prima.crisis.detection'")

    monkeypatch.setattr(streaming, "make_detector", broken)
    (error,) = storm_detector_runs(None)
    assert error.id == "crisis.E001" and error.level == checks.ERROR

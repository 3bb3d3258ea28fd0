"""Who may open which crisis page and perform which action: every view, every persona.

Objects belong to Soekarno-Hatta. The outsider (PR staff at Jakarta Pusat) gets 404 for
each of them; roles that may see but not act get 403; anonymous visitors are sent to log
in. Allowed POSTs redirect (to the page, with the service's message).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from prima.conferences import checklists
from prima.conftest import client_for
from prima.crisis import clarifications, drills, streaming, tasks
from prima.crisis.models import Case, CaseStatus
from prima.crisis.tests.conftest import add_mentions, make_issue

pytestmark = pytest.mark.django_db

EVERYONE = (
    "pr_staff",
    "pr_lead",
    "spokesperson",
    "head",
    "regional_supervisor",
    "dg_supervisor",
    "administrator",
    "outsider",
)
READERS = EVERYONE[:-1]
MANAGERS = {"pr_staff", "pr_lead", "head", "regional_supervisor", "dg_supervisor"}
OVERRIDERS = {"pr_lead", "head", "regional_supervisor", "dg_supervisor"}
STATEMENT = {"pr_lead", "head"}
CONFERENCE = {"pr_staff", "pr_lead", "head"}
CLARIFY = {"pr_staff", "pr_lead", "spokesperson", "head"}
PUBLISH = {"pr_lead", "head"}
DRILL = {"pr_lead", "head", "administrator"}
CONFIG_VIEW = {"pr_lead", "head", "regional_supervisor", "dg_supervisor", "administrator"}


@pytest.fixture
def world(personas, offices, source):
    checklists.ensure_templates()
    soetta = offices["soetta"]
    now = timezone.now().replace(second=0, microsecond=0)
    start = now - timedelta(hours=2)
    streaming.ensure_series(soetta.pk, start)
    issue = make_issue(soetta, at=start - timedelta(hours=1))
    add_mentions(source, now - timedelta(minutes=40), 8, issue=issue)
    add_mentions(source, now - timedelta(minutes=35), 20, issue=issue)
    tasks.run_tick(now)
    case = Case.objects.get()
    other = Case.objects.create(office=soetta, title="Kasus lain", status=CaseStatus.CLOSED)
    clarification = clarifications.create(
        personas["pr_staff"], case, title="Tidak ada tarif baru", claim="Tarif baru Rp500.000",
        facts="Tidak ada tarif baru di bandara.",
    )  # fmt: skip
    clarifications.submit(personas["pr_staff"], clarification)
    drill = drills.create(
        personas["pr_lead"], soetta, name="Latihan autogate",
        scenario=drills.generate_storm(history_hours=2, burst_hours=1),
    )  # fmt: skip
    return {
        "case": case,
        "closed": other,
        "clarification": clarification,
        "drill": drill,
        "personas": personas,
    }


def _status(user, method, name, args=(), data=None):
    client = client_for(user)
    url = reverse(f"crisis:{name}", args=args)
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    return response.status_code


def _expect(personas, method, name, args, allowed, *, outsider=404, refused=403, data=None):
    got, want = {}, {}
    for who in EVERYONE:
        got[who] = _status(personas[who], method, name, args, data)
        if who == "outsider":
            want[who] = outsider
        elif who in allowed:
            want[who] = 302 if method == "post" else 200
        else:
            want[who] = refused
    assert got == want


def test_anonymous_visitors_are_sent_to_log_in(world):
    case, clar, drill = world["case"], world["clarification"], world["drill"]
    for name, args in [
        ("board", ()),
        ("case-create", ()),
        ("case", (case.pk,)),
        ("case-log-csv", (case.pk,)),
        ("clarification-list", ()),
        ("clarification", (clar.pk,)),
        ("clarification-create", (case.pk,)),
        ("drill-list", ()),
        ("drill", (drill.pk,)),
        ("config", ()),
        ("config-edit", ()),
        ("config-version", (1,)),
    ]:
        response = client_for(None).get(reverse(f"crisis:{name}", args=args))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_board_and_lists_access(world):
    personas = world["personas"]
    everyone_own = set(EVERYONE)  # the outsider sees the board of their own office
    _expect(personas, "get", "board", (), everyone_own, outsider=200)
    _expect(personas, "get", "clarification-list", (), everyone_own, outsider=200)
    _expect(personas, "get", "case-create", (), MANAGERS, outsider=200)
    _expect(personas, "get", "drill-list", (), DRILL, outsider=403)


def test_case_pages_access(world):
    personas, case = world["personas"], world["case"]
    _expect(personas, "get", "case", (case.pk,), set(READERS))
    _expect(personas, "get", "case-log-csv", (case.pk,), set(READERS))


def test_case_actions_access(world):
    personas, case = world["personas"], world["case"]
    pk = (case.pk,)
    _expect(personas, "post", "case-acknowledge", pk, MANAGERS)
    _expect(personas, "post", "case-assess", pk, MANAGERS, data={"category": "queues"})
    _expect(personas, "post", "case-override", pk, OVERRIDERS, data={"level": 3, "reason": "x"})
    _expect(personas, "post", "case-note", pk, MANAGERS, data={"text": "Catatan"})
    _expect(personas, "post", "case-statement", pk, STATEMENT, data={"text": "Pernyataan"})
    _expect(personas, "post", "case-action", pk, MANAGERS, data={"code": "keep_monitoring"})
    _expect(personas, "post", "case-scope", pk, MANAGERS, data={"remove_issue": "0"})
    _expect(personas, "post", "case-merge", pk, MANAGERS, data={})
    _expect(personas, "post", "case-conference", pk, CONFERENCE)
    _expect(personas, "post", "case-close", pk, MANAGERS, data={"reason": "resolved"})
    _expect(personas, "post", "case-reopen", pk, MANAGERS)


def test_reopen_access_on_a_closed_case(world):
    personas, closed = world["personas"], world["closed"]
    _expect(personas, "post", "case-reopen", (closed.pk,), MANAGERS)


def test_clarification_access(world):
    personas, case, clar = world["personas"], world["case"], world["clarification"]
    _expect(personas, "get", "clarification-create", (case.pk,), CLARIFY)
    _expect(personas, "get", "clarification", (clar.pk,), set(READERS))
    _expect(personas, "post", "clarification-action", (clar.pk, "submit"), CLARIFY)
    _expect(
        personas, "post", "clarification-action", (clar.pk, "publish"), PUBLISH,
        data={"channel_0": "website", "url_0": "https://www.imigrasi.go.id/x"},
    )  # fmt: skip
    _expect(personas, "post", "clarification-action", (clar.pk, "withdraw"), PUBLISH,
            data={"reason": "salah"})  # fmt: skip
    assert _status(personas["head"], "post", "clarification-action", (clar.pk, "x")) == 404


def test_drill_access(world):
    personas, drill = world["personas"], world["drill"]
    _expect(personas, "get", "drill", (drill.pk,), DRILL)
    _expect(personas, "post", "drill-action", (drill.pk, "start"), DRILL)
    _expect(personas, "post", "drill-action", (drill.pk, "stop"), DRILL)


def test_config_access(world):
    personas = world["personas"]
    _expect(personas, "get", "config", (), CONFIG_VIEW, outsider=403)
    _expect(personas, "get", "config-version", (1,), CONFIG_VIEW, outsider=403)
    got = {who: _status(personas[who], "get", "config-edit") for who in EVERYONE}
    assert got == {
        who: 200 if who == "administrator" else 403 if who in CONFIG_VIEW else 404
        for who in EVERYONE
    }
    assert _status(personas["head"], "get", "config-version", (99,)) == 404

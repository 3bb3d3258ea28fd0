"""Indicator pages and API: who may open what, supervisors see only their sub-tree, CSV
exports, the drill-down links and query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prima.conftest import client_for

INDICATORS = reverse("evaluation:indicators")
BEHIND = reverse("evaluation:behind")
ADOPTION = reverse("evaluation:adoption")
API = "/api/v1/evaluation/indicators"
API_ADOPTION = "/api/v1/evaluation/adoption"
MAY = "2026-05"


def _get(user, url, **params):
    return client_for(user, "id").get(url, params)


@pytest.mark.parametrize("url", [INDICATORS, BEHIND, ADOPTION])
def test_anonymous_visitors_are_sent_to_log_in(db, url):
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_who_may_open_the_indicators(scenario, personas):
    soetta = scenario.offices["soetta"].pk
    expected = {
        "pr_staff": 200,
        "pr_lead": 200,
        "head": 200,
        "regional_supervisor": 200,
        "dg_supervisor": 200,
        "administrator": 200,
        "spokesperson": 403,  # no right to indicators anywhere
        "outsider": 404,  # Jakarta Pusat's PR staff: Soekarno-Hatta does not exist for them
    }
    for name, status in expected.items():
        response = _get(personas[name], INDICATORS, office=soetta, period=MAY)
        assert response.status_code == status, name
        assert _get(personas[name], ADOPTION, office=soetta).status_code == status, name
        behind = _get(personas[name], BEHIND, office=soetta, period=MAY, indicator="conf_regular")
        assert behind.status_code == status, name


def test_supervisors_see_only_their_subtree(scenario, personas):
    maya = personas["regional_supervisor"]
    page = _get(maya, INDICATORS, period=MAY)
    assert page.status_code == 200
    assert page.context["focus"] == scenario.offices["kanwil"]
    assert [r.office.code for r in page.context["rollup"].rows] == ["jakpus", "soetta"]
    # Kanwil Bali, its office and the directorate general do not exist for her
    for office in ("kanwil_bali", "dg"):
        assert _get(maya, INDICATORS, office=scenario.offices[office].pk).status_code == 404
    assert _get(maya, INDICATORS, office=scenario.ngurah_rai.pk).status_code == 404
    assert (
        _get(
            maya, BEHIND, office=scenario.ngurah_rai.pk, period=MAY, indicator="conf_regular"
        ).status_code
        == 404
    )
    api = client_for(maya).get(API, {"office_id": scenario.offices["kanwil_bali"].pk})
    assert api.status_code == 404
    # the directorate general's supervisor sees both Kanwil
    hendra = _get(personas["dg_supervisor"], INDICATORS, period=MAY)
    assert [r.office.code for r in hendra.context["rollup"].rows] == ["kanwil-bali", "kanwil-dki"]
    # the head of office sees the office alone
    budi = _get(personas["head"], INDICATORS, period=MAY)
    assert budi.context["focus"] == scenario.offices["soetta"]
    assert [r.office.code for r in budi.context["rollup"].rows] == ["soetta"]


def test_the_page_shows_the_figures_and_the_cells_that_miss(scenario, personas):
    from prima.evaluation.models import IndicatorTarget

    IndicatorTarget.objects.create(
        office=scenario.offices["dg"], level="office", indicator="conf_full_share", value=80
    )
    page = _get(personas["regional_supervisor"], INDICATORS, period=MAY)
    html = page.content.decode()
    assert 'class="num miss"' in html
    assert "target" in html.lower()  # said in words, not only in colour
    assert "belum diukur" in html or "not yet measured" in html
    assert 'data-chart="chart-monthly"' in html


def test_the_drill_down_goes_from_the_dg_to_one_conference(scenario, personas):
    hendra = personas["dg_supervisor"]
    dg_page = _get(hendra, INDICATORS, period=MAY).content.decode()
    kanwil = scenario.offices["kanwil"]
    assert f"?office={kanwil.pk}&amp;period={MAY}" in dg_page
    behind = _get(
        hendra,
        BEHIND,
        office=scenario.offices["soetta"].pk,
        period=MAY,
        indicator="conf_full_share",
    )
    rows = behind.context["rows"]
    titles = [r["cells"][0] for r in rows]
    assert "Kinerja Mei" in titles and len(rows) == 4  # the exercise is not there
    html = behind.content.decode()
    assert scenario.conferences["full"].get_absolute_url() in html
    assert f"/evaluation/conferences/{scenario.conferences['full'].pk}/" in html
    late = next(
        r for r in rows if r["href"] == scenario.conferences["late_material"].get_absolute_url()
    )
    assert late["cells"][4] in ("tidak", "no")


def test_behind_lists_cases_questions_and_clarifications(scenario, personas):
    hendra = personas["dg_supervisor"]
    soetta = scenario.offices["soetta"].pk
    for indicator, n in (("cases", 2), ("case_l3", 1), ("inq_received", 3), ("clarifications", 1)):
        response = _get(hendra, BEHIND, office=soetta, period=MAY, indicator=indicator)
        assert len(response.context["rows"]) == n, indicator


def test_bad_input_is_a_4xx(scenario, personas):
    hendra = personas["dg_supervisor"]
    assert _get(hendra, INDICATORS, period="2026-13").status_code == 400
    assert _get(hendra, INDICATORS, office="abc").status_code == 404
    assert _get(hendra, BEHIND, period=MAY, indicator="nope").status_code == 400
    assert _get(hendra, BEHIND, period=MAY, indicator="mentions").status_code == 400
    assert client_for(hendra).get(API, {"period": "x"}).status_code == 400


def test_csv_exports_have_indonesian_headers(scenario, personas):
    hendra = personas["dg_supervisor"]
    response = _get(hendra, INDICATORS, period=MAY, format="csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    header, *lines = text.splitlines()
    assert header.startswith("Satuan,")
    assert len(lines) == 3  # two Kanwil and the total
    for url, params in ((BEHIND, {"indicator": "conf_regular", "period": MAY}), (ADOPTION, {})):
        assert _get(hendra, url, format="csv", **params).status_code == 200


def test_who_may_export(scenario, personas):
    soetta = scenario.offices["soetta"].pk
    assert _get(personas["head"], INDICATORS, office=soetta, format="csv").status_code == 200
    # PR staff may read the indicators but not export them
    assert _get(personas["pr_staff"], INDICATORS, office=soetta, format="csv").status_code == 403
    assert _get(personas["pr_staff"], ADOPTION, office=soetta, format="csv").status_code == 403


def test_api_rollup_total_is_the_sum_of_its_units(scenario, personas):
    response = client_for(personas["dg_supervisor"]).get(API, {"period": MAY})
    assert response.status_code == 200
    data = response.json()
    assert [u["office_code"] for u in data["units"]] == ["kanwil-bali", "kanwil-dki"]
    for column in ("conf_regular", "conf_full", "inq_received", "mentions"):
        assert data["total"]["figures"][column] == sum(u["figures"][column] for u in data["units"])
    assert client_for(personas["spokesperson"]).get(API).status_code == 403
    assert client_for(None).get(API).status_code == 401
    soetta = scenario.offices["soetta"].pk
    assert client_for(personas["outsider"]).get(API, {"office_id": soetta}).status_code == 404
    adoption = client_for(personas["regional_supervisor"]).get(API_ADOPTION)
    assert adoption.status_code == 200
    assert {a["office_code"] for a in adoption.json()} == {"soetta", "jakpus"}
    assert client_for(personas["spokesperson"]).get(API_ADOPTION).status_code == 403
    assert client_for(None).get(API_ADOPTION).status_code == 401
    assert (
        client_for(personas["outsider"]).get(API_ADOPTION, {"office_id": soetta}).status_code == 404
    )


def _queries(user, url, **params) -> int:
    client = client_for(user, "id")
    client.get(url, params)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_the_offices(scenario, personas, offices):
    from prima.organizations.models import Office, OfficeLevel

    hendra = personas["dg_supervisor"]
    before = _queries(hendra, INDICATORS, period="2026")
    adoption_before = _queries(hendra, ADOPTION)
    behind_before = _queries(hendra, BEHIND, period=MAY, indicator="conf_full_share")
    for i in range(5):
        Office.objects.create(
            code=f"extra-{i}",
            name=f"Kanim Extra {i}",
            short_name=f"Extra {i}",
            level=OfficeLevel.OFFICE,
            parent=offices["kanwil_bali"],
        )
    assert _queries(hendra, INDICATORS, period="2026") == before
    assert _queries(hendra, ADOPTION) == adoption_before
    assert _queries(hendra, BEHIND, period=MAY, indicator="conf_full_share") == behind_before
    assert before <= 13

"""Pages of the post-event evaluation: who may open and use each URL, the one-click
decisions with htmx, the query form, and the report's query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prima.conftest import client_for
from prima.evaluation import coverage
from prima.evaluation.coverage_models import CoverageProposal, CoverageQuery, ProposalStatus

from .conftest import store

VIEWERS = ("pr_staff", "pr_lead", "spokesperson", "head", "regional_supervisor", "dg_supervisor")
REVIEWERS = ("pr_staff", "pr_lead", "head")
POSTS = [
    ("a1", "Tempo", 2, "Sri Handayani: bandara tetap normal", "Juru bicara Sri Handayani."),
    ("a2", "Kompas", 10, "Autogate percepat pemeriksaan", "Pemeriksaan autogate 15 detik."),
]


@pytest.fixture
def world(held, news_source):
    store(news_source, *POSTS)
    coverage.compute_proposals(held)
    return {"conference": held, "proposal": CoverageProposal.objects.filter(conference=held)[0]}


def _urls(world) -> dict[str, tuple[str, str, dict]]:
    pk, proposal = world["conference"].pk, world["proposal"].pk

    def url(name: str, *args: int) -> str:
        return reverse(f"evaluation:postevent-{name}", args=[pk, *args])

    return {
        "evaluation:postevent-report": ("get", url("report"), {}),
        "evaluation:postevent-proposals": ("get", url("proposals"), {}),
        "evaluation:postevent-decide": ("post", url("decide", proposal), {"status": "rejected"}),
        "evaluation:postevent-refresh": ("post", url("refresh"), {}),
        "evaluation:postevent-query": ("post", url("query"), {"query": '"Sri Handayani"'}),
        "evaluation:postevent-document": ("post", url("document"), {"format": "docx"}),
    }


def test_anonymous_visitors_are_sent_to_log_in(world):
    for name, (method, url, data) in _urls(world).items():
        response = getattr(client_for(None), method)(url, data)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


def test_outsiders_get_404(world, outsider, bali_supervisor):
    for user in (outsider, bali_supervisor):
        for name, (method, url, data) in _urls(world).items():
            assert getattr(client_for(user), method)(url, data).status_code == 404, name


@pytest.mark.parametrize("name", ["evaluation:postevent-report", "evaluation:postevent-proposals"])
def test_the_office_and_its_supervisors_see_the_report(world, personas, name):
    _method, url, _data = _urls(world)[name]
    for persona in VIEWERS:
        assert client_for(personas[persona]).get(url).status_code == 200, persona


@pytest.mark.parametrize(
    "name",
    ["evaluation:postevent-decide", "evaluation:postevent-refresh", "evaluation:postevent-query"],
)
def test_only_pr_staff_leads_and_the_head_act(world, personas, name):
    _method, url, data = _urls(world)[name]
    for persona in VIEWERS:
        response = client_for(personas[persona]).post(url, data)
        if persona in REVIEWERS:
            assert response.status_code == 302, (persona, response.status_code)
        else:
            assert response.status_code == 403, (persona, response.status_code)


def test_one_click_confirm_with_htmx(world, pr_staff):
    conference = world["conference"]
    proposal = CoverageProposal.objects.get(conference=conference, mention__external_id="a2")
    url = reverse("evaluation:postevent-decide", args=[conference.pk, proposal.pk])
    response = client_for(pr_staff, "id").post(url, {"status": "confirmed"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="proposals"' in html and "Dikonfirmasi" in html
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CONFIRMED
    assert conference.coverage.count() == 1
    # Rejecting a confirmed item is refused in the panel, nothing changes.
    response = client_for(pr_staff).post(url, {"status": "rejected"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'data-testid="error"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CONFIRMED


def test_a_malformed_query_is_shown_with_the_error(world, pr_staff):
    conference = world["conference"]
    url = reverse("evaluation:postevent-query", args=[conference.pk])
    response = client_for(pr_staff).post(url, {"query": '"Sri Handayani" OR ('})
    assert response.status_code == 400
    assert 'data-testid="query-error"' in response.content.decode()
    assert not CoverageQuery.objects.get(conference=conference).is_edited


def test_the_report_links_to_the_office_indicators(world, head):
    conference = world["conference"]
    response = client_for(head).get(reverse("evaluation:postevent-report", args=[conference.pk]))
    link = f"{reverse('evaluation:indicators')}?office={conference.office_id}"
    assert link in response.content.decode()


def test_the_conference_page_links_to_the_report(world, pr_staff):
    conference = world["conference"]
    response = client_for(pr_staff).get(reverse("conferences:detail", args=[conference.pk]))
    assert reverse("evaluation:postevent-report", args=[conference.pk]) in response.content.decode()


def test_the_report_page_costs_a_fixed_number_of_queries(world, pr_staff, news_source):
    conference = world["conference"]
    url = reverse("evaluation:postevent-report", args=[conference.pk])
    client = client_for(pr_staff)

    def count() -> int:
        for p in CoverageProposal.objects.filter(conference=conference, status="pending"):
            coverage.decide(pr_staff, p, ProposalStatus.CONFIRMED)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    store(
        news_source,
        *[(f"b{n}", f"Media {n}", 3 + n, "Autogate percepat pemeriksaan", f"Autogate {n}.")
          for n in range(6)],
    )  # fmt: skip
    coverage.compute_proposals(conference)
    many = count()
    assert CoverageProposal.objects.filter(conference=conference).count() == 8
    assert many == few, (few, many)
    assert few <= 45, few


def test_the_report_as_a_document(world, personas, settings, tmp_path):
    """Staff who may generate documents get the report as DOCX (made by the documents
    app and stored there); supervisors, who only read, may not."""
    from prima.documents.generation.models import GeneratedDocument

    settings.MEDIA_ROOT = tmp_path
    _method, url, data = _urls(world)["evaluation:postevent-document"]
    for persona in ("regional_supervisor", "dg_supervisor"):
        assert client_for(personas[persona]).post(url, data).status_code == 403, persona
    for persona in ("pr_staff", "spokesperson", "head"):
        response = client_for(personas[persona], "id").post(url, data)
        assert response.status_code == 302, persona
        doc = GeneratedDocument.objects.latest("pk")
        assert response["Location"] == reverse("documents:download", args=[doc.pk])
        assert doc.conference == world["conference"] and doc.kind == "evaluation"
        assert doc.is_done and doc.format == "docx"
    bad = client_for(personas["pr_staff"]).post(url, {"format": "odt"})
    assert bad.status_code == 302 and GeneratedDocument.objects.count() == 3


def test_the_document_follows_the_amec_steps(world, pr_staff):
    from django.utils import translation

    from prima.evaluation import postevent, postevent_document

    conference = world["conference"]
    coverage.decide(pr_staff, world["proposal"], ProposalStatus.CONFIRMED)
    with translation.override("id"):
        content = postevent_document.document_content(conference, postevent.report(conference))
    text = content.text()
    for heading in ("Masukan (inputs)", "Kegiatan (activities)", "Keluaran (outputs)",
                    "Penerimaan (out-takes)", "Hasil (outcomes)", "Dampak (impact)"):  # fmt: skip
        assert heading in text
    assert world["proposal"].mention.title in text
    assert "Apakah ada penambahan autogate di Terminal 2 tahun depan?" in text  # unforeseen

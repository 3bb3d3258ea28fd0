"""Pages of document generation: the office's documents (and the media-analysis report
for a period), a conference's and a crisis case's documents, one document's status
(polled with htmx while it is generated) and its download."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prima.conferences.models import Conference, MaterialKind
from prima.crisis.models import Case
from prima.lib.params import page_number, parse_id
from prima.organizations import files, policy
from prima.organizations.models import Office, User

from . import builders, english, reports, services, sources  # noqa: F401 - reports registers
from .models import DocumentFormat, DocumentKind, EnglishText, GeneratedDocument, Language

CONFERENCE_KINDS = [k for k in builders.KINDS.values() if k.source == "conference"]
PAGE_SIZE = 30


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - guaranteed by login_required
    return request.user


def _documents(user: User) -> QuerySet[GeneratedDocument]:
    return policy.scope(user, "document.view", GeneratedDocument.objects.all()).select_related(
        "office", "conference", "case", "created_by"
    )


def _kind_rows(kinds: list[builders.Kind]) -> list[dict[str, Any]]:
    return [{"code": k.code, "label": DocumentKind(k.code).label, "long": k.long} for k in kinds]


def _page_context(user: User, office: Office) -> dict[str, Any]:
    return {
        "may_generate": policy.can(user, "document.generate", office),
        "formats": DocumentFormat.choices,
        "languages": Language.choices,
        "tz": office.timezone,
    }


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Every document the user may see, newest first; the media-analysis report form."""
    user = _user(request)
    offices = list(policy.offices(user, "document.view"))
    if not offices:
        raise PermissionDenied
    office_id = parse_id(request.GET.get("office"), "office")
    chosen = next((o for o in offices if o.pk == office_id), None)
    # Without a choice: a supervisor sees the whole sub-tree, staff their own office.
    home = chosen or (user.office if user.office in offices else offices[0])
    docs = _documents(user) if chosen is None else _documents(user).filter(office=chosen)
    kind = request.GET.get("kind", "")
    if kind in DocumentKind.values:
        docs = docs.filter(kind=kind)
    page = Paginator(docs, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    today = timezone.localdate()
    return render(
        request,
        "documents/generated/index.html",
        {
            "office": home,
            "chosen": chosen,
            "offices": offices,
            "page": page,
            "kinds": DocumentKind.choices,
            "kind": kind,
            "period_start": (
                services.parse_date(request.GET.get("start")) or today - timedelta(days=29)
            ),
            "period_end": (services.parse_date(request.GET.get("end")) or today),
            "may_analyse": policy.can(user, "mention.view", home),
            **_page_context(user, home),
        },
    )


@login_required
@require_GET
def conference_documents(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    conference = policy.get_for(
        user, "document.view", Conference.objects.select_related("office"), pk=pk
    )
    policy.check(user, "material.view", conference)
    docs = _documents(user).filter(conference=conference)
    return render(
        request,
        "documents/generated/conference.html",
        {
            "conference": conference,
            "kinds": _kind_rows(CONFERENCE_KINDS),
            "documents": docs,
            "texts": english.rows(conference),
            **_page_context(user, conference.office),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def english_text(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The author's English text of the material version documents are made from."""
    user = _user(request)
    conference = policy.get_for(
        user, "document.view", Conference.objects.select_related("office"), pk=pk
    )
    policy.check(user, "material.view", conference)
    material = conference.materials.filter(kind=kind).first()
    version = sources.source_version(material) if material is not None else None
    if version is None:
        raise Http404
    row = EnglishText.objects.filter(version=version).first()
    if request.method == "POST":
        items = english.clean_items(kind, list(version.items or []), request.POST.dict())
        english.save(
            user,
            version,
            title=request.POST.get("title", "").strip(),
            body=request.POST.get("body", "").strip(),
            items=items,
        )
        return HttpResponseRedirect(reverse("documents:conference", args=[conference.pk]))
    shown = list(row.items) if row else []
    pairs = []
    for i, item in enumerate(version.items or []):
        given = shown[i] if i < len(shown) else ("" if isinstance(item, str) else {})
        pairs.append({"i": i, "id": item, "en": given})
    return render(
        request,
        "documents/generated/english.html",
        {
            "conference": conference,
            "material": material,
            "label": MaterialKind(kind).label,
            "version": version,
            "row": row,
            "pairs": pairs,
            "is_qa": kind == MaterialKind.QA,
            **_page_context(user, conference.office),
        },
    )


@login_required
@require_GET
def case_documents(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = policy.get_for(user, "document.view", Case.objects.select_related("office"), pk=pk)
    policy.check(user, "crisis.view", case)
    return render(
        request,
        "documents/generated/case.html",
        {
            "case": case,
            "kinds": _kind_rows([builders.KINDS[DocumentKind.CRISIS_LOG]]),
            "documents": _documents(user).filter(case=case),
            **_page_context(user, case.office),
        },
    )


def _back(doc: GeneratedDocument) -> str:
    if doc.conference_id:
        return reverse("documents:conference", args=[doc.conference_id])
    if doc.case_id:
        return reverse("documents:case", args=[doc.case_id])
    return reverse("documents:index") + f"?office={doc.office_id}"


@login_required
@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    """Generate a document; answers with its status row (htmx) or goes back to the page
    the request came from. A refusal is a 400 with the reason."""
    user = _user(request)
    try:
        doc = services.generate_from(user, request.POST)
    except (services.GenerationRefused, ValueError) as exc:
        return render(
            request, "documents/generated/_refused.html", {"message": str(exc)}, status=400
        )
    doc = _documents(user).get(pk=doc.pk)
    if request.headers.get("HX-Request") == "true":
        return render(
            request,
            "documents/generated/_row.html",
            {"doc": doc, "tz": doc.office.timezone, "fresh": True},
        )
    return HttpResponseRedirect(_back(doc))


@login_required
@require_GET
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """One document's row: status, progress, checksum (htmx polls it while it works)."""
    doc = policy.get_for(_user(request), "document.view", _documents(_user(request)), pk=pk)
    return render(request, "documents/generated/_row.html", {"doc": doc, "tz": doc.office.timezone})


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    doc = policy.get_for(_user(request), "document.view", _documents(_user(request)), pk=pk)
    if not doc.is_done:
        raise Http404
    return files.serve(doc.file, doc.filename)

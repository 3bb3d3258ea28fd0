"""Public pages: no log-in, no JavaScript, small, cacheable.

Every page is rendered from published data only (the ``public()`` query sets of
:mod:`.models`, the catalogue's versions in force): drafts, withdrawn items and anything
from an exercise answer 404. Pages are rendered without the request's context processors
(no session or user is touched), so a page depends only on its URL: the language is chosen
with ``?lang=en`` (Indonesian by default), responses carry ``Cache-Control: public`` and an
ETag, and ``If-None-Match`` is answered with 304. Only the question form is private (it
carries a CSRF token).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.paginator import Page, Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from prima.catalogue import services as catalogue
from prima.catalogue.models import Service
from prima.crisis.clarifications import CHANNEL_LABELS
from prima.crisis.models import Clarification
from prima.lib import dates
from prima.organizations import files
from prima.organizations.middleware import client_ip
from prima.organizations.models import Office

from . import downloads, pagecache, posters, services
from .forms import InquiryForm
from .models import InquiryKind, Publication, PublicationKind

View = Callable[..., HttpResponseBase]
LANGS = ("id", "en")
CLARIFICATION = "clarification"  # the newsroom's ?kind= for hoax clarifications
FEED_ITEMS = 50
FORM_SALT = "prima.portal.ask"


def _public(view: View, *, page_cache: bool) -> View:
    """Language from ``?lang=``; ``Cache-Control: public`` and an ETag on 200 answers
    (304 for a matching ``If-None-Match``). With ``page_cache`` the rendered page is kept in
    Django's cache for ``PORTAL_PAGE_CACHE_SECONDS`` (see :mod:`.pagecache`)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        lang = request.GET.get("lang", "id")
        lang = lang if lang in LANGS else "id"
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        cached = pagecache.get(request) if page_cache else None
        response: HttpResponseBase
        if cached is not None:
            response = cached
        else:
            response = view(request, *args, **kwargs)
            if page_cache and isinstance(response, HttpResponse):
                pagecache.put(request, response)
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            _cache_headers(request, response)
            if request.method in ("GET", "HEAD") and isinstance(response, HttpResponse):
                set_response_etag(response)
                conditional = get_conditional_response(
                    request, etag=response.get("ETag"), response=response
                )
                if conditional is not None:
                    return conditional
        return response

    return wrapper


def public(view: View) -> View:
    """A public page, kept in the page cache."""
    return _public(view, page_cache=True)


def public_uncached(view: View) -> View:
    """A public page that is rendered for every request (e.g. answers by reference)."""
    return _public(view, page_cache=False)


def _cache_headers(request: HttpRequest, response: HttpResponseBase) -> None:
    # A visitor with a session (staff) gets a session cookie back on every request: such
    # an answer is for their browser only, never for a shared cache.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=settings.PORTAL_CACHE_SECONDS)


def _office(code: str) -> Office:
    office = services.public_offices().filter(code=code).first()
    if office is None:
        raise Http404
    return office


def _lang() -> str:
    return translation.get_language() or "id"


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _with_lang(path: str, lang: str, **params: str) -> str:
    query = {k: v for k, v in params.items() if v}
    if lang != "id":
        query["lang"] = lang
    return f"{path}?{urlencode(query)}" if query else path


def _page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    description: str = "",
) -> HttpResponse:
    """Render a public page without context processors (no session, no user)."""
    lang = _lang()
    path = request.path
    params = {k: str(v) for k, v in request.GET.items() if k != "lang"}
    context.update(
        {
            "lang": lang,
            "other_lang": "en" if lang == "id" else "id",
            "switch_url": _with_lang(path, "en" if lang == "id" else "id", **params),
            "canonical": _absolute(_with_lang(path, lang, **params)),
            "og_description": description,
            "site_url": settings.SITE_URL.rstrip("/"),
        }
    )
    office = context.get("office")
    if isinstance(office, Office):
        context.setdefault("profile", services.profile_of(office))
        context.setdefault("tz", office.timezone or dates.DEFAULT_TZ)
    return HttpResponse(render_to_string(template, context), status=status)


# --- Pages -------------------------------------------------------------------------------
@require_GET
@public
def index(request: HttpRequest) -> HttpResponse:
    offices = list(services.public_offices())
    return _page(
        request,
        "portal/public/index.html",
        {"offices": offices},
        description=_("Services, fees, news and contacts of Indonesia's immigration offices."),
    )


@require_GET
@public
def office_home(request: HttpRequest, office: str) -> HttpResponse:
    place = _office(office)
    versions = catalogue.published_services(place)
    return _page(
        request,
        "portal/public/office.html",
        {
            "office": place,
            "versions": versions,
            "publications": list(services.public_publications(place)[:3]),
            "announcements": list(services.public_announcements(place)[:3]),
            "clarifications": services.clarification_texts(
                list(services.public_clarifications(place)[:3]), _lang()
            ),
        },
        description=_("Official services, fees, completion times and news of %(office)s.")
        % {"office": place.name},
    )


def _service(office: Office, code: str) -> tuple[Service, Any]:
    service = Service.objects.filter(office=office, code=code).select_related("office").first()
    if service is None:
        raise Http404
    version = catalogue.version_in_force(service)
    if version is None:
        raise Http404
    return service, version


@require_GET
@public
def service_page(request: HttpRequest, office: str, code: str) -> HttpResponse:
    place = _office(office)
    service, version = _service(place, code)
    history = catalogue.history(service)
    earlier = [e for e in history if not e.is_current and not e.is_future]
    upcoming = [e for e in history if e.is_future]
    fees = ", ".join(f"{fee.display_label}: {fee.amount_text}" for fee in version.fees.all())
    return _page(
        request,
        "portal/public/service.html",
        {
            "office": place,
            "service": service,
            "version": version,
            "earlier": earlier,
            "upcoming": upcoming[-1] if upcoming else None,
        },
        description=f"{version.display_name}: {fees}. {version.duration_text}.",
    )


@require_GET
@public
def service_poster(request: HttpRequest, office: str, code: str) -> HttpResponse:
    """An A4 poster for the counters (PDF): fees, completion time, a QR code to the page."""
    place = _office(office)
    service, version = _service(place, code)
    url = _absolute(reverse("portal:service", kwargs={"office": place.code, "code": code}))
    pdf = posters.service_poster(place, version, url, lang=_lang())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-{place.code}-{code}.pdf"'
    return response


@require_GET
@public
def newsroom(request: HttpRequest, office: str) -> HttpResponse:
    """Releases, statements, good news and hoax clarifications (``?kind=`` one of them,
    ``clarification`` for the clarifications alone), the schedule and the press contact."""
    place = _office(office)
    kind = request.GET.get("kind", "")
    clarifications = services.public_clarifications(place)
    latest: list[services.ClarificationText] = []
    page: Page[Any]
    if kind == CLARIFICATION:
        page = Paginator(clarifications, 20).get_page(request.GET.get("page"))
        items: list[Any] = services.clarification_texts(list(page.object_list), _lang())
    else:
        publications = services.public_publications(place)
        if kind in PublicationKind.values:
            publications = publications.filter(kind=kind)
        else:
            kind = ""
            latest = services.clarification_texts(list(clarifications[:5]), _lang())
        page = Paginator(publications, 20).get_page(request.GET.get("page"))
        items = list(page.object_list)
    return _page(
        request,
        "portal/public/newsroom.html",
        {
            "office": place,
            "page": page,
            "items": items,
            "kind": kind,
            "kinds": [*PublicationKind.choices, (CLARIFICATION, _("Hoax clarifications"))],
            "clarifications": latest,
            "announcements": list(services.public_announcements(place)),
        },
        description=_(
            "Press releases, statements, hoax clarifications and the press-conference "
            "schedule of %(office)s."
        )
        % {"office": place.name},
    )


def _publication(place: Office, slug: str) -> Publication:
    publication = services.public_publications(place).filter(slug=slug).first()
    if publication is None:
        raise Http404
    return publication


@require_GET
@public
def publication_page(request: HttpRequest, office: str, slug: str) -> HttpResponse:
    place = _office(office)
    publication = _publication(place, slug)
    return _page(
        request,
        "portal/public/publication.html",
        {
            "office": place,
            "publication": publication,
            "paragraphs": _paragraphs(publication),
            # The reader's language first (PDF before DOCX within each language).
            "files": sorted(
                downloads.files_of([publication]).get(publication.pk, []),
                key=lambda doc: doc.language != _lang(),
            ),
        },
        description=publication.lead or publication.text[:200],
    )


@require_GET
@public_uncached
def publication_file(request: HttpRequest, office: str, slug: str, pk: int) -> HttpResponseBase:
    """The PDF or DOCX generated from exactly the published version (an attachment; its
    SHA-256 in ``Repr-Digest`` and as the ETag). 404 unless the publication is public and
    the document is done and made from that version; never generated here."""
    place = _office(office)
    publication = _publication(place, slug)
    doc = downloads.public_file(publication, pk)
    if doc is None:
        raise Http404
    etag = f'"{doc.sha256}"'
    unchanged = get_conditional_response(request, etag=etag)
    if unchanged is not None:
        return unchanged
    response = files.serve(doc.file, filename=doc.filename)
    response["ETag"] = etag
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(doc.sha256)).decode()}:"
    return response


@require_GET
@public
def clarification_page(request: HttpRequest, office: str, pk: int) -> HttpResponse:
    """A published hoax clarification: the claim, the verdict, the facts, where the office
    published it."""
    place = _office(office)
    item = services.public_clarifications(place).filter(pk=pk).first()
    if item is None:
        raise Http404
    text = services.ClarificationText.of(item, _lang())
    return _page(
        request,
        "portal/public/clarification.html",
        {"office": place, "c": text, "channels": _channels(item)},
        description=f"{item.get_verdict_display()}: {text.title}. {text.facts[:200]}",
    )


def _channels(item: Clarification) -> list[dict[str, str]]:
    """Where the office published the clarification, as people read it."""
    labels = CHANNEL_LABELS
    return [
        {"label": str(labels.get(row.get("channel", ""), row.get("channel", ""))),
         "url": row.get("url", "")}
        for row in item.channels
    ]  # fmt: skip


def _paragraphs(publication: Publication) -> list[str]:
    return [p.strip() for p in publication.text.replace("\r", "").split("\n\n") if p.strip()]


@require_GET
@public
def feed(request: HttpRequest, office: str) -> HttpResponse:
    """Atom feed of the office's published releases, statements, stories and hoax
    clarifications (the 50 newest)."""
    place = _office(office)
    items = list(services.public_publications(place)[:FEED_ITEMS])
    clarifications = list(services.public_clarifications(place)[:FEED_ITEMS])
    home = _absolute(reverse("portal:newsroom", kwargs={"office": place.code}))
    atom = Atom1Feed(
        title=f"{place.name} · {_('Newsroom')}",
        link=home,
        description=_("Press releases, statements and clarifications of %(office)s.")
        % {"office": place.name},
        language=_lang(),
        feed_url=_absolute(request.path),
        feed_guid=home,
        author_name=place.name,
    )
    host = settings.SITE_URL.split("://")[-1].split("/")[0]
    entries: list[dict[str, Any]] = []
    for item in items:
        link = _absolute(
            reverse("portal:publication", kwargs={"office": place.code, "slug": item.slug})
        )
        published = item.published_at or item.created_at
        entries.append(
            {
                "title": item.title,
                "link": link,
                "description": item.lead or item.text[:500],
                "unique_id": f"tag:{host},{published:%Y-%m-%d}:publication/{item.pk}",
                "pubdate": published,
                "updateddate": item.withdrawn_at or published,
                "categories": [str(PublicationKind(item.kind).label)],
                "author_name": place.short_name,
            }
        )
    for clarification in clarifications:
        text = services.ClarificationText.of(clarification, _lang())
        published = clarification.published_at or clarification.created_at
        link = _absolute(
            _with_lang(
                reverse(
                    "portal:clarification", kwargs={"office": place.code, "pk": clarification.pk}
                ),
                _lang(),
            )
        )
        entries.append(
            {
                "title": f"[{clarification.get_verdict_display()}] {text.title}",
                "link": link,
                "description": f"{_('The claim')}: {text.claim[:300]}\n\n"
                f"{_('The facts')}: {text.facts[:500]}",
                "unique_id": f"tag:{host},{published:%Y-%m-%d}:clarification/{clarification.pk}",
                "pubdate": published,
                "updateddate": published,
                "categories": [_("Hoax clarification")],
                "author_name": place.short_name,
            }
        )
    entries.sort(key=lambda e: e["pubdate"], reverse=True)
    for entry in entries[:FEED_ITEMS]:
        atom.add_item(**entry)
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    return response


@require_GET
@public
def search_page(request: HttpRequest, office: str) -> HttpResponse:
    place = _office(office)
    query = request.GET.get("q", "").strip()[:200]
    empty: dict[str, list[Any]] = {"services": [], "publications": [], "clarifications": []}
    results = services.search(place, query) if query else empty
    results["clarifications"] = services.clarification_texts(results["clarifications"], _lang())
    return _page(
        request,
        "portal/public/search.html",
        {"office": place, "query": query, "results": results},
    )


@require_GET
@public_uncached
def track(request: HttpRequest) -> HttpResponse:
    """The public answer to a question or report, found by its reference."""
    ref = request.GET.get("ref", "").strip()[:40]
    inquiry = services.find_inquiry(ref) if ref else None
    response = _page(
        request,
        "portal/public/track.html",
        {
            "ref": ref,
            "inquiry": inquiry,
            "sent": request.GET.get("sent") == "1",
            "office": inquiry.office if inquiry else None,
        },
        status=404 if ref and inquiry is None else 200,
    )
    # Answers change and are personal to whoever holds the reference: not for shared caches.
    patch_cache_control(response, private=True, no_store=True)
    return response


def _form_token() -> str:
    return signing.dumps({"t": int(time.time())}, salt=FORM_SALT)


def _is_robot(form: InquiryForm) -> bool:
    """The honeypot field is filled, or the form came back faster than a person types."""
    if form.cleaned_data.get("website"):
        return True
    try:
        shown = signing.loads(form.cleaned_data.get("token") or "", salt=FORM_SALT,
                              max_age=86400)["t"]  # fmt: skip
    except (signing.BadSignature, KeyError, TypeError):
        return True
    return bool(time.time() - shown < settings.PORTAL_FORM_MIN_SECONDS)


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest, office: str) -> HttpResponse:
    """The public form: a question, feedback, or a report of extortion or a broker."""
    lang = request.GET.get("lang", "id")
    lang = lang if lang in LANGS else "id"
    translation.activate(lang)
    request.LANGUAGE_CODE = lang
    place = _office(office)
    options = services.service_options(place)
    status = 200
    error = ""
    if request.method == "POST":
        form = InquiryForm(request.POST, services=options)
        if form.is_valid():
            if _is_robot(form):
                return _sent(request, place, lang)
            data = form.cleaned_data
            service = (
                Service.objects.filter(office=place, pk=data["service"]).first()
                if data.get("service")
                else None
            )
            try:
                inquiry = services.submit_inquiry(
                    place, kind=data["kind"], message=data["message"], service=service,
                    name=data["name"], phone=data["phone"], email=data["email"],
                    address=client_ip(request),
                )  # fmt: skip
            except services.RateLimited as exc:
                error, status = exc.message, 429
            except services.PortalError as exc:
                if exc.field in form.fields:
                    form.add_error(exc.field, exc.message)
                else:
                    error = exc.message
                status = 400
            else:
                url = reverse("portal:track")
                return HttpResponseRedirect(_with_lang(url, lang, ref=inquiry.reference, sent="1"))
        else:
            status = 400
        data = request.POST.copy()
        data["token"] = _form_token()
        form.data = data
    else:
        initial = {"token": _form_token()}
        if request.GET.get("kind") in InquiryKind.values:
            initial["kind"] = request.GET["kind"]
        form = InquiryForm(initial=initial, services=options)
    response = render(
        request,
        "portal/public/ask.html",
        {
            "office": place,
            "profile": services.profile_of(place),
            "form": form,
            "error": error,
            "lang": lang,
            "other_lang": "en" if lang == "id" else "id",
            "switch_url": _with_lang(request.path, "en" if lang == "id" else "id"),
            "canonical": _absolute(_with_lang(request.path, lang)),
            "retention_days": settings.PORTAL_PERSONAL_DATA_DAYS,
            "site_url": settings.SITE_URL.rstrip("/"),
        },
        status=status,
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def _sent(request: HttpRequest, office: Office, lang: str) -> HttpResponse:
    """What a robot sees: thanks, and nothing stored."""
    response = _page(request, "portal/public/track.html", {"office": office, "robot": True})
    patch_cache_control(response, private=True, no_store=True)
    return response

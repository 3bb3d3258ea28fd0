"""Staff pages of the portal (/portal/): the public's questions and reports as cases,
what the office publishes, the public schedule and the office's public page.

Thin: every change calls :mod:`prima.portal.services`; access goes through the policy
(404 for people outside the office, 403 for an action their role does not allow).
Personal data of a sender is shown only with ``inquiry.personal``.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.conferences.models import Conference, MaterialVersion, Status
from prima.organizations import policy
from prima.organizations.models import Office, User

from . import forms as f
from . import services
from .models import (
    Announcement,
    Inquiry,
    InquiryKind,
    InquiryStatus,
    Publication,
    PublicationState,
)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _refused(request: HttpRequest, exc: services.PortalError) -> None:
    messages.error(request, exc.message)


# --- Public questions and reports --------------------------------------------------------
@login_required
def inquiry_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not policy.can_anywhere(user, "inquiry.view"):
        raise PermissionDenied
    visible = policy.scope(user, "inquiry.view", Inquiry.objects.select_related("office"))
    status = request.GET.get("status", InquiryStatus.NEW)
    kind = request.GET.get("kind", "")
    rows = visible
    if status in InquiryStatus.values:
        rows = rows.filter(status=status)
    if kind in InquiryKind.values:
        rows = rows.filter(kind=kind)
    counts = services.inquiry_counts(visible)
    page = Paginator(rows.select_related("service").order_by("-submitted_at"), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/staff/inquiries.html",
        {
            "page": page,
            "status": status,
            "kind": kind,
            "tabs": [(value, label, counts[value]) for value, label in InquiryStatus.choices],
            "kinds": InquiryKind.choices,
        },
    )


def _inquiry(request: HttpRequest, pk: int, action: str = "inquiry.view") -> Inquiry:
    inquiry: Inquiry = policy.get_for(
        _user(request), action, Inquiry.objects.select_related("office", "service"), pk=pk
    )
    return inquiry


@login_required
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _inquiry(request, pk)
    user = _user(request)
    form = f.AnswerForm(
        request.POST or None,
        initial={"answer": inquiry.answer, "revision": inquiry.revision},
    )
    status = 200
    if request.method == "POST":
        policy.check(user, "inquiry.answer", inquiry)
        if form.is_valid():
            try:
                services.answer_inquiry(
                    user, inquiry, form.cleaned_data["answer"],
                    close=form.cleaned_data["close"], revision=form.cleaned_data["revision"],
                )  # fmt: skip
            except services.PortalError as exc:
                form.add_error("answer" if exc.field == "answer" else None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("The answer is published under the reference."))
                return redirect("portal_staff:inquiry", pk=pk)
        else:
            status = 400
    return render(
        request,
        "portal/staff/inquiry.html",
        {
            "inquiry": inquiry,
            "form": form,
            "show_personal": policy.can(user, "inquiry.personal", inquiry.office),
            "can_answer": policy.can(user, "inquiry.answer", inquiry.office),
        },
        status=status,
    )


@login_required
@require_POST
def inquiry_close(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _inquiry(request, pk, "inquiry.answer")
    form = f.RevisionForm(request.POST)
    try:
        services.close_inquiry(
            _user(request), inquiry,
            revision=form.cleaned_data.get("revision") if form.is_valid() else None,
        )  # fmt: skip
    except services.PortalError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The case is closed."))
    return redirect("portal_staff:inquiry", pk=pk)


# --- Publications and schedule -------------------------------------------------------------
@login_required
def publication_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not policy.can_anywhere(user, "publication.view"):
        raise PermissionDenied
    publications = policy.scope(
        user, "publication.view", Publication.objects.select_related("office", "created_by")
    ).order_by("-created_at")
    managed = list(policy.offices(user, "publication.manage"))
    candidates: list[MaterialVersion] = []
    for office in managed:
        candidates += list(services.publishable_versions(office)[:20])
    now = timezone.now()
    conferences = list(
        Conference.objects.filter(
            office__in=managed, is_exercise=False, status=Status.ACTIVE, scheduled_at__gt=now
        )
        .select_related("office")
        .order_by("scheduled_at")[:20]
    )
    announced = {
        a.conference_id: a
        for a in Announcement.objects.filter(conference__in=conferences, is_listed=True)
    }
    for conference in conferences:
        conference.announcement = announced.get(conference.pk)
    return render(
        request,
        "portal/staff/publications.html",
        {
            "publications": publications[:100],
            "candidates": candidates,
            "conferences": conferences,
            "can_manage": bool(managed),
            "profile_offices": policy.offices(user, "portalprofile.manage"),
            "release_form": f.ReleaseForm(),
        },
    )


@login_required
@require_POST
def publication_prepare(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = f.ReleaseForm(request.POST)
    if not form.is_valid():
        raise Http404
    version: MaterialVersion = policy.get_for(
        user,
        "publication.manage",
        MaterialVersion.objects.select_related(
            "material", "material__conference", "material__conference__office"
        ),
        pk=form.cleaned_data["material_version"],
    )
    try:
        publication = services.prepare_release(
            user, version, kind=form.cleaned_data["kind"], title=form.cleaned_data["title"],
            lead=form.cleaned_data["lead"],
        )  # fmt: skip
    except services.PortalError as exc:
        _refused(request, exc)
        return redirect("portal_staff:publications")
    messages.success(request, _("Prepared. A PR lead or the head of office publishes it."))
    return redirect("portal_staff:publication", pk=publication.pk)


@login_required
def story_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    offices = list(policy.offices(user, "publication.manage"))
    if not offices:
        raise PermissionDenied
    form = f.StoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        office_id = request.POST.get("office", "")
        office = next((o for o in offices if str(o.pk) == office_id), offices[0])
        try:
            publication = services.prepare_story(user, office, **form.cleaned_data)
        except services.PortalError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The story is saved as a draft."))
            return redirect("portal_staff:publication", pk=publication.pk)
    return render(
        request,
        "portal/staff/story.html",
        {"form": form, "offices": offices},
        status=400 if request.method == "POST" else 200,
    )


def _publication(request: HttpRequest, pk: int, action: str = "publication.view") -> Publication:
    publication: Publication = policy.get_for(
        _user(request),
        action,
        Publication.objects.select_related(
            "office", "material_version", "material_version__material__conference",
            "created_by", "published_by", "withdrawn_by",
        ),
        pk=pk,
    )  # fmt: skip
    return publication


@login_required
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    user = _user(request)
    can_publish = policy.can(user, "publication.publish", publication.office)
    return render(
        request,
        "portal/staff/publication.html",
        {
            "publication": publication,
            "can_publish": can_publish and publication.state != PublicationState.PUBLISHED,
            "own_story": publication.kind == "story" and publication.created_by_id == user.pk,
            "can_withdraw": can_publish and publication.state == PublicationState.PUBLISHED,
            "withdraw_form": f.WithdrawForm(initial={"revision": publication.revision}),
            "is_public": publication.is_public,
        },
    )


@login_required
@require_POST
def publication_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("publish", "withdraw"):
        raise Http404
    publication = _publication(request, pk, "publication.publish")
    user = _user(request)
    form: Any = (
        f.WithdrawForm(request.POST) if action == "withdraw" else f.RevisionForm(request.POST)
    )
    if not form.is_valid():
        messages.error(request, _("Say why it is withdrawn."))
        return redirect("portal_staff:publication", pk=pk)
    try:
        if action == "publish":
            services.publish(user, publication, revision=form.cleaned_data.get("revision"))
            messages.success(request, _("Published on the public portal."))
        else:
            services.withdraw(user, publication, form.cleaned_data["reason"],
                              revision=form.cleaned_data.get("revision"))  # fmt: skip
            messages.success(request, _("Withdrawn: it is no longer public."))
    except services.PortalError as exc:
        _refused(request, exc)
    return redirect("portal_staff:publication", pk=pk)


@login_required
@require_POST
def announce(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = f.AnnounceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a public title."))
        return redirect("portal_staff:publications")
    conference: Conference = policy.get_for(
        user, "publication.manage", Conference.objects.select_related("office"),
        pk=form.cleaned_data["conference"],
    )  # fmt: skip
    try:
        services.announce(user, conference, title=form.cleaned_data["title"],
                          note=form.cleaned_data["note"])  # fmt: skip
    except services.PortalError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The press conference is on the public schedule."))
    return redirect("portal_staff:publications")


@login_required
@require_POST
def unlist(request: HttpRequest, pk: int) -> HttpResponse:
    announcement: Announcement = policy.get_for(
        _user(request), "publication.manage", Announcement.objects.select_related("office"),
        pk=pk,
    )  # fmt: skip
    services.unlist(_user(request), announcement)
    messages.success(request, _("Taken off the public schedule."))
    return redirect("portal_staff:publications")


# --- The office's public page --------------------------------------------------------------
@login_required
def profile_edit(request: HttpRequest, office_id: int) -> HttpResponse:
    user = _user(request)
    office: Office = policy.get_for(user, "portalprofile.manage", Office, pk=office_id)
    profile = services.profile_of(office)
    initial: dict[str, Any] = {}
    if profile is not None:
        initial = {name: getattr(profile, name) for name in services.PROFILE_FIELDS}
        initial["report_channels"] = "\n".join(profile.report_channels)
    form = f.ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(user, office, **form.cleaned_data)
        except services.PortalError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The public page was updated."))
            return redirect("portal_staff:profile", office_id=office.pk)
    return render(
        request,
        "portal/staff/profile.html",
        {"form": form, "office": office},
        status=400 if request.method == "POST" else 200,
    )

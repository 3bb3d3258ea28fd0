"""Media relations in the flow: pages for the media-contacts register, the spokesperson
registry and the head of office's delegations.

Policy-scoped like the rest (``mediacontact.*``, ``spokesperson.*``, ``delegation.*``:
404 for outsiders, 403 for roles that may read but not change) and audited through the
same workflow functions the admin site calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.lib import dates
from prima.organizations import policy
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.models import Office, User

from .. import register_forms as rf
from .. import workflow
from ..models import Delegation, Invitation, MediaContact, Spokesperson
from ..workflow import WorkflowError

_T = TypeVar("_T")


@dataclass(frozen=True)
class Row(Generic[_T]):
    """A row of a register list: the object with what the page shows next to it; every
    other attribute (for the template) is the object's own."""

    obj: _T

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "obj":
            raise AttributeError(name)
        return getattr(self.obj, name)


@dataclass(frozen=True)
class ContactRow(Row[MediaContact]):
    can_manage: bool = False


@dataclass(frozen=True)
class SpokespersonRow(Row[Spokesperson]):
    validity: str = ""
    can_manage: bool = False


@dataclass(frozen=True)
class DelegationRow(Row[Delegation]):
    is_current: bool = False
    is_over: bool = False
    can_revoke: bool = False


TABS = [
    ("contacts", "mediacontact.view", "conferences:contact-list"),
    ("spokespeople", "spokesperson.view", "conferences:spokesperson-list"),
    ("delegations", "delegation.view", "conferences:delegation-list"),
]


def _tabs(user: User, current: str) -> list[dict[str, Any]]:
    labels = {
        "contacts": _("Media contacts"),
        "spokespeople": _("Spokespeople"),
        "delegations": _("Delegations"),
    }
    return [
        {"code": code, "label": labels[code], "url": reverse(name), "current": code == current}
        for code, action, name in TABS
        if policy.can_anywhere(user, action)
    ]


def _render(
    request: AuthenticatedHttpRequest, template: str, tab: str, context: dict, status: int = 200
):
    context = {"tabs": _tabs(request.user, tab), "tab": tab, **context}
    return render(request, f"conferences/registers/{template}", context, status=status)


def _refused(form, exc: WorkflowError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _submit(
    request: AuthenticatedHttpRequest,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    message: str,
    list_url: str,
) -> HttpResponse | int:
    """Validate ``form`` and save through the workflow: the redirect to ``list_url`` with
    ``message`` (formatted with the saved object as ``obj``) on success, else the status the
    page is shown again with (400, or the workflow's 409 for a stale edit), the reason at
    its field."""
    if not form.is_valid():
        return 400
    try:
        obj = save(form.cleaned_data)
    except WorkflowError as exc:
        _refused(form, exc)
        return exc.status_code
    messages.success(request, message % {"obj": obj})
    return redirect(list_url)


def _office_people(offices: QuerySet[Office]) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__office__in=offices, is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


@login_required
def media_relations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The first tab the person may open."""
    for _code, action, name in TABS:
        if policy.can_anywhere(request.user, action):
            return redirect(name)
    raise PermissionDenied


# --- Media contacts -----------------------------------------------------------------------
@login_required
def contact_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.can_anywhere(request.user, "mediacontact.view"):
        raise PermissionDenied
    offices = policy.offices(request.user, "mediacontact.view")
    form = rf.ContactFilterForm(request.GET or None, offices=offices)
    contacts = policy.scope(
        request.user, "mediacontact.view", MediaContact.objects.select_related("office")
    ).annotate(
        invited=Count("invitations"),
        attended=Count("invitations", filter=Q(invitations__confirmed_at__isnull=False)),
    )
    data = form.cleaned_data if form.is_valid() else {}
    if not data.get("inactive"):
        contacts = contacts.filter(is_active=True)
    if data.get("q"):
        q = data["q"]
        contacts = contacts.filter(
            Q(journalist__icontains=q) | Q(outlet__icontains=q) | Q(beat__icontains=q)
        )
    if data.get("media_type"):
        contacts = contacts.filter(media_type=data["media_type"])
    if data.get("office"):
        contacts = contacts.filter(office=data["office"])
    rows = [
        ContactRow(contact, policy.can(request.user, "mediacontact.manage", contact.office))
        for contact in contacts.order_by("outlet", "journalist")[:500]
    ]
    return _render(
        request,
        "contact_list.html",
        "contacts",
        {
            "form": form,
            "contacts": rows,
            "can_add": policy.can_anywhere(request.user, "mediacontact.manage"),
            "show_office": offices.count() > 1,
        },
    )


def _contact_initial(contact: MediaContact) -> dict[str, Any]:
    return {name: getattr(contact, name) for name in workflow.CONTACT_FIELDS} | {
        "office": contact.office_id,
        "version": contact.version,
    }


@login_required
def contact_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = policy.offices(request.user, "mediacontact.manage")
    if not offices.exists():
        raise PermissionDenied
    form = rf.MediaContactForm(request.POST or None, offices=offices)
    status = 200
    if request.method == "POST":
        answer = _submit(
            request,
            form,
            lambda d: workflow.save_media_contact(
                request.user, office=d["office"], **form.values(workflow.CONTACT_FIELDS)
            ),
            _("Added to the media contacts: %(obj)s"),
            "conferences:contact-list",
        )
        if not isinstance(answer, int):
            return answer
        status = answer
    return _render(
        request, "contact_form.html", "contacts", {"form": form, "contact": None}, status
    )


@login_required
def contact_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = policy.get_for(
        request.user, "mediacontact.view", MediaContact.objects.select_related("office"), pk=pk
    )
    can_manage = policy.can(request.user, "mediacontact.manage", contact.office)
    status = 200
    if request.method == "POST":
        policy.check(request.user, "mediacontact.manage", contact)
        form = rf.MediaContactForm(request.POST)
        answer = _submit(
            request,
            form,
            lambda d: workflow.save_media_contact(
                request.user,
                office=contact.office,
                contact=contact,
                expected_version=d["version"],
                **form.values(workflow.CONTACT_FIELDS),
            ),
            _("Saved: %(obj)s"),
            "conferences:contact-list",
        )
        if not isinstance(answer, int):
            return answer
        status = answer
    else:
        form = rf.MediaContactForm(initial=_contact_initial(contact))
    invitations = (
        Invitation.objects.filter(contact=contact)
        .select_related("conference")
        .order_by("-invited_at")[:20]
    )
    return _render(
        request,
        "contact_form.html",
        "contacts",
        {
            "form": form,
            "contact": contact,
            "can_manage": can_manage,
            "invitations": invitations,
            "can_view_history": policy.can(request.user, "audit.view", contact.office),
        },
        status,
    )


# --- Spokespeople -------------------------------------------------------------------------
def _validity(person: Spokesperson, today: date) -> str:
    if not person.is_active:
        return "inactive"
    if today < person.valid_from:
        return "future"
    if person.valid_until is not None and today > person.valid_until:
        return "expired"
    return "valid"


@login_required
def spokesperson_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.can_anywhere(request.user, "spokesperson.view"):
        raise PermissionDenied
    offices = policy.offices(request.user, "spokesperson.view")
    today = timezone.localdate()
    people = [
        SpokespersonRow(
            person,
            validity=_validity(person, today),
            can_manage=policy.can(request.user, "spokesperson.manage", person.office),
        )
        for person in policy.scope(
            request.user,
            "spokesperson.view",
            Spokesperson.objects.select_related("office", "user"),
        ).order_by("-is_active", "office__path", "name")
    ]
    return _render(
        request,
        "spokesperson_list.html",
        "spokespeople",
        {
            "people": people,
            "can_add": policy.can_anywhere(request.user, "spokesperson.manage"),
            "show_office": offices.count() > 1,
            "today": today,
        },
    )


def _spokesperson_form(
    request: AuthenticatedHttpRequest, offices, **kwargs: Any
) -> rf.SpokespersonForm:
    return rf.SpokespersonForm(
        request.POST or None, offices=offices, people=_office_people(offices), **kwargs
    )


@login_required
def spokesperson_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = policy.offices(request.user, "spokesperson.manage")
    if not offices.exists():
        raise PermissionDenied
    form = _spokesperson_form(request, offices)
    status = 200
    if request.method == "POST":
        answer = _submit(
            request,
            form,
            lambda d: workflow.save_spokesperson(
                request.user, office=d["office"], **form.values(workflow.SPOKESPERSON_FIELDS)
            ),
            _("Added to the spokesperson registry: %(obj)s"),
            "conferences:spokesperson-list",
        )
        if not isinstance(answer, int):
            return answer
        status = answer
    return _render(
        request, "spokesperson_form.html", "spokespeople", {"form": form, "person": None}, status
    )


@login_required
def spokesperson_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = policy.get_for(
        request.user, "spokesperson.view", Spokesperson.objects.select_related("office"), pk=pk
    )
    can_manage = policy.can(request.user, "spokesperson.manage", person.office)
    offices = Office.objects.filter(pk=person.office_id)
    status = 200
    if request.method == "POST":
        policy.check(request.user, "spokesperson.manage", person)
        form = rf.SpokespersonForm(request.POST, people=_office_people(offices))
        answer = _submit(
            request,
            form,
            lambda d: workflow.save_spokesperson(
                request.user,
                office=person.office,
                spokesperson=person,
                expected_version=d["version"],
                **form.values(workflow.SPOKESPERSON_FIELDS),
            ),
            _("Saved: %(obj)s"),
            "conferences:spokesperson-list",
        )
        if not isinstance(answer, int):
            return answer
        status = answer
    else:
        initial = {name: getattr(person, name) for name in workflow.SPOKESPERSON_FIELDS}
        form = rf.SpokespersonForm(
            initial=initial | {"version": person.version}, people=_office_people(offices)
        )
    appointments = person.appointments.select_related("conference").order_by(
        "-conference__opened_at"
    )[:20]
    return _render(
        request,
        "spokesperson_form.html",
        "spokespeople",
        {
            "form": form,
            "person": person,
            "can_manage": can_manage,
            "appointments": appointments,
            "validity": _validity(person, timezone.localdate()),
            "can_view_history": policy.can(request.user, "audit.view", person.office),
        },
        status,
    )


# --- Delegations --------------------------------------------------------------------------
def _delegation_form(
    request: AuthenticatedHttpRequest, offices: QuerySet[Office]
) -> rf.DelegationForm:
    people = _office_people(offices).exclude(pk=request.user.pk)
    now = timezone.now()
    initial = {"valid_from": now.replace(second=0, microsecond=0)}
    return rf.DelegationForm(request.POST or None, offices=offices, people=people, initial=initial)


@login_required
def delegation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Delegations of the offices the person may see; the head of office grants and
    revokes them here (not only in the admin site)."""
    if not policy.can_anywhere(request.user, "delegation.view"):
        raise PermissionDenied
    managed = policy.offices(request.user, "delegation.manage")
    form = _delegation_form(request, managed) if managed.exists() else None
    status = 200
    # Times are typed in the person's own zone (WIB, WITA or WIT).
    home = request.user.office
    zone = ZoneInfo(home.timezone if home is not None else dates.DEFAULT_TZ)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        with timezone.override(zone):
            valid = form.is_valid()
        if valid:
            data = form.cleaned_data
            try:
                delegation = workflow.grant_delegation(
                    request.user,
                    office=data["office"],
                    delegate=data["delegate"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    reason=data["reason"],
                    right=data["right"],
                )
            except WorkflowError as exc:
                _refused(form, exc)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    _("Delegated to %(who)s until %(until)s.")
                    % {
                        "who": delegation.delegate,
                        "until": dates.format_datetime(
                            delegation.valid_until, request.LANGUAGE_CODE, tz_name=zone.key
                        ),
                    },
                )
                return redirect("conferences:delegation-list")
        else:
            status = 400
    now = timezone.now()
    delegations = [
        DelegationRow(
            delegation,
            is_current=delegation.is_active_at(now),
            is_over=delegation.revoked_at is not None or delegation.valid_until < now,
            can_revoke=delegation.revoked_at is None
            and policy.can(request.user, "delegation.manage", delegation.office),
        )
        for delegation in policy.scope(
            request.user,
            "delegation.view",
            Delegation.objects.select_related("office", "delegate", "granted_by"),
        ).order_by("-valid_from")[:200]
    ]
    with timezone.override(zone):  # the form shows times in the same zone
        return _render(
            request,
            "delegation_list.html",
            "delegations",
            {"form": form, "delegations": delegations, "now": now, "tz": zone.key},
            status,
        )


@login_required
@require_POST
def delegation_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    delegation = policy.get_for(
        request.user, "delegation.manage", Delegation.objects.select_related("office"), pk=pk
    )
    try:
        workflow.revoke_delegation(request.user, delegation)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Delegation revoked: %(d)s") % {"d": delegation.delegate})
    return redirect("conferences:delegation-list")

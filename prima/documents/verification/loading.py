"""Build what verification checks from the database: the draft of a material version and
the context of a conference (catalogue in force on its date, its verified facts and
schedule, earlier statements, the registry) or of an office (for ``prima check-draft``).

Costs: a conference context takes about ten queries whatever the size of the catalogue;
an office context reads the verified facts of the office's conferences (at most
:data:`MAX_OFFICE_FACTS`, newest first).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from prima.catalogue import services as catalogue
from prima.conferences.models import (
    Appointment,
    Conference,
    Fact,
    MaterialKind,
    MaterialState,
    MaterialVersion,
    PriorStatement,
    Spokesperson,
)
from prima.lib import dates
from prima.organizations.models import Office, User

from . import references
from .types import Context, Draft, DraftKind, Part, Person, Reference, Source

MAX_OFFICE_FACTS = 500
MAX_EARLIER_VERSIONS = 30
SHORT = 90


def _url(name: str, *args: object) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # pages not installed (an API-only deployment)
        return ""


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…"


# --- Drafts --------------------------------------------------------------------------------
def draft_of(
    kind: str, *, title: str = "", body: str = "", items: list[Any] | None = None
) -> Draft:
    """A draft from a material's content (a saved version's, or the editor's form)."""
    kind = DraftKind(kind)
    parts: list[Part] = []
    if kind == DraftKind.KEY_MESSAGES:
        for i, item in enumerate(items or []):
            parts.append(Part(f"item-{i}", str(item), label=_("Key message %(n)d") % {"n": i + 1}))
    elif kind == DraftKind.QA:
        for i, pair in enumerate(items or []):
            question = str((pair or {}).get("question", ""))
            answer = str((pair or {}).get("answer", ""))
            parts.append(Part(f"question-{i}", question, label=_("Question %(n)d") % {"n": i + 1}))
            parts.append(
                Part(
                    f"answer-{i}", answer, context=question, label=_("Answer %(n)d") % {"n": i + 1}
                )
            )
    else:
        if title:
            parts.append(Part("title", title, label=_("Title")))
        parts.append(Part("body", body, context=title, label=_("Text")))
    return Draft(kind, tuple(parts), title=title)


def draft_of_version(version: MaterialVersion) -> Draft:
    return draft_of(
        version.material.kind, title=version.title, body=version.body, items=version.items
    )


# --- References ----------------------------------------------------------------------------
def catalogue_references(office: Office, day: date) -> list[Reference]:
    """The catalogue in force on ``day`` (three queries)."""
    services = catalogue.facts_for(office, at=day)
    urls = {s.service_id: _url("catalogue:service", s.service_id) for s in services}
    return references.from_catalogue(services, urls=urls)


def fact_references(facts: Iterable[Fact]) -> list[Reference]:
    refs: list[Reference] = []
    for fact in facts:
        url = _url("conferences:detail", fact.conference_id)
        source = Source(
            "fact",
            _("the verified fact “%(fact)s”") % {"fact": _short(fact.statement)},
            f"{url}?open=information#panel-information" if url else "",
            fact.source_date,
        )
        refs.extend(references.from_text(fact.statement, source))
    return refs


def schedule_references(conference: Conference) -> list[Reference]:
    if conference.scheduled_at is None:
        return []
    office = conference.office
    return references.from_schedule(
        conference.scheduled_at,
        tz_name=office.timezone,
        zone=dates.zone_abbreviation(office.timezone),
        city=office.city,
        label=_("the conference's schedule"),
        url=_url("conferences:detail", conference.pk),
    )


def _version_text(version: MaterialVersion) -> str:
    if version.material.kind == MaterialKind.QA:
        return "\n".join(str(p.get("answer", "")) for p in version.items or [])
    if version.material.kind == MaterialKind.KEY_MESSAGES:
        return "\n".join(str(p) for p in version.items or [])
    return version.body


def earlier_references(conference: Conference) -> list[Reference]:
    """What the office said before: approved material of its earlier conferences and the
    prior statements recorded for this one."""
    refs: list[Reference] = []
    day = conference.conference_date()
    versions = (
        MaterialVersion.objects.filter(
            material__conference__office_id=conference.office_id,
            approved_at__isnull=False,
            approved_at__date__lt=day,
        )
        .exclude(material__conference=conference)
        .select_related("material__conference")
        .order_by("-approved_at")[:MAX_EARLIER_VERSIONS]
    )
    for version in versions:
        other = version.material.conference
        source = Source(
            "earlier",
            _("“%(material)s” of “%(conference)s”")
            % {"material": version.material.get_kind_display(), "conference": _short(other.title)},
            _url("conferences:material", other.pk, version.material.kind),
            version.approved_at.date() if version.approved_at else None,
        )
        refs.extend(references.from_text(_version_text(version), source))
    for prior in PriorStatement.objects.filter(conference=conference):
        source = Source(
            "prior",
            _("the earlier statement “%(title)s”") % {"title": _short(prior.title)},
            prior.url or _url("conferences:detail", conference.pk),
            prior.published_on,
        )
        refs.extend(references.from_text(f"{prior.title}. {prior.summary}", source))
    return refs


# --- People --------------------------------------------------------------------------------
def people(office: Office, day: date, conference: Conference | None = None) -> list[Person]:
    """Registry spokespeople of the office and the offices above it, and the office's
    people with their titles (two or three queries)."""
    ids = [o.pk for o in office.ancestors()] + [office.pk]
    appointed: set[int] = set()
    if conference is not None:
        appointed = set(
            Appointment.objects.filter(conference=conference).values_list(
                "spokesperson_id", flat=True
            )
        )
    found: list[Person] = []
    names: set[str] = set()
    # Where the appointment and the registry show: the conference's spokesperson panel.
    registry_url = ""
    if conference is not None:
        registry_url = _url("conferences:detail", conference.pk)
        registry_url = (
            f"{registry_url}?open=spokesperson#panel-spokesperson" if registry_url else ""
        )
    entries = Spokesperson.objects.filter(office_id__in=ids).select_related("user")
    for entry in entries.order_by("-is_active", "-valid_from"):
        name = entry.display_name
        if name.lower() in names:
            continue
        names.add(name.lower())
        found.append(
            Person(
                name=name,
                position=entry.position or (entry.user.title if entry.user is not None else ""),
                is_spokesperson=True,
                appointed=entry.pk in appointed,
                valid=entry.is_valid_on(day),
                url=registry_url,
            )
        )
    users = User.objects.filter(Q(office_id__in=ids) | Q(memberships__office_id__in=ids))
    for user in users.distinct().exclude(full_name=""):
        if user.full_name.lower() in names:
            continue
        names.add(user.full_name.lower())
        found.append(Person(name=user.full_name, position=user.title))
    return found


# --- Contexts ------------------------------------------------------------------------------
def _context(office: Office, day: date) -> Context:
    return Context(
        day=day,
        office_name=office.name,
        office_city=office.city,
        zone=dates.zone_abbreviation(office.timezone),
    )


def conference_context(conference: Conference) -> Context:
    """The catalogue in force on the conference's date, its verified facts and schedule,
    earlier statements and the registry with its appointments."""
    office = conference.office
    day = conference.conference_date()
    context = _context(office, day)
    context.facts = [
        *catalogue_references(office, day),
        *fact_references(conference.facts.filter(verified_at__isnull=False)),
        *schedule_references(conference),
    ]
    context.earlier = earlier_references(conference)
    context.people = people(office, day, conference)
    context.checks_appointment = True
    context.conference_label = conference.title
    return context


def office_context(office: Office, day: date | None = None) -> Context:
    """The office's published catalogue on ``day`` (default: today in its zone) and the
    verified facts of its conferences (newest first, at most :data:`MAX_OFFICE_FACTS`)."""
    day = day or catalogue.office_today(office)
    context = _context(office, day)
    facts = (
        Fact.objects.filter(conference__office=office, verified_at__isnull=False)
        .exclude(conference__status="cancelled")
        .order_by("-verified_at")[:MAX_OFFICE_FACTS]
    )
    context.facts = [*catalogue_references(office, day), *fact_references(facts)]
    context.earlier = []
    approved = MaterialVersion.objects.filter(
        material__conference__office=office,
        material__state=MaterialState.APPROVED,
        approved_at__isnull=False,
    ).select_related("material__conference")
    for version in approved.order_by("-approved_at")[:MAX_EARLIER_VERSIONS]:
        source = Source(
            "earlier",
            _("“%(material)s” of “%(conference)s”")
            % {
                "material": version.material.get_kind_display(),
                "conference": _short(version.material.conference.title),
            },
            _url("conferences:material", version.material.conference_id, version.material.kind),
            version.approved_at.date() if version.approved_at else None,
        )
        context.earlier.extend(references.from_text(_version_text(version), source))
    context.people = people(office, day)
    return context

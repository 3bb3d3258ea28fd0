"""References — the figures verification compares drafts with — built from plain values:
the catalogue's :class:`~prima.catalogue.services.ServiceFacts`, texts (verified facts,
earlier statements) and the conference's schedule. No database access."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from prima.catalogue.services import ServiceFacts
from prima.lib import dates
from prima.lib.figures import Figure, Kind, extract

from . import matching
from .facts import checked
from .types import Reference, Source

# Words that say a duration is how long a service takes, and a date when a rule applies.
_COMPLETION = (
    "selesai proses penyelesaian terbit rampung waktu durasi maksimal completed processing "
    "issued ready takes within"
)
_IN_FORCE = "berlaku sejak mulai diberlakukan since effective applies"
_CONFERENCE = "konferensi pers jumpa press conference briefing"


TEXT_CONTENT = 2.0
_COMMON = frozenset(("layan", "paspor", "visa", "izin", "biaya", "tarif", "luar"))


def _required(words: str) -> frozenset[str]:
    return frozenset(matching.tokens(words))


# References depend only on their texts (and on the language of their labels): the facts,
# approved versions and catalogue versions they come from never change, so each is read
# once per process. References are never changed after they are made.
CACHE_SIZE = 4096


def from_text(
    text: str, source: Source, *, context: str = "", soft: bool = False
) -> list[Reference]:
    """A reference for each figure of ``text`` (a verified fact, an earlier statement),
    with its context as a draft's figures get theirs."""
    return list(_from_text(text, source, context, soft))


@functools.lru_cache(maxsize=CACHE_SIZE)
def _from_text(text: str, source: Source, context: str, soft: bool) -> tuple[Reference, ...]:
    figures = extract(text)
    contexts = matching.figure_contexts(text, figures, extra=context)
    return tuple(
        Reference(figure, ctx, source, stated=figure.text, soft=soft, min_content=TEXT_CONTENT)
        for figure, ctx in zip(figures, contexts, strict=True)
        if checked(figure)
    )


def from_catalogue(
    services: Sequence[ServiceFacts], *, urls: dict[int, str] | None = None, lang: str = "id"
) -> list[Reference]:
    """Fees, completion times, the dates from which they apply and the figures in fee
    labels ("masa berlaku 10 tahun") of the services in force."""
    urls = urls or {}
    refs: list[Reference] = []
    for service in services:
        url = urls.get(service.service_id, "")
        refs.extend(_from_service(service, url, lang, get_language() or "id"))
    return refs


@functools.lru_cache(maxsize=CACHE_SIZE)
def _from_service(
    service: ServiceFacts, url: str, lang: str, _language: str
) -> tuple[Reference, ...]:
    """The references of one service version (``_language``: the labels' language)."""
    refs: list[Reference] = []
    name = matching.text_tokens(f"{service.name} {service.name_en}")
    since = dates.format_date(service.effective_from, weekday=False)
    for fee in service.fees:
        label = f"{fee.label} {fee.label_en}"
        figures = extract(label)
        source = Source(
            "catalogue",
            _("the service catalogue (%(service)s: %(fee)s, %(basis)s, since %(since)s)")
            % {
                "service": service.name,
                "fee": fee.label,
                "basis": fee.legal_basis,
                "since": since,
            },
            url,
            service.effective_from,
        )
        context = matching.weights((name, 1.0), (matching.text_tokens(label, figures), 1.0))
        amount = Figure(Kind.MONEY, 0, 0, fee.text, value=fee.amount, unit=fee.currency)
        # A surcharge applies only when the draft names it ("percepatan").
        requires = (
            frozenset(w for w in context if matching.is_content(w) and w not in name) - _COMMON
            if fee.is_surcharge
            else frozenset()
        )
        refs.append(Reference(amount, context, source, stated=fee.text, requires=requires))
        for figure in figures:
            if checked(figure) and figure.kind != Kind.MONEY:
                refs.append(Reference(figure, context, source, stated=figure.text))
    source = Source(
        "catalogue",
        _("the service catalogue (%(service)s: completion time, since %(since)s)")
        % {"service": service.name, "since": since},
        url,
        service.effective_from,
    )
    duration = service.duration
    completion = Figure(
        Kind.DURATION,
        0,
        0,
        duration.text(lang),
        value=Decimal(duration.value),
        unit=duration.unit,
    )  # The catalogue's units have the extractor's names.
    context = matching.weights((name, 1.0), (matching.tokens(_COMPLETION), 0.5))
    refs.append(
        Reference(
            completion,
            context,
            source,
            stated=duration.text(lang),
            requires=_required(_COMPLETION),
        )
    )
    source = Source(
        "catalogue",
        _("the service catalogue (%(service)s: in force since %(since)s, %(basis)s)")
        % {"service": service.name, "since": since, "basis": service.legal_basis},
        url,
        service.effective_from,
    )
    day = service.effective_from
    since_fig = Figure(Kind.DATE, 0, 0, since, year=day.year, month=day.month, day=day.day)
    basis = matching.text_tokens(service.legal_basis)
    context = matching.weights((name, 1.0), (basis, 1.0), (matching.tokens(_IN_FORCE), 0.5))
    refs.append(Reference(since_fig, context, source, stated=since, requires=_required(_IN_FORCE)))
    return tuple(refs)


def from_schedule(
    moment: datetime, *, tz_name: str, zone: str, city: str, label: str, url: str
) -> list[Reference]:
    """The conference's date and time (contradicting them is an error) and its dateline
    (a release dated another day is a warning)."""
    local = dates.to_local(moment, tz_name)
    day = local.date()
    stated_day = dates.format_date(day)
    stated_time = f"{local.hour:02d}.{local.minute:02d} {zone}"
    source = Source("conference", label, url, day)
    context = matching.weights((matching.tokens(_CONFERENCE), 1.0))
    on = Figure(Kind.DATE, 0, 0, stated_day, year=day.year, month=day.month, day=day.day)
    at = Figure(Kind.TIME, 0, 0, stated_time, hour=local.hour, minute=local.minute, zone=zone)
    refs = [
        Reference(on, context, source, stated=stated_day),
        Reference(at, context, source, stated=stated_time),
    ]
    if city:
        dateline = matching.weights((matching.tokens(city), 1.0))
        refs.append(Reference(on, dateline, source, stated=stated_day, soft=True))
    return refs

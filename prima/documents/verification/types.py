"""The plain values verification works on: a draft, what it is checked against (the
context) and what it finds. No database access: :mod:`.loading` builds these from rows,
``prima check-draft`` from a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from prima.lib.figures import Figure


class Severity(StrEnum):
    ERROR = "error"  # blocks approval (unless waived with a reason)
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class FindingKind(StrEnum):
    CONTRADICTION = "contradiction"  # a figure contradicts the catalogue or a verified fact
    UNSUPPORTED = "unsupported"  # no verified fact supports a figure
    EARLIER_STATEMENT = "earlier_statement"  # differs from what the office said before
    SPELLED_NUMBER = "spelled_number"  # "4 (lima) hari": digits and words disagree
    WEEKDAY = "weekday"  # "Rabu, 20 November 2025": wrong weekday for the date
    INVALID_DATE = "invalid_date"  # "31 Februari"
    TIME_ZONE = "time_zone"  # a time without WIB/WITA/WIT
    SPOKESPERSON = "spokesperson"  # quoted person not appointed / not in the registry
    TITLE = "title"  # quoted title differs from the registry
    KEY_MESSAGES = "key_messages"  # more than three
    RELEASE_PART = "release_part"  # a required part of a release is missing
    READING_TIME = "reading_time"


@dataclass(frozen=True)
class Finding:
    """One thing verification found. ``start``/``end`` are offsets into the text of
    ``part`` of the draft; ``fact`` names what the words conflict with (``fact_url`` links
    to it) and ``expected`` says what it states."""

    severity: Severity
    kind: FindingKind
    message: str
    part: str = "text"
    start: int = 0
    end: int = 0
    text: str = ""
    expected: str = ""
    fact: str = ""
    fact_url: str = ""
    source: str = ""  # catalogue, fact, conference, earlier, registry, form

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": str(self.severity),
            "kind": str(self.kind),
            "part": self.part,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "expected": self.expected,
            "fact": self.fact,
            "fact_url": self.fact_url,
            "source": self.source,
            "message": self.message,
        }


@dataclass(frozen=True)
class Part:
    """One checked text of a draft: a release body, a key message, an answer. ``context``
    is text that says what it is about without being checked (the question of an answer,
    the title of a statement)."""

    name: str
    text: str
    context: str = ""
    label: str = ""


class DraftKind(StrEnum):
    STATEMENT = "statement"  # statement / press release
    HOLDING_STATEMENT = "holding_statement"
    KEY_MESSAGES = "key_messages"
    QA = "qa"


@dataclass(frozen=True)
class Draft:
    kind: DraftKind
    parts: tuple[Part, ...]
    title: str = ""

    def part(self, name: str) -> Part | None:
        return next((p for p in self.parts if p.name == name), None)


@dataclass(frozen=True)
class Source:
    """Where a reference comes from: shown to the writer next to a finding."""

    kind: str  # catalogue, fact, conference, earlier, prior
    label: str
    url: str = ""
    day: date | None = None  # when it was stated, or from when it applies


@dataclass(frozen=True)
class Reference:
    """A figure of a fact (a fee, a completion time, a verified fact's number, the
    conference's date) with the words that say what it is about."""

    figure: Figure
    context: dict[str, float]  # normalised token → weight (1 = same clause)
    source: Source
    stated: str = ""  # how the fact states it: "Rp 650.000", "4 (empat) hari kerja"
    # A contradiction of a soft reference is a warning, not an error (a dateline against
    # the conference's date: a release may go out another day).
    soft: bool = False
    # The draft must use one of these words (normalised) for this reference to be about the
    # same matter: "selesai" for a completion time, "berlaku" for the date a fee applies.
    requires: frozenset[str] = frozenset()
    # Shared content needed to be about the same matter: one word of the figure's clause
    # for the catalogue's short names; two for sentences of free text (facts, statements).
    min_content: float = 1.0


@dataclass(frozen=True)
class Person:
    """Someone a draft may quote: a registry spokesperson or a person of the office."""

    name: str
    position: str = ""
    is_spokesperson: bool = False
    appointed: bool = False
    valid: bool = True  # the spokesperson's decree is valid on the day checked
    url: str = ""


@dataclass
class Context:
    """Everything a draft is checked against."""

    day: date  # the conference's date (or today)
    office_name: str = ""
    office_city: str = ""
    zone: str = "WIB"
    facts: list[Reference] = field(default_factory=list)  # catalogue, verified facts, schedule
    earlier: list[Reference] = field(default_factory=list)  # earlier statements
    people: list[Person] = field(default_factory=list)
    checks_appointment: bool = False  # a conference: quoted people must be appointed
    conference_label: str = ""

"""Checks of the writing itself: numbers spelled out as the digits say, weekdays that
match their dates, dates that exist, times with their zone, and the form of each kind of
material (at most three key messages, the parts of a press release, reading time)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prima.lib import dates, money, numbers
from prima.lib.figures import Figure, Kind, number_text

from .compare import full_date
from .types import Context, Draft, DraftKind, Finding, FindingKind, Part, Severity

MAX_KEY_MESSAGES = 3
KEY_MESSAGE_WORDS = 30  # a key message is one sentence people remember
WORDS_PER_MINUTE = 100  # one double-spaced page (~250 words) reads in about 2.5 minutes
_DAYS_EN = {d.lower() for d in dates.DAYS_EN} | {d[:3].lower() for d in dates.DAYS_EN}
MAX_MINUTES = {DraftKind.STATEMENT: 10.0, DraftKind.HOLDING_STATEMENT: 2.5}


def _at(
    part: Part,
    figure: Figure,
    severity: Severity,
    kind: FindingKind,
    message: str,
    expected: str = "",
) -> Finding:
    return Finding(
        severity=severity,
        kind=kind,
        message=message,
        part=part.name,
        start=figure.start,
        end=figure.end,
        text=figure.text,
        expected=expected,
        source="writing",
    )


def check_figures(part: Part, figures: Sequence[Figure], context: Context) -> list[Finding]:
    findings: list[Finding] = []
    for figure in figures:
        if figure.spelled is not None and figure.value is not None:
            if figure.spelled != figure.value:
                findings.append(
                    _at(
                        part,
                        figure,
                        Severity.ERROR,
                        FindingKind.SPELLED_NUMBER,
                        _("The digits say %(digits)s but the words say %(words)s.")
                        % {
                            "digits": number_text(figure.value),
                            "words": number_text(figure.spelled),
                        },
                        expected=numbers.words(int(figure.value))
                        if figure.value == int(figure.value)
                        else "",
                    )
                )
        if figure.kind == Kind.DATE:
            findings.extend(_check_date(part, figure, context))
        elif figure.kind == Kind.TIME:
            findings.extend(_check_time(part, figure, context))
    return findings


def _check_date(part: Part, figure: Figure, context: Context) -> list[Finding]:
    if not figure.valid:
        return [
            _at(part, figure, Severity.ERROR, FindingKind.INVALID_DATE, _("There is no such date."))
        ]
    day = full_date(figure, context.day)
    if day is None or figure.weekday is None or day.weekday() == figure.weekday:
        return []
    # Answer in the language the weekday was written in ("Wednesday" or "Rabu").
    lang = "en" if figure.text.split()[0].strip(",.(").lower() in _DAYS_EN else "id"
    names = dates.DAYS_EN if lang == "en" else dates.DAYS_ID
    values = {
        "date": dates.format_date(day, lang, weekday=False),
        "right": names[day.weekday()],
        "written": names[figure.weekday],
    }
    return [
        _at(
            part,
            figure,
            Severity.ERROR,
            FindingKind.WEEKDAY,
            _("%(date)s is a %(right)s, not a %(written)s.") % values,
            expected=dates.format_date(day, lang),
        )
    ]


def _check_time(part: Part, figure: Figure, context: Context) -> list[Finding]:
    written = f"{figure.hour:02d}.{figure.minute:02d}"
    if not figure.zone:
        return [
            _at(
                part,
                figure,
                Severity.WARNING,
                FindingKind.TIME_ZONE,
                _("Give the time zone: “%(expected)s”.")
                % {"expected": f"{written} {context.zone}"},
                expected=f"{written} {context.zone}",
            )
        ]
    if figure.zone in ("WIB", "WITA", "WIT") and figure.zone != context.zone:
        return [
            _at(
                part,
                figure,
                Severity.INFO,
                FindingKind.TIME_ZONE,
                _("The office is in %(zone)s: is %(written)s meant?")
                % {"zone": context.zone, "written": f"{written} {figure.zone}"},
            )
        ]
    return []


# --- Form ----------------------------------------------------------------------------------
_HEADER = re.compile(
    r"^\s*(?:SIARAN\s+PERS|RILIS\s+PERS|SIARAN\s+BERITA|PRESS\s+RELEASE|MEDIA\s+RELEASE)\b",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})"
    r"(?:[ \t]*,[ \t]*(?P<when>[^–—\n]{3,45}?))?[ \t]+[–—-]{1,2}[ \t]+\S",
    re.MULTILINE,
)
_QUOTE = re.compile(r"[“\"][^”\"\n]{8,}[”\"]")
_ABOUT = re.compile(r"^\s*(?:Tentang|Sekilas|Profil|About)\b", re.MULTILINE)
_CONTACT = re.compile(
    r"\b(?:Narahubung|Kontak(?:\s+media)?|Contact(?:\s+person)?|Media\s+contact|"
    r"Informasi\s+lebih\s+lanjut|For\s+more\s+information)\b",
    re.IGNORECASE,
)
_END = re.compile(
    r"^[\s\-–—(]*(?:\*\s*\*\s*\*|#\s*#\s*#|selesai|end|tamat|-?30-?)[\s\-–—)]*$", re.IGNORECASE
)


def _form(
    part: Part,
    message: str,
    *,
    severity: Severity = Severity.WARNING,
    kind: FindingKind = FindingKind.RELEASE_PART,
    expected: str = "",
) -> Finding:
    return Finding(
        severity=severity,
        kind=kind,
        message=message,
        part=part.name,
        expected=expected,
        source="form",
    )


def looks_like_release(text: str) -> bool:
    return bool(_HEADER.search(text) or _DATELINE.search(text))


def check_release(part: Part, title: str, *, forced: bool = False) -> list[Finding]:
    """The parts of a press release (siaran pers): header, headline, dateline with date,
    lead, an attributed quote, the background paragraph, contact person and end mark."""
    text = part.text
    if not forced and not looks_like_release(text):
        return []
    findings: list[Finding] = []
    lines = [line.strip() for line in text.splitlines()]
    content = [line for line in lines if line]
    if not _HEADER.search(text):
        findings.append(_form(part, _("No “SIARAN PERS” header."), expected="SIARAN PERS"))
    dateline = _DATELINE.search(text)
    headline = title.strip() or next(
        (
            line
            for line in content
            if not _HEADER.match(line)
            and not line.lower().startswith(("nomor", "no.", "no "))
            and not _DATELINE.match(line)
            and 2 <= len(line.split()) <= 25
            and not line.endswith(".")
        ),
        "",
    )
    if not headline:
        findings.append(_form(part, _("No headline.")))
    if dateline is None:
        findings.append(
            _form(
                part,
                _(
                    "No dateline (place and date before the lead, e.g. “Tangerang, "
                    "19 November 2025 –”)."
                ),
            )
        )
    else:
        if not dateline.group("when"):
            findings.append(
                Finding(
                    severity=Severity.WARNING,
                    kind=FindingKind.RELEASE_PART,
                    message=_("The dateline has no date."),
                    part=part.name,
                    start=dateline.start("place"),
                    end=dateline.end("place"),
                    text=dateline.group("place"),
                    source="form",
                )
            )
        paragraph_end = text.find("\n\n", dateline.start())
        lead = text[dateline.start() : paragraph_end if paragraph_end != -1 else len(text)]
        if len(lead.split()) < 15:
            findings.append(
                _form(
                    part,
                    _(
                        "The lead is very short: it should answer who, what, "
                        "when, where, why and how."
                    ),
                )
            )
    if not _QUOTE.search(text):
        findings.append(_form(part, _("No quote attributed to the spokesperson.")))
    if not _ABOUT.search(text):
        findings.append(_form(part, _("No background paragraph about the office (“Tentang …”).")))
    if not _CONTACT.search(text):
        findings.append(_form(part, _("No contact person (“Narahubung”).")))
    if not content or not _END.match(content[-1]):
        findings.append(_form(part, _("No end mark (“***” or “-selesai-”)."), expected="***"))
    return findings


def check_form(draft: Draft, *, release: bool | None = None) -> list[Finding]:
    findings: list[Finding] = []
    if draft.kind == DraftKind.KEY_MESSAGES:
        messages = [p for p in draft.parts if p.text.strip()]
        if len(messages) > MAX_KEY_MESSAGES:
            findings.append(
                Finding(
                    severity=Severity.ERROR,
                    kind=FindingKind.KEY_MESSAGES,
                    message=_(
                        "%(count)d key messages: at most three, the audience remembers no more."
                    )
                    % {"count": len(messages)},
                    part=messages[MAX_KEY_MESSAGES].name,
                    source="form",
                )
            )
        for part in messages:
            words = len(part.text.split())
            if words > KEY_MESSAGE_WORDS:
                findings.append(
                    _form(
                        part,
                        _("A long key message (%(words)d words): one short sentence is remembered.")
                        % {"words": words},
                        severity=Severity.INFO,
                        kind=FindingKind.KEY_MESSAGES,
                    )
                )
    if draft.kind == DraftKind.STATEMENT and release is not False:
        for part in draft.parts:
            if part.name in ("body", "text"):
                findings.extend(check_release(part, draft.title, forced=bool(release)))
    if draft.kind in MAX_MINUTES:
        words = sum(len(p.text.split()) for p in draft.parts)
        minutes = words / WORDS_PER_MINUTE
        first = draft.parts[0] if draft.parts else Part("text", "")
        values = {
            "minutes": money.format_number(minutes, 1),
            "pages": money.format_number(words / 250, 1),
        }
        text = (
            ngettext(
                "About %(minutes)s minute to read aloud (%(pages)s pages of about 250 words).",
                "About %(minutes)s minutes to read aloud (%(pages)s pages of about 250 words).",
                max(1, round(minutes)),
            )
            % values
        )
        limit = MAX_MINUTES[draft.kind]
        if minutes > limit:
            text += " " + _("That is long: aim for at most %(limit)s minutes.") % {
                "limit": money.format_number(limit, 1)
            }
        findings.append(
            _form(
                first,
                text,
                severity=Severity.WARNING if minutes > limit else Severity.INFO,
                kind=FindingKind.READING_TIME,
            )
        )
    return findings

"""Demo data of the indicators: the adoption plan, national targets, a year of history
for the demo offices (simulated, small) and the monthly figures computed from it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils import timezone

from prima.organizations.demo import register
from prima.organizations.models import Office, OfficeLevel, User

from . import indicators as ind
from . import simulate
from .indicators_models import AdoptionPlan, IndicatorTarget, OfficeMonth

PLAN = [
    ("kanim-soekarno-hatta", date(2025, 12, 1), "Kantor percontohan PRIMA"),
    ("kanwil-dki-jakarta", date(2026, 6, 1), "Wilayah DK Jakarta"),
    ("ditjen-imigrasi", date(2026, 12, 1), "Standar nasional Ditjen Imigrasi"),
]
# National targets (set by the directorate general), the same for every level.
TARGETS = {
    "conf_full_share": 80,
    "material_share": 95,
    "evaluated_share": 90,
    "signal_share": 90,
    "ack_share": 90,
    "statement_share": 80,
    "inq_answered_share": 90,
    "inq_answer_hours": 24,
    "negative_share": 25,
}
# Office code → first month of its (simulated) history, and how busy it is.
HISTORY = [
    ("kanim-soekarno-hatta", date(2025, 12, 1), 1.6),
    ("kanim-jakarta-pusat", date(2026, 6, 1), 0.8),
    ("kanim-ngurah-rai", date(2026, 9, 1), 1.0),
]


@register(90, "indicators")
def load_indicators(say: Callable[[str], None]) -> None:
    offices = {o.code: o for o in Office.objects.all()}
    dg = offices.get("ditjen-imigrasi")
    if dg is None or OfficeMonth.objects.exists():
        return
    for code, planned, note in PLAN:
        if code in offices:
            AdoptionPlan.objects.get_or_create(
                office=offices[code], defaults={"planned_from": planned, "note": note}
            )
    for code, value in TARGETS.items():
        for level in OfficeLevel.values:
            IndicatorTarget.objects.get_or_create(
                office=dg, level=level, indicator=code, defaults={"value": value}
            )
    author = User.objects.filter(username="kasihumas").first()
    if author is None:
        return
    today = timezone.localdate()
    for seed, (code, first, scale) in enumerate(HISTORY):
        office = offices.get(code)
        if office is None:
            continue
        months = ind.months_between(first, today)
        counts = simulate.populate(
            [office],
            months,
            author,
            seed=seed + 7,
            scale=scale,
            with_mentions=False,
            open_questions=False,
        )
        say(
            f"  {office.short_name}: {counts.conferences} conferences, {counts.cases} cases, "
            f"{counts.questions} questions since {first:%m/%Y}"
        )
    written = ind.refresh(ind.data_months())
    say(f"  {written} monthly indicator rows")
    # Last month's report of the pilot office, made by its PR lead (kasihumas).
    pilot = offices.get("kanim-soekarno-hatta")
    if pilot is not None:
        from . import indicators_document
        from .rollups import Period

        last_month = ind.add_months(date(today.year, today.month, 1), -1)
        doc = indicators_document.generate(
            author, pilot, Period.parse(f"{last_month:%Y-%m}"), "pdf"
        )
        say(f"  monthly indicator report {last_month:%m/%Y} of {pilot.short_name}: {doc}")

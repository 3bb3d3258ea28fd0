"""The demo's indicators: a plan, national targets, a history for the demo offices and
figures that match their rows."""

from __future__ import annotations

from prima.documents.generation.models import GeneratedDocument
from prima.evaluation import indicators as ind
from prima.evaluation.indicators_demo import load_indicators
from prima.evaluation.models import AdoptionPlan, IndicatorTarget, OfficeMonth
from prima.organizations.demo import load_organizations


def test_the_demo_has_real_numbers_for_every_office(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_organizations(lambda _msg: None)
    load_indicators(lambda _msg: None)
    assert AdoptionPlan.objects.count() == 3
    assert IndicatorTarget.objects.exists()
    held = {
        code: sum(
            r.conf_regular + r.conf_incidental + r.conf_crisis
            for r in OfficeMonth.objects.filter(office__code=code)
        )
        for code in ("kanim-soekarno-hatta", "kanim-jakarta-pusat", "kanim-ngurah-rai")
    }
    assert all(n > 0 for n in held.values()), held
    assert ind.check(ind.data_months()) == []
    rows = OfficeMonth.objects.count()
    load_indicators(lambda _msg: None)  # a second run adds nothing
    assert OfficeMonth.objects.count() == rows
    # and last month's report of the pilot office
    report = GeneratedDocument.objects.get(kind="indicators")
    assert report.is_done and report.office.code == "kanim-soekarno-hatta"

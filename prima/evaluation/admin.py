"""Admin of the evaluation app (indicator targets, adoption plan)."""

from __future__ import annotations

from django.contrib import admin

from prima.organizations.admin import PolicyAdmin

from .indicators_models import AdoptionPlan, IndicatorTarget


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(PolicyAdmin[IndicatorTarget]):
    policy_action = "indicatortarget.manage"
    list_display = ["indicator", "level", "value", "office", "updated_at"]
    list_filter = ["level", "indicator"]
    allow_delete = True

    def formfield_for_dbfield(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "indicator":
            from django import forms

            from . import indicators as ind

            return forms.ChoiceField(
                label=db_field.verbose_name,
                choices=[(i.code, f"{ind.SECTIONS[i.section]}: {i.label}") for i in ind.INDICATORS],
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(AdoptionPlan)
class AdoptionPlanAdmin(PolicyAdmin[AdoptionPlan]):
    policy_action = "indicatortarget.manage"
    list_display = ["office", "planned_from", "note"]
    allow_delete = True

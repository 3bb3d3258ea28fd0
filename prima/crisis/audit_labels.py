"""Labels of the audit actions of the crisis playbook."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    "crisis.case.open": _("Crisis case opened"),
    "crisis.case.scope": _("Crisis case scope changed"),
    "crisis.case.close": _("Crisis case closed"),
    "crisis.case.reopen": _("Crisis case reopened"),
    "crisis.case.merge": _("Crisis cases merged"),
    "crisis.signal.attach": _("Signal added to the case"),
    "crisis.signal.detach": _("Signal taken out of the case"),
    "crisis.assess": _("Crisis assessed"),
    "crisis.override": _("Crisis level set by hand"),
    "crisis.acknowledge": _("Escalation acknowledged"),
    "crisis.statement": _("Crisis statement recorded"),
    "crisis.action": _("Playbook action recorded"),
    "crisis.conference": _("Crisis press conference opened"),
    "crisis.drill.create": _("Crisis drill planned"),
    "crisis.drill.start": _("Crisis drill started"),
    "crisis.drill.stop": _("Crisis drill ended"),
    "crisisconfig.save": _("Crisis configuration saved"),
    "clarification.create": _("Hoax clarification drafted"),
    "clarification.edit": _("Hoax clarification changed"),
    "clarification.submit": _("Hoax clarification submitted for approval"),
    "clarification.publish": _("Hoax clarification published"),
    "clarification.withdraw": _("Hoax clarification withdrawn"),
}

"""Forms of the crisis pages. They only read and validate input; every change goes
through the services (which check the policy again)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from prima.conferences.forms import LocalDateTimeField
from prima.lib.widgets import ListSelect
from prima.monitoring.models import Issue, WatchList
from prima.organizations.levels import Level
from prima.organizations.models import Office

from . import clarifications, config, playbook, responders
from .models import Case, CloseReason, Verdict

FACTOR_LABELS = {
    "volume": _("Volume against the usual"),
    "growth": _("Growth speed"),
    "negative": _("Negative share"),
    "reach": _("Reach of the authors"),
    "mainstream": _("Pick-up by mainstream outlets"),
    "spread": _("Spread across platforms"),
    "affected": _("People affected"),
    "safety": _("Safety or health at stake"),
    "rights": _("Money or legal rights at stake"),
    "vulnerable": _("Vulnerable groups involved"),
    "reputation": _("Reputation at stake"),
    "political": _("Political sensitivity"),
    "category": _("Content: category"),
}
UNKNOWN = ("", _("Not known yet"))
INTEREST_CHOICES: dict[str, list[tuple[str, Any]]] = {
    "affected": [UNKNOWN, ("0", _("One or a few people")), ("0.4", _("Dozens")),
                 ("0.7", _("Hundreds")), ("1", _("Thousands or more"))],
    "safety": [UNKNOWN, ("0", _("No")), ("0.5", _("Possibly")), ("1", _("Yes"))],
    "rights": [UNKNOWN, ("0", _("No")), ("0.5", _("Possibly")), ("1", _("Yes"))],
    "vulnerable": [UNKNOWN, ("0", _("No")),
                   ("1", _("Yes (children, migrant workers, people with disabilities…)"))],
    "reputation": [UNKNOWN, ("0", _("Local")), ("0.5", _("Regional")),
                   ("1", _("National or international"))],
    "political": [UNKNOWN, ("0", _("No")), ("0.5", _("Some")), ("1", _("High"))],
}  # fmt: skip
CONTEXT_CHOICES = [
    ("", _("As measured")),
    ("0", _("Low")),
    ("0.5", _("Medium")),
    ("1", _("High")),
]
CLUSTER_CHOICES = [("", _("The category's"))] + [
    (code, label) for code, label in playbook.CLUSTER_LABELS.items()
]


def _choices(form: forms.Form, name: str) -> forms.ModelChoiceField[Any]:
    """A model-choice field of ``form`` (to set its queryset)."""
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def factor_label(code: str) -> str:
    return str(FACTOR_LABELS.get(code, code))


class AssessmentForm(forms.Form):
    def __init__(self, *args: Any, cfg: config.Config, lang: str = "id", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"] = forms.ChoiceField(
            label=_("Content: category"),
            choices=[UNKNOWN] + [(c.code, c.label(lang)) for c in cfg.taxonomy],
            required=False,
            widget=ListSelect,
        )
        self.fields["cluster"] = forms.ChoiceField(
            label=_("Crisis cluster (responsibility)"),
            choices=CLUSTER_CHOICES,
            required=False,
            widget=ListSelect,
        )
        for name in config.INTEREST_FACTORS:
            self.fields[name] = forms.ChoiceField(
                label=FACTOR_LABELS[name],
                choices=INTEREST_CHOICES[name],
                required=False,
                widget=ListSelect,
            )
        for name in config.CONTEXT_FACTORS:
            self.fields[f"context_{name}"] = forms.ChoiceField(
                label=FACTOR_LABELS[name],
                choices=CONTEXT_CHOICES,
                required=False,
                widget=ListSelect,
            )
        self.fields["note"] = forms.CharField(
            label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        )

    def interest(self) -> dict[str, str]:
        return {n: self.cleaned_data.get(n, "") for n in config.INTEREST_FACTORS}

    def context_values(self) -> dict[str, str]:
        return {n: self.cleaned_data.get(f"context_{n}", "") for n in config.CONTEXT_FACTORS}

    @property
    def interest_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in config.INTEREST_FACTORS]

    @property
    def context_fields(self) -> list[forms.BoundField]:
        return [self[f"context_{n}"] for n in config.CONTEXT_FACTORS]

    @staticmethod
    def initial_from(item: Any) -> dict[str, str]:
        """Initial values from an assessment: what staff said before."""
        if item is None:
            return {}
        initial: dict[str, str] = {"category": item.category, "cluster": ""}
        for name, row in (item.factors or {}).items():
            if (row or {}).get("source") != "staff" or row.get("value") is None:
                continue
            key = name if name in config.INTEREST_FACTORS else f"context_{name}"
            initial[key] = f"{float(row['value']):g}"
        return initial


class OverrideForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Level"), choices=Level.choices, coerce=int, widget=ListSelect
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    decision = forms.BooleanField(label=_("This is a decision"), required=False)


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("What was said"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    channel = forms.CharField(label=_("Where"), max_length=100, required=False)
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args: Any, tz_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["at"] = LocalDateTimeField(
            label=_("Published at (empty: now)"), required=False, tz_name=tz_name
        )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why"), choices=CloseReason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class CaseCreateForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    title = forms.CharField(label=_("Title"), max_length=250)
    issues = forms.ModelMultipleChoiceField(
        label=_("Monitoring issues"), queryset=Issue.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    watchlists = forms.ModelMultipleChoiceField(
        label=_("Watch-lists"), queryset=WatchList.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    note = forms.CharField(
        label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, offices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "office").queryset = offices
        if offices.count() == 1:
            self.fields["office"].initial = offices.first()
        recent = Issue.objects.shown().filter(office__in=offices, status="open")
        recent_ids = list(recent.order_by("-last_seen_at").values_list("pk", flat=True)[:40])
        _choices(self, "issues").queryset = Issue.objects.filter(pk__in=recent_ids).order_by(
            "-last_seen_at"
        )
        _choices(self, "watchlists").queryset = WatchList.objects.filter(
            office__in=offices, is_active=True
        )


class MergeForm(forms.Form):
    others = forms.ModelMultipleChoiceField(
        label=_("Cases to merge into this one"),
        queryset=Case.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "others").queryset = candidates


class ClarificationForm(forms.Form):
    title = forms.CharField(label=_("Headline"), max_length=250)
    claim = forms.CharField(
        label=_("The claim as it circulates"), widget=forms.Textarea(attrs={"rows": 3})
    )
    facts = forms.CharField(label=_("The facts"), widget=forms.Textarea(attrs={"rows": 5}))
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices)
    title_en = forms.CharField(label=_("Headline in English (optional)"), max_length=250,
                               required=False)  # fmt: skip
    claim_en = forms.CharField(
        label=_("The claim in English (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    facts_en = forms.CharField(
        label=_("The facts in English (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The public portal shows the English version to English readers."),
    )


CHANNEL_LABELS = clarifications.CHANNEL_LABELS


class PublishForm(forms.Form):
    ROWS = 3

    def __init__(self, *args: Any, tz_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(c, CHANNEL_LABELS[c]) for c in clarifications.CHANNELS]
        for i in range(self.ROWS):
            self.fields[f"channel_{i}"] = forms.ChoiceField(
                label=_("Where"), choices=choices, required=False
            )
            self.fields[f"url_{i}"] = forms.CharField(
                label=_("Link"), required=False, max_length=500
            )
        self.fields["published_at"] = LocalDateTimeField(
            label=_("Published at (empty: now)"), required=False, tz_name=tz_name
        )

    def channels(self) -> list[dict[str, str]]:
        return [
            {"channel": self.cleaned_data.get(f"channel_{i}", ""),
             "url": self.cleaned_data.get(f"url_{i}", "")}
            for i in range(self.ROWS)
        ]  # fmt: skip

    @property
    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"channel_{i}"], self[f"url_{i}"]) for i in range(self.ROWS)]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class DrillForm(forms.Form):
    SOURCES = [("generated", _("A generated storm")), ("recorded", _("A recorded case"))]

    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source = forms.ChoiceField(label=_("Storm"), choices=SOURCES, widget=forms.RadioSelect)
    case = forms.ModelChoiceField(
        label=_("Case to replay"), queryset=Case.objects.none(), required=False
    )
    baseline_per_hour = forms.FloatField(
        label=_("Usual mentions per hour"), min_value=0, max_value=500, initial=3
    )
    peak_per_bucket = forms.IntegerField(
        label=_("Peak mentions per 5 minutes"), min_value=1, max_value=5000, initial=40
    )
    burst_hours = forms.FloatField(
        label=_("Length of the storm (hours)"), min_value=0.5, max_value=24, initial=3
    )
    negative_percent = forms.IntegerField(
        label=_("Negative mentions (%)"), min_value=0, max_value=100, initial=80
    )

    def __init__(self, *args: Any, offices: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "office").queryset = offices
        if offices.count() == 1:
            self.fields["office"].initial = offices.first()
        _choices(self, "case").queryset = cases

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") == "recorded" and not data.get("case"):
            self.add_error("case", _("Choose the case to replay."))
        return data


# --- configuration ---------------------------------------------------------------------------
class ConfigForm(forms.Form):
    """The whole configuration on one page; saving makes a new version."""

    MAX_CATEGORIES = 20

    def __init__(self, *args: Any, cfg: config.Config, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rows = list(cfg.taxonomy)
        for i in range(self.MAX_CATEGORIES):
            row = rows[i] if i < len(rows) else None
            self.fields[f"cat_{i}_code"] = forms.CharField(
                required=False, max_length=40, initial=row.code if row else ""
            )
            self.fields[f"cat_{i}_label_id"] = forms.CharField(
                required=False, max_length=120, initial=row.label_id if row else ""
            )
            self.fields[f"cat_{i}_label_en"] = forms.CharField(
                required=False, max_length=120, initial=row.label_en if row else ""
            )
            self.fields[f"cat_{i}_severity"] = forms.IntegerField(
                required=False, min_value=0, max_value=100, initial=row.severity if row else None
            )
            self.fields[f"cat_{i}_cluster"] = forms.ChoiceField(
                required=False,
                choices=list(playbook.CLUSTER_LABELS.items()),
                initial=row.cluster if row else "accidental",
            )
            self.fields[f"cat_{i}_misinformation"] = forms.BooleanField(
                required=False, initial=row.misinformation if row else False
            )
        self.fields["unknown_severity"] = forms.IntegerField(
            label=_("Base severity while the category is unknown"), min_value=0, max_value=100,
            initial=cfg.unknown_severity,
        )  # fmt: skip
        for name in config.FACTORS:
            self.fields[f"weight_{name}"] = forms.FloatField(
                label=FACTOR_LABELS[name], min_value=0, max_value=100, initial=cfg.weights[name]
            )
            self.fields[f"assume_{name}"] = forms.FloatField(
                label=_("assumed while unknown"), min_value=0, max_value=1, initial=cfg.assume[name]
            )
        for level in (2, 3, 4):
            self.fields[f"threshold_{level}"] = forms.FloatField(
                label=Level(level).label, min_value=0, max_value=1000, initial=cfg.thresholds[level]
            )
        responder_choices = [(c, responders.label(c)) for c in config.RESPONDERS]
        action_choices = [(c, playbook.action_label(c)) for c in config.ACTIONS]
        channel_choices = [("email", _("E-mail")), ("webhook", _("Chat webhook"))]
        for level in (1, 2, 3, 4):
            lp = cfg.playbook(level)
            for tier in range(3):
                self.fields[f"level_{level}_tier_{tier}"] = forms.MultipleChoiceField(
                    required=False, choices=responder_choices, widget=forms.CheckboxSelectMultiple,
                    initial=list(lp.tiers[tier]) if tier < len(lp.tiers) else [],
                )  # fmt: skip
            self.fields[f"level_{level}_ack"] = forms.IntegerField(
                label=_("Acknowledge within (minutes)"), min_value=1, max_value=10080,
                initial=lp.ack_minutes,
            )  # fmt: skip
            self.fields[f"level_{level}_response"] = forms.IntegerField(
                label=_("First public response within (minutes)"), min_value=1, max_value=10080,
                initial=lp.response_minutes,
            )  # fmt: skip
            self.fields[f"level_{level}_actions"] = forms.MultipleChoiceField(
                label=_("Required actions"), required=False, choices=action_choices,
                widget=forms.CheckboxSelectMultiple, initial=list(lp.actions),
            )  # fmt: skip
            self.fields[f"level_{level}_channels"] = forms.MultipleChoiceField(
                label=_("Channels besides the app"), required=False, choices=channel_choices,
                widget=forms.CheckboxSelectMultiple,
                initial=[c for c in lp.channels if c != "in_app"],
            )  # fmt: skip
        strategy_choices = list(playbook.STRATEGY_LABELS.items())
        for cluster in config.CLUSTERS:
            strategy = cfg.strategies[cluster]
            self.fields[f"strategy_{cluster}"] = forms.ChoiceField(
                label=playbook.CLUSTER_LABELS[cluster], choices=strategy_choices,
                initial=strategy.strategy,
            )  # fmt: skip
            self.fields[f"guidance_{cluster}_id"] = forms.CharField(
                label=_("Guidance (Indonesian)"), required=False, initial=strategy.guidance_id,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip
            self.fields[f"guidance_{cluster}_en"] = forms.CharField(
                label=_("Guidance (English)"), required=False, initial=strategy.guidance_en,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip
        self.fields["holding_statement"] = forms.CharField(
            label=_("Holding-statement template"), initial=cfg.holding_statement,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=_("May use {office}, {topic}, {date} and {next_update}."),
        )  # fmt: skip
        self.fields["note"] = forms.CharField(label=_("What changed"), max_length=300)

    def to_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        taxonomy = []
        for i in range(self.MAX_CATEGORIES):
            code = (d.get(f"cat_{i}_code") or "").strip()
            if not code:
                continue
            taxonomy.append(
                {
                    "code": code,
                    "label_id": d.get(f"cat_{i}_label_id") or "",
                    "label_en": d.get(f"cat_{i}_label_en") or "",
                    "severity": d.get(f"cat_{i}_severity") or 0,
                    "cluster": d.get(f"cat_{i}_cluster") or "accidental",
                    "misinformation": bool(d.get(f"cat_{i}_misinformation")),
                }
            )
        levels = {}
        for level in (1, 2, 3, 4):
            tiers = [d.get(f"level_{level}_tier_{t}") or [] for t in range(3)]
            levels[str(level)] = {
                "tiers": [t for t in tiers if t],
                "ack_minutes": d.get(f"level_{level}_ack"),
                "response_minutes": d.get(f"level_{level}_response"),
                "actions": d.get(f"level_{level}_actions") or [],
                "channels": ["in_app", *(d.get(f"level_{level}_channels") or [])],
            }
        return {
            "taxonomy": taxonomy,
            "unknown_severity": d.get("unknown_severity"),
            "weights": {n: d.get(f"weight_{n}") for n in config.FACTORS},
            "assume": {n: d.get(f"assume_{n}") for n in config.FACTORS},
            "thresholds": {str(level): d.get(f"threshold_{level}") for level in (2, 3, 4)},
            "levels": levels,
            "strategies": {
                c: {
                    "strategy": d.get(f"strategy_{c}"),
                    "guidance_id": d.get(f"guidance_{c}_id") or "",
                    "guidance_en": d.get(f"guidance_{c}_en") or "",
                }
                for c in config.CLUSTERS
            },
            "holding_statement": d.get("holding_statement") or "",
        }

    @property
    def category_rows(self) -> list[list[forms.BoundField]]:
        names = ("code", "label_id", "label_en", "severity", "cluster", "misinformation")
        return [[self[f"cat_{i}_{n}"] for n in names] for i in range(self.MAX_CATEGORIES)]

    @property
    def factor_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(n, self[f"weight_{n}"], self[f"assume_{n}"]) for n in config.FACTORS]

    @property
    def level_blocks(self) -> list[dict[str, Any]]:
        return [
            {
                "level": Level(level),
                "tiers": [self[f"level_{level}_tier_{t}"] for t in range(3)],
                "ack": self[f"level_{level}_ack"],
                "response": self[f"level_{level}_response"],
                "actions": self[f"level_{level}_actions"],
                "channels": self[f"level_{level}_channels"],
            }
            for level in (1, 2, 3, 4)
        ]

    @property
    def strategy_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"strategy_{c}"], self[f"guidance_{c}_id"], self[f"guidance_{c}_en"])
            for c in config.CLUSTERS
        ]

"""Forms of the conference pages: they only validate input; every change goes through
:mod:`prima.conferences.workflow`.

Times are entered in the office's own zone (WIB, WITA or WIT): :class:`LocalDateTimeField`
reads and shows them there, whatever the server's zone.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from prima.lib import dates
from prima.organizations.datefields import DATETIME_HELP, DateField, DateTimeField
from prima.organizations.forms import label_choices, model_choice
from prima.organizations.models import Office

from .models import (
    MAX_KEY_MESSAGES,
    BriefingKind,
    Channel,
    ConferenceRole,
    ConferenceType,
    IssueLevel,
    Stage,
    Tone,
    Topic,
)


class LocalDateTimeField(DateTimeField):
    """A date and time (dd/mm/yyyy hh.mm) read and shown in ``tz_name`` (the office's
    zone); its help text names the zone."""

    def __init__(self, *args, tz_name: str = dates.DEFAULT_TZ, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.tz_name = tz_name

    @property
    def tz_name(self) -> str:
        return self._tz_name

    @tz_name.setter
    def tz_name(self, value: str) -> None:
        self._tz_name = value
        self.help_text = format_lazy("{} ({})", DATETIME_HELP, dates.zone_abbreviation(value))

    def to_python(self, value):
        with timezone.override(ZoneInfo(self.tz_name)):
            return super().to_python(value)

    def prepare_value(self, value):
        with timezone.override(ZoneInfo(self.tz_name)):
            return super().prepare_value(value)


class PanelForm(forms.Form):
    """A form on the detail page, where several forms share field names: its HTML ids are
    prefixed with the form's name (``id_fact_source``), its field names are not."""

    id_prefix = ""
    # True when a blank form of the class looks the same every time (no choices read from
    # the database): the page renders it once per language and zone (``form_fields``).
    renders_alike = False

    def __init__(self, *args, **kwargs) -> None:
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class VersionForm(PanelForm):
    """The version of the record the person saw: a newer one means someone else changed it
    in the meantime, and the workflow refuses the stale change."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class OfficeTimeMixin:
    """Forms whose ``LocalDateTimeField`` fields follow an office's zone."""

    def set_zone(self, tz_name: str) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, LocalDateTimeField):
                field.tz_name = tz_name


# --- List and calendar ------------------------------------------------------------------
class ConferenceFilterForm(forms.Form):
    EXERCISE_CHOICES = [
        ("", _("Real and exercises")),
        ("no", _("Real conferences only")),
        ("yes", _("Exercises only")),
    ]
    STATUS_CHOICES = [
        ("", _("All states")),
        ("active", _("Active")),
        ("completed", _("Completed")),
        ("cancelled", _("Cancelled")),
    ]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *ConferenceType.choices]
    )
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices]
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    office = forms.ModelChoiceField(
        label=_("Office"),
        required=False,
        queryset=Office.objects.none(),
        empty_label=_("All offices"),
    )
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    exercise = forms.ChoiceField(label=_("Exercise"), required=False, choices=EXERCISE_CHOICES)

    def __init__(self, *args, offices=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if offices is not None:
            model_choice(self, "office").queryset = offices
        label_choices(self, "office", lambda o: o.short_name)

    def clean(self):
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


# --- Creating a conference --------------------------------------------------------------
class ConferenceCreateForm(OfficeTimeMixin, forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    type = forms.ChoiceField(
        label=_("Type"),
        choices=ConferenceType.choices,
        initial=ConferenceType.REGULAR,
        help_text=_(
            "Crisis: fast track with a holding statement first and deadlines counted from now."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=250)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices, initial=Topic.GENERAL)
    level = forms.TypedChoiceField(
        label=_("Issue level"), choices=IssueLevel.choices, initial=IssueLevel.LOW, coerce=int
    )
    scheduled_at = LocalDateTimeField(
        label=_("Date and time"),
        required=False,
        help_text=_("In the office's local time (WIB for Jakarta and Banten)."),
    )
    venue = forms.CharField(label=_("Venue"), max_length=250, required=False)
    is_exercise = forms.BooleanField(
        label=_("Exercise (drill)"),
        required=False,
        help_text=_("Runs the same way but never counts in performance figures."),
    )

    def __init__(self, *args, offices=None, **kwargs) -> None:
        offices = list(offices or [])
        data = kwargs.get("data", args[0] if args else None)
        if data is not None and len(offices) == 1 and not data.get("office"):
            # One office: the (hidden) choice is not left to the browser.
            data = data.copy()
            data["office"] = str(offices[0].pk)
            if args:
                args = (data, *args[1:])
            else:
                kwargs["data"] = data
        super().__init__(*args, **kwargs)
        model_choice(self, "office").queryset = Office.objects.filter(
            pk__in=[o.pk for o in offices]
        )
        label_choices(self, "office", lambda o: o.name)
        if len(offices) == 1:
            self.fields["office"].initial = offices[0].pk
            self.fields["office"].widget = forms.HiddenInput()
        # Read the time in the zone of the office chosen (or the only one).
        chosen = self.data.get("office") if self.is_bound else None
        zone = next((o.timezone for o in offices if str(o.pk) == str(chosen)), None)
        if zone is None and offices:
            zone = offices[0].timezone
        self.set_zone(zone or dates.DEFAULT_TZ)


# --- Stage actions ----------------------------------------------------------------------
class AdvanceForm(VersionForm):
    """Move on; an unusual move (see workflow.cautions) also carries the codes of the
    warnings shown and the reason for going ahead."""

    id_prefix = "advance"
    confirm = forms.MultipleChoiceField(
        choices=[(c, c) for c in ("early", "follow_ups_pending", "open_questions")],
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    reason = forms.CharField(
        label=_("Why go ahead anyway"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class CancelForm(VersionForm):
    id_prefix = "cancel"
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ChecklistCompleteForm(VersionForm):
    id_prefix = "checklist"
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    link = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(label=_("File"), required=False)


class FactForm(PanelForm):
    renders_alike = True
    id_prefix = "fact"
    statement = forms.CharField(
        label=_("Fact"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    source = forms.CharField(label=_("Source"), max_length=300)
    source_date = DateField(label=_("Source date"), required=False)


class ChronologyForm(OfficeTimeMixin, PanelForm):
    renders_alike = True
    id_prefix = "chronology"
    occurred_at = LocalDateTimeField(label=_("Time"))
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)


class OpenQuestionForm(PanelForm):
    renders_alike = True
    id_prefix = "openquestion"
    question = forms.CharField(
        label=_("Open question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveQuestionForm(PanelForm):
    id_prefix = "resolve"
    answer = forms.CharField(
        label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PriorStatementForm(PanelForm):
    renders_alike = True
    id_prefix = "prior"
    title = forms.CharField(label=_("Title"), max_length=300)
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    published_on = DateField(label=_("Published"), required=False)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


class ScheduleForm(OfficeTimeMixin, VersionForm):
    id_prefix = "schedule"
    scheduled_at = LocalDateTimeField(label=_("Date and time"))
    venue = forms.CharField(label=_("Venue"), max_length=250)
    venue_notes = forms.CharField(
        label=_("Venue access and permissions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


class RundownForm(PanelForm):
    renders_alike = True
    id_prefix = "rundown"
    starts_at = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=600, initial=5)
    activity = forms.CharField(label=_("Activity"), max_length=300)
    person = forms.CharField(label=_("Person in charge"), max_length=200, required=False)


class RoleForm(PanelForm):
    id_prefix = "role"
    role = forms.ChoiceField(label=_("Role"), choices=ConferenceRole.choices)
    user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Person in PRIMA"), required=False, queryset=None
    )
    name = forms.CharField(label=_("Or name"), max_length=200, required=False)

    def __init__(self, *args, people=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from prima.organizations.models import User

        model_choice(self, "user").queryset = people if people is not None else User.objects.none()

    def clean(self):
        data = super().clean() or {}
        if not data.get("user") and not data.get("name"):
            raise forms.ValidationError(_("Choose a person or type a name."))
        return data


class ReadinessForm(PanelForm):
    id_prefix = "readiness"
    is_ready = forms.BooleanField(label=_("Ready"), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)


class InvitationForm(PanelForm):
    id_prefix = "invite"
    contacts: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Media contacts"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, initial=Channel.WHATSAPP
    )

    def __init__(self, *args, contacts=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from .models import MediaContact

        model_choice(self, "contacts").queryset = (
            contacts if contacts is not None else MediaContact.objects.none()
        )
        label_choices(
            self,
            "contacts",
            lambda c: f"{c.outlet} — {c.journalist}" + (f" ({c.beat})" if c.beat else ""),
        )


class MaterialForm(VersionForm):
    """One form for every kind; the page shows the fields that fit the kind."""

    id_prefix = "material"

    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 8}), max_length=50000
    )
    message_1 = forms.CharField(label=_("Key message 1"), max_length=500, required=False)
    message_2 = forms.CharField(label=_("Key message 2"), max_length=500, required=False)
    message_3 = forms.CharField(label=_("Key message 3"), max_length=500, required=False)
    qa = forms.CharField(
        label=_("Questions and answers"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One pair per block: a line starting with Q: then a line starting "
            "with A:. Leave an empty line between pairs."
        ),
    )

    def key_messages(self) -> list[str]:
        return [
            self.cleaned_data[f"message_{i}"].strip()
            for i in range(1, MAX_KEY_MESSAGES + 1)
            if self.cleaned_data.get(f"message_{i}", "").strip()
        ]

    def qa_pairs(self) -> list[dict[str, str]]:
        return parse_qa(self.cleaned_data.get("qa", ""))


def parse_qa(text: str) -> list[dict[str, str]]:
    """Read "Q: … / A: …" blocks (also "T:"/"J:", Tanya/Jawab) into question/answer pairs."""
    pairs: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    target = ""
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        head = line[:2].upper()
        if head in ("Q:", "T:"):
            current = {"question": line[2:].strip(), "answer": ""}
            pairs.append(current)
            target = "question"
        elif head in ("A:", "J:") and current is not None:
            current["answer"] = line[2:].strip()
            target = "answer"
        elif line and current is not None and target:
            current[target] = f"{current[target]} {line}".strip()
    return [p for p in pairs if p["question"]]


def format_qa(items: list) -> str:
    return "\n\n".join(
        f"Q: {item.get('question', '')}\nA: {item.get('answer', '')}"
        for item in items or []
        if isinstance(item, dict)
    )


class ApproveMaterialForm(VersionForm):
    id_prefix = "approve"
    waiver_reason = forms.CharField(
        label=_("Reason for approving despite the errors"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReturnMaterialForm(VersionForm):
    id_prefix = "return"
    reason = forms.CharField(
        label=_("What must change"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AppointmentForm(PanelForm):
    id_prefix = "appoint"
    spokesperson: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Spokesperson"), queryset=None
    )
    is_principal = forms.BooleanField(label=_("Principal speaker"), required=False, initial=True)

    def __init__(self, *args, spokespeople=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from .models import Spokesperson

        model_choice(self, "spokesperson").queryset = (
            spokespeople if spokespeople is not None else Spokesperson.objects.none()
        )


class BriefingForm(PanelForm):
    id_prefix = "briefing"
    appointment: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Spokesperson"), queryset=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=BriefingKind.choices)
    held_on = DateField(label=_("Date"))
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, appointments=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from .models import Appointment

        model_choice(self, "appointment").queryset = (
            appointments if appointments is not None else Appointment.objects.none()
        )
        label_choices(self, "appointment", lambda a: a.spokesperson.display_name)


class AttendanceForm(PanelForm):
    renders_alike = True
    id_prefix = "attendance"
    journalist = forms.CharField(label=_("Journalist"), max_length=200)
    outlet = forms.CharField(label=_("Outlet"), max_length=200)


class QuestionLogForm(PanelForm):
    renders_alike = True
    id_prefix = "question"
    asker = forms.CharField(label=_("Asked by"), max_length=200)
    outlet = forms.CharField(label=_("Outlet"), max_length=200, required=False)
    question = forms.CharField(
        label=_("Question"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    answered_by = forms.CharField(label=_("Answered by"), max_length=200, required=False)
    answer_summary = forms.CharField(
        label=_("Answer"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up_needed = forms.BooleanField(label=_("Follow-up needed"), required=False)


class FollowUpForm(PanelForm):
    id_prefix = "followup"
    note = forms.CharField(
        label=_("Follow-up"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExecutionForm(OfficeTimeMixin, VersionForm):
    id_prefix = "execution"
    actual_start = LocalDateTimeField(label=_("Actual start"), required=False)
    actual_end = LocalDateTimeField(label=_("Actual end"), required=False)
    execution_notes = forms.CharField(
        label=_("Notes"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("actual_start"), data.get("actual_end")
        if start and end and end < start:
            self.add_error("actual_end", _("The end is before the start."))
        return data


class EvaluationForm(VersionForm):
    id_prefix = "evaluation"
    lessons_learned = forms.CharField(
        label=_("Lessons learned"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evaluation_notes = forms.CharField(
        label=_("Evaluation notes"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    coverage_count = forms.IntegerField(label=_("News items"), required=False, min_value=0)
    coverage_positive = forms.IntegerField(label=_("Positive"), required=False, min_value=0)
    coverage_neutral = forms.IntegerField(label=_("Neutral"), required=False, min_value=0)
    coverage_negative = forms.IntegerField(label=_("Negative"), required=False, min_value=0)
    coverage_reach = forms.IntegerField(label=_("Estimated reach"), required=False, min_value=0)
    coverage_accurate = forms.NullBooleanField(label=_("Coverage accurate"), required=False)

    def clean(self):
        data = super().clean() or {}
        total = data.get("coverage_count")
        parts = [data.get(f"coverage_{t}") or 0 for t in ("positive", "neutral", "negative")]
        if total is not None and sum(parts) > total:
            self.add_error(
                "coverage_count",
                _("Positive, neutral and negative items add up to more than the news items."),
            )
        return data


class CoverageForm(OfficeTimeMixin, PanelForm):
    renders_alike = True
    id_prefix = "coverage"
    title = forms.CharField(label=_("Headline"), max_length=400)
    outlet = forms.CharField(label=_("Outlet"), max_length=200, required=False)
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    published_at = LocalDateTimeField(label=_("Published"), required=False)
    tone = forms.ChoiceField(label=_("Tone"), required=False, choices=[("", "—"), *Tone.choices])

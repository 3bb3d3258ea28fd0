"""Forms of the monitoring pages.

The stream's filter form only *renders and validates* the GET parameters; the filtering
itself is :meth:`prima.monitoring.queries.MentionFilters.from_query`, which the CSV export
and the API read too, so a list and its export always hold the same rows.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from prima.lib.widgets import ListSelect
from prima.organizations.datefields import DateField, DateTimeField
from prima.organizations.forms import choice_field, label_choices, model_choice
from prima.organizations.models import Office

from . import services
from .models import Issue, Language, Platform, Sentiment, SourceKind
from .parsers.mapping import MAPPABLE_FIELDS

PERIOD_CHOICES = [
    ("24h", _("Last 24 hours")),
    ("7d", _("Last 7 days")),
    ("30d", _("Last 30 days")),
    ("custom", _("Custom")),
]
ANY = [("", _("All"))]
IMPORT_EXTENSIONS = (".csv", ".json", ".ndjson", ".jsonl", ".zip", ".txt")
MAX_CUSTOM_DAYS = 366

FIELD_LABELS = {
    "external_id": _("Post id"),
    "url": _("Link"),
    "title": _("Title"),
    "text": _("Text"),
    "author": _("Author name"),
    "author_handle": _("Account"),
    "author_followers": _("Followers"),
    "outlet": _("Outlet"),
    "platform": _("Platform"),
    "published_at": _("Posted at"),
    "likes": _("Likes"),
    "shares": _("Shares"),
    "comments": _("Comments"),
    "lang_hint": _("Language"),
}


class OfficeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Office) -> str:
        return obj.short_name or obj.name


def _offer_offices(form: forms.Form, offices) -> None:
    """Limit the ``office`` field to ``offices`` (a list); hide it when there is one."""
    office_list = list(offices or [])
    field = model_choice(form, "office")
    field.queryset = Office.objects.filter(pk__in=[o.pk for o in office_list]).order_by("path")
    if len(office_list) == 1:
        field.widget = forms.HiddenInput()
        field.initial = office_list[0].pk
        field.required = False
        form.only_office = office_list[0]  # type: ignore[attr-defined]


class OfficeMixin:
    """With a single office to choose from, the (hidden) field may be left out."""

    only_office: Office | None = None
    cleaned_data: dict[str, Any]

    def clean_office(self) -> Office | None:
        return self.cleaned_data.get("office") or self.only_office


class PeriodForm(forms.Form):
    """Which office (for people who see several) and which period the dashboard shows."""

    office = OfficeChoiceField(
        label=_("Office"), queryset=Office.objects.none(), required=False, empty_label=None
    )
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES, required=False)
    start = DateField(label=_("From"), required=False)
    end = DateField(label=_("To"), required=False)

    def __init__(self, *args, offices=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "office").queryset = (
            offices if offices is not None else Office.objects.none()
        )

    def clean(self):
        data = super().clean() or {}
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise ValidationError(_("A custom period needs a first and a last day."))
            if end < start:
                raise ValidationError(_("The last day is before the first day."))
            if end - start > timedelta(days=MAX_CUSTOM_DAYS):
                raise ValidationError(
                    _("A period can span at most %(days)s days."), params={"days": MAX_CUSTOM_DAYS}
                )
        return data


class MentionFilterForm(forms.Form):
    """The stream's filters; field names are the GET parameters of ``MentionFilters``."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=500,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _('e.g. autogate OR "paspor hilang"')}
        ),
    )
    period = forms.ChoiceField(
        label=_("Period"), choices=ANY + PERIOD_CHOICES, required=False, widget=ListSelect
    )
    start = DateField(label=_("From"), required=False)
    end = DateField(label=_("To"), required=False)
    kind = forms.ChoiceField(
        label=_("Source kind"), choices=ANY + SourceKind.choices, required=False, widget=ListSelect
    )
    platform = forms.ChoiceField(
        label=_("Platform"), choices=ANY + Platform.choices, required=False, widget=ListSelect
    )
    outlet = forms.CharField(label=_("Outlet"), required=False, max_length=300)
    language = forms.ChoiceField(
        label=_("Language"), choices=ANY + Language.choices, required=False, widget=ListSelect
    )
    sentiment = forms.ChoiceField(
        label=_("Sentiment"), choices=ANY + Sentiment.choices, required=False, widget=ListSelect
    )
    watchlist = forms.TypedChoiceField(
        label=_("Watch-list"), coerce=int, required=False, empty_value=None, widget=ListSelect
    )
    issue = forms.TypedChoiceField(
        label=_("Issue"), coerce=int, required=False, empty_value=None, widget=ListSelect
    )
    office = forms.TypedChoiceField(
        label=_("Office"), coerce=int, required=False, empty_value=None, widget=ListSelect
    )
    source = forms.IntegerField(required=False, widget=forms.HiddenInput)
    originals = forms.BooleanField(label=_("One item per story"), required=False)

    def __init__(self, *args, watchlists=(), issues=(), offices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "watchlist").choices = ANY + [(w.pk, w.name) for w in watchlists]
        choice_field(self, "issue").choices = ANY + [(i.pk, i.display_name[:60]) for i in issues]
        office_list = list(offices)
        choice_field(self, "office").choices = ANY + [
            (o.pk, o.short_name or o.name) for o in office_list
        ]
        if len(office_list) < 2:
            del self.fields["office"]

    @property
    def advanced_fields(self):
        """The fields folded away on phones (everything but search and period)."""
        shown = {"q", "period", "start", "end", "source"}
        return [self[name] for name in self.fields if name not in shown]


class SentimentCorrectionForm(forms.Form):
    label = forms.ChoiceField(
        label=_("Correct sentiment"), choices=Sentiment.choices, widget=forms.RadioSelect
    )


class IssueRenameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)


class IssueMergeForm(forms.Form):
    others = forms.ModelMultipleChoiceField(
        label=_("Merge these issues into this one"),
        queryset=Issue.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "others").queryset = (
            candidates if candidates is not None else Issue.objects.none()
        )
        label_choices(self, "others", lambda i: f"{i.display_name} ({i.mention_count})")


class IssueSplitForm(forms.Form):
    mentions = forms.TypedMultipleChoiceField(
        label=_("Mentions to move"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    name = forms.CharField(label=_("Name of the new issue"), max_length=300, required=False)

    def __init__(self, *args, mention_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "mentions").choices = list(mention_choices)


class WatchListForm(forms.Form):
    """A watch-list; the query is checked by ``services.validate_query`` in the view, so
    its error (with the position) lands under the query field."""

    query_caret = ""  # the query with a caret under the error (set by the view)

    name = forms.CharField(label=_("Name"), max_length=200)
    query = forms.CharField(
        label=_("Query"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "class": "mono"}),
        help_text=_(
            'Words must all appear; use OR, NOT, "exact phrases", prefix* and '
            "parentheses, e.g. (autogate OR antrean) bandara NOT iklan"
        ),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class SourceForm(OfficeMixin, forms.Form):
    """A feed, a set of article pages, an export source or a push source (clippings make
    their own source)."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (SourceKind.RSS, SourceKind.RSS.label),
            (SourceKind.ARTICLE, SourceKind.ARTICLE.label),
            (SourceKind.SOCIAL_IMPORT, SourceKind.SOCIAL_IMPORT.label),
            (SourceKind.PUSH, SourceKind.PUSH.label),
        ],
        help_text=_(
            "A push source receives posts that another system (e.g. a social-media "
            "monitoring tool) sends to PRIMA's API; it gets its own key."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    url = forms.URLField(
        label=_("Feed address (URL)"), required=False, max_length=2000, assume_scheme="https"
    )
    outlet = forms.CharField(label=_("Outlet"), required=False, max_length=300)
    platform = forms.ChoiceField(
        label=_("Default platform"), choices=ANY + Platform.choices, required=False
    )
    poll_interval_minutes = forms.IntegerField(
        label=_("Polling interval (minutes)"), min_value=5, max_value=24 * 60, initial=30
    )
    office = OfficeChoiceField(label=_("Office"), queryset=Office.objects.none(), empty_label=None)

    def __init__(self, *args, offices=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _offer_offices(self, offices)

    def clean(self):
        data = super().clean() or {}
        if data.get("kind") == SourceKind.RSS and not data.get("url"):
            self.add_error("url", _("A feed needs its address."))
        return data


class UrlImportForm(forms.Form):
    urls = forms.CharField(
        label=_("Article addresses (one per line)"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "https://…"}),
    )

    def clean_urls(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        bad = [line for line in lines if not line.lower().startswith(("http://", "https://"))]
        if bad:
            raise ValidationError(_("Not a web address: %(url)s"), params={"url": bad[0][:200]})
        if len(lines) > 500:
            raise ValidationError(_("At most 500 addresses at a time."))
        return lines


class ClippingForm(OfficeMixin, forms.Form):
    """A print, TV or radio item typed in by staff."""

    platform = forms.ChoiceField(
        label=pgettext_lazy("clipping", "Medium"),
        choices=[
            (Platform.PRINT, Platform.PRINT.label),
            (Platform.TV, Platform.TV.label),
            (Platform.RADIO, Platform.RADIO.label),
            (Platform.NEWS, Platform.NEWS.label),
            (Platform.OTHER, Platform.OTHER.label),
        ],
    )
    outlet = forms.CharField(label=_("Outlet"), max_length=300)
    programme = forms.CharField(label=_("Programme or section"), max_length=300, required=False)
    published_at = DateTimeField(label=_("Date and time"))
    title = forms.CharField(label=_("Headline or topic"), max_length=1000)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    author = forms.CharField(label=_("Journalist"), max_length=300, required=False)
    url = forms.URLField(
        label=_("Link (if any)"), required=False, max_length=2000, assume_scheme="https"
    )
    office = OfficeChoiceField(label=_("Office"), queryset=Office.objects.none(), empty_label=None)

    def __init__(self, *args, offices=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _offer_offices(self, offices)


class UploadForm(OfficeMixin, forms.Form):
    """Step 1 of an import: the file and where it goes."""

    file = forms.FileField(
        label=_("File (CSV, JSON, NDJSON or a zip of them)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_EXTENSIONS)}),
    )
    source = forms.TypedChoiceField(label=_("Source"), coerce=int, required=False, empty_value=None)
    new_source = forms.CharField(label=_("…or a new source named"), max_length=200, required=False)
    office = OfficeChoiceField(label=_("Office"), queryset=Office.objects.none(), empty_label=None)

    def __init__(self, *args, offices=None, sources=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _offer_offices(self, offices)
        choice_field(self, "source").choices = [("", _("— choose —"))] + [
            (s.pk, s.name) for s in sources
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        services.check_upload_size(upload.size)
        if upload.size == 0:
            raise ValidationError(_("The file is empty."))
        if not upload.name.lower().endswith(IMPORT_EXTENSIONS):
            raise ValidationError(
                _("PRIMA reads CSV, JSON, NDJSON and zip files; %(name)s is none of these."),
                params={"name": upload.name[:100]},
            )
        return upload

    def clean(self):
        data = super().clean() or {}
        if not data.get("source") and not (data.get("new_source") or "").strip():
            self.add_error("source", _("Choose a source or name a new one."))
        return data


class MappingForm(forms.Form):
    """Step 2 of an import: which column feeds which field (or a saved preset)."""

    preset = forms.ChoiceField(label=_("Use a saved mapping"), required=False)
    save_as = forms.CharField(label=_("Save this mapping as"), max_length=100, required=False)

    def __init__(self, *args, columns=(), presets=(), suggested=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.columns = list(columns)
        choice_field(self, "preset").choices = [("", _("— map the columns below —"))] + list(
            presets
        )
        column_choices = [("", "—")] + [(c, c) for c in self.columns]
        for name in MAPPABLE_FIELDS:
            initial = ""
            if suggested is not None and suggested.sources(name):
                first = suggested.sources(name)[0]
                initial = first if first in self.columns else ""
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=FIELD_LABELS[name], choices=column_choices, required=False, initial=initial
            )

    @property
    def mapping_fields(self):
        return [self[f"map_{name}"] for name in MAPPABLE_FIELDS]

    def mapping(self) -> dict:
        """The chosen mapping as ``ColumnMapping.from_dict`` data."""
        fields = {
            name: [self.cleaned_data[f"map_{name}"]]
            for name in MAPPABLE_FIELDS
            if self.cleaned_data.get(f"map_{name}")
        }
        return {"name": self.cleaned_data.get("save_as") or "custom", "fields": fields}

    def clean(self):
        data = super().clean() or {}
        if not data.get("preset") and not data.get("map_text"):
            self.add_error("map_text", _("Choose the column that holds the text of each post."))
        return data

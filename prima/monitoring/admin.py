"""Admin for media sources: policy-scoped like every PRIMA admin; creation and changes go
through the same service functions as the pages (SSRF check of feed addresses, audit,
push keys shown once)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.lib import markup
from prima.organizations import policy
from prima.organizations.admin import PolicyAdmin

from . import retraining, services
from .models import SentimentModelVersion, Source, SourceKind

_lazy_url = gettext_lazy("URL")
EDITABLE = ["name", "url", "platform", "outlet", "is_active", "poll_interval_minutes"]


class SourceAdminForm(forms.ModelForm):
    url = forms.URLField(label=_lazy_url, required=False, max_length=2000, assume_scheme="https")

    class Meta:
        model = Source
        fields = ["office", "kind", *EDITABLE]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        probe = Source(
            office=data.get("office") or getattr(self.instance, "office", None),
            kind=data.get("kind") or self.instance.kind,
            **{name: data.get(name, getattr(self.instance, name)) for name in EDITABLE},
        )
        try:
            services.clean_source(probe)
        except ValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            ) from None
        return data


def _show_key(request: HttpRequest, source: Source, key: str) -> None:
    messages.warning(
        request,
        _(
            "Push key of “%(source)s”: %(key)s — copy it now into the sending system; it "
            "is shown only this once."
        )
        % {"source": source.name, "key": key},
    )


@admin.register(Source)
class SourceAdmin(PolicyAdmin):
    policy_action = "source.manage"
    form = SourceAdminForm
    list_display = ["name", "kind", "office", "is_active", "push_key_prefix", "last_success_at"]
    list_filter = ["kind", "is_active", "office"]
    search_fields = ["name", "outlet", "url"]
    readonly_fields = ["push_key_prefix", "last_polled_at", "last_success_at", "last_error"]
    actions = ["issue_new_push_key"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # a source never changes office or kind
            return [*self.readonly_fields, "office", "kind"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {name: data[name] for name in EDITABLE if name in data}
        if change:
            saved = services.update_source(request.user, Source.objects.get(pk=obj.pk), **fields)
        else:
            saved = services.create_source(
                request.user, data["office"], kind=data["kind"], **fields
            )
            if saved.new_push_key:
                _show_key(request, saved, saved.new_push_key)
        obj.pk = saved.pk

    @admin.action(description=gettext_lazy("Issue a new push key (the old one stops working)"))
    def issue_new_push_key(self, request, queryset):
        for source in queryset.filter(kind=SourceKind.PUSH):
            _show_key(request, source, services.issue_push_key(request.user, source))


@admin.register(SentimentModelVersion)
class SentimentModelVersionAdmin(admin.ModelAdmin[SentimentModelVersion]):
    """Read-only: versions are made by the retraining (task or ``prima retrain-sentiment``),
    never by hand; the artefact itself is not shown."""

    list_display = ["pk", "created_at", "corrections", "seconds"]
    fields = ("created_at", "corrections", "seconds", "metrics", "card_html")
    readonly_fields = ("created_at", "corrections", "seconds", "metrics", "card_html")
    actions = None

    def get_queryset(self, request: HttpRequest) -> QuerySet[SentimentModelVersion]:
        return retraining.versions()

    @admin.display(description=gettext_lazy("model card"))
    def card_html(self, obj: SentimentModelVersion) -> str:
        return markup.render(obj.card)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return policy.can_anywhere(request.user, "mention.view")

    def has_view_permission(
        self, request: HttpRequest, obj: SentimentModelVersion | None = None
    ) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: SentimentModelVersion | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: SentimentModelVersion | None = None
    ) -> bool:
        return False

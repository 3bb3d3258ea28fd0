"""Admin for the conference registers and checklist templates.

Policy-scoped like every PRIMA admin (:class:`PolicyAdmin`); saves of registers go through
the workflow functions, so the admin applies the same rules and writes the same audit
entries as the pages. Checklist templates that a conference was created from are
read-only: "Create a new version" copies one for editing.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from prima.organizations import audit, policy
from prima.organizations.admin import PolicyAdmin
from prima.organizations.models import User

from . import checklists, workflow
from .models import (
    ChecklistTemplate,
    ChecklistTemplateItem,
    Conference,
    Delegation,
    IssueLevel,
    MediaContact,
    Spokesperson,
    Topic,
)


def _form_error(exc: workflow.WorkflowError) -> ValidationError:
    return ValidationError({exc.field: exc.message} if exc.field else exc.message)


# --- Checklist templates ----------------------------------------------------------------
class ChecklistTemplateItemInline(admin.TabularInline):
    model = ChecklistTemplateItem
    extra = 0
    fields = ["order", "stage", "code", "label", "label_id", "required", "evidence_kind"]

    def _editable(self, request, obj) -> bool:
        return obj is None or not obj.is_in_use

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj)


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(PolicyAdmin):
    """National templates (no office) are managed by administrators of a root office."""

    policy_action = "checklisttemplate.manage"
    list_display = ["name", "conference_type", "version", "office", "is_active", "source"]
    list_filter = ["conference_type", "is_active"]
    fields = ["name", "conference_type", "office", "version", "is_active", "notes", "source"]
    readonly_fields = ["version", "source"]
    inlines = [ChecklistTemplateItemInline]
    actions = ["make_new_version"]

    def get_queryset(self, request: HttpRequest):
        qs = admin.ModelAdmin.get_queryset(self, request)
        q = policy.office_q(request.user, self.policy_action)
        if policy.can_at_top(request.user, self.policy_action):
            q |= Q(office__isnull=True)
        return qs.filter(q)

    def _allowed(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and obj.office_id is None:
            return policy.can_at_top(request.user, self.policy_action)
        return super()._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_in_use:
            return False
        return self._allowed(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "conference_type", "office"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not self._allowed(request, obj):
            raise PermissionError("Not allowed for this office.")
        with transaction.atomic():
            before = audit.snapshot(ChecklistTemplate.objects.get(pk=obj.pk)) if change else None
            if not change:
                obj.version = checklists.next_version(obj.office, obj.conference_type)
                obj.source = "admin"
            obj.save()
            action = "checklisttemplate.update" if change else "checklisttemplate.create"
            audit.log(request.user, action, obj, before=before, after=audit.snapshot(obj))

    @admin.action(description=_("Create a new version (copy, inactive until activated)"))
    def make_new_version(self, request, queryset):
        for template in queryset:
            if not self._allowed(request, template):
                continue
            copy = checklists.new_version(template, request.user)
            messages.success(request, _("Created %(template)s.") % {"template": copy})


# --- Registers --------------------------------------------------------------------------
class SpokespersonForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("topics"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )
    levels = forms.TypedMultipleChoiceField(
        label=_("issue levels"),
        choices=IssueLevel.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Spokesperson
        fields = [
            "office",
            "user",
            "name",
            "position",
            "decree_number",
            "decree_date",
            "valid_from",
            "valid_until",
            "topics",
            "levels",
            "last_media_training_on",
            "is_active",
            "notes",
        ]

    def clean(self):
        data = super().clean() or {}
        fields = {k: v for k, v in data.items() if k in workflow.SPOKESPERSON_FIELDS}
        try:
            workflow.clean_spokesperson_fields(fields, self.instance if self.instance.pk else None)
        except workflow.WorkflowError as exc:
            raise _form_error(exc) from None
        return data


def _version_conflict(request, exc: workflow.WorkflowError) -> None:
    messages.error(request, exc.message)


@admin.register(Spokesperson)
class SpokespersonAdmin(PolicyAdmin):
    policy_action = "spokesperson.manage"
    form = SpokespersonForm
    list_display = [
        "display_name",
        "office",
        "decree_number",
        "valid_from",
        "valid_until",
        "last_media_training_on",
        "is_active",
    ]
    list_filter = ["is_active", "office"]
    search_fields = ["name", "user__full_name", "decree_number"]
    autocomplete_fields = ["user", "office"]

    def save_model(self, request, obj, form, change):
        fields = {k: v for k, v in form.cleaned_data.items() if k in workflow.SPOKESPERSON_FIELDS}
        existing = Spokesperson.objects.get(pk=obj.pk) if change else None
        saved = workflow.save_spokesperson(
            request.user, office=form.cleaned_data["office"], spokesperson=existing, **fields
        )
        obj.pk = saved.pk


class MediaContactForm(forms.ModelForm):
    class Meta:
        model = MediaContact
        fields = [
            "office",
            "outlet",
            "media_type",
            "journalist",
            "beat",
            "phone",
            "email",
            "dewan_pers_verified",
            "last_contact_on",
            "notes",
            "is_active",
        ]

    def clean(self):
        data = super().clean() or {}
        fields = {k: v for k, v in data.items() if k in workflow.CONTACT_FIELDS}
        try:
            workflow.clean_contact_fields(fields, creating=self.instance.pk is None)
        except workflow.WorkflowError as exc:
            raise _form_error(exc) from None
        return data


@admin.register(MediaContact)
class MediaContactAdmin(PolicyAdmin):
    policy_action = "mediacontact.manage"
    form = MediaContactForm
    list_display = [
        "journalist",
        "outlet",
        "media_type",
        "beat",
        "dewan_pers_verified",
        "last_contact_on",
        "office",
        "is_active",
    ]
    list_filter = ["media_type", "dewan_pers_verified", "is_active", "office"]
    search_fields = ["journalist", "outlet", "beat"]
    autocomplete_fields = ["office"]

    def save_model(self, request, obj, form, change):
        fields = {k: v for k, v in form.cleaned_data.items() if k in workflow.CONTACT_FIELDS}
        existing = MediaContact.objects.get(pk=obj.pk) if change else None
        saved = workflow.save_media_contact(
            request.user, office=form.cleaned_data["office"], contact=existing, **fields
        )
        obj.pk = saved.pk


class DelegationForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = ["office", "delegate", "right", "valid_from", "valid_until", "reason"]

    request: HttpRequest | None = None  # set by DelegationAdmin.get_form

    def clean(self):
        data = super().clean() or {}
        user = self.request.user if self.request is not None else None
        if isinstance(user, User) and data.get("office") and data.get("delegate"):
            try:
                workflow.clean_delegation(
                    user,
                    office=data["office"],
                    delegate=data["delegate"],
                    valid_from=data.get("valid_from"),
                    valid_until=data.get("valid_until"),
                    right=data.get("right", ""),
                )
            except workflow.WorkflowError as exc:
                raise _form_error(exc) from None
        return data


@admin.register(Delegation)
class DelegationAdmin(PolicyAdmin):
    """Delegations are granted and revoked, never edited."""

    policy_action = "delegation.manage"
    form = DelegationForm
    list_display = [
        "delegate",
        "right",
        "office",
        "valid_from",
        "valid_until",
        "granted_by",
        "revoked_at",
    ]
    list_filter = ["right", "office"]
    autocomplete_fields = ["delegate", "office"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        # The delegation rules depend on who grants it.
        return type(form_class.__name__, (form_class,), {"request": request})

    def has_change_permission(self, request, obj=None):
        return obj is None and self._allowed(request)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = workflow.grant_delegation(
            request.user,
            office=data["office"],
            delegate=data["delegate"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            reason=data.get("reason", ""),
            right=data["right"],
        )
        obj.pk = saved.pk

    @admin.action(description=_("Revoke the selected delegations"))
    def revoke(self, request, queryset):
        for delegation in queryset.filter(revoked_at__isnull=True):
            try:
                workflow.revoke_delegation(request.user, delegation)
            except workflow.WorkflowError as exc:
                _version_conflict(request, exc)


# --- Conferences (read-only: they change through the workflow pages) --------------------
@admin.register(Conference)
class ConferenceAdmin(PolicyAdmin):
    policy_action = "conference.view"
    list_display = [
        "title",
        "type",
        "stage",
        "status",
        "is_exercise",
        "office",
        "opened_at",
        "scheduled_at",
    ]
    list_filter = ["type", "stage", "status", "is_exercise"]
    search_fields = ["title"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Conference._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

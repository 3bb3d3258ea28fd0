"""Back-office admin. Access, querysets and every save go through the policy and the
audit trail, exactly as the pages do; audit entries are read-only here."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import audit, policy
from .models import ApiToken, AuditEntry, LoginFailure, Membership, Office, User


class PolicyAdmin(admin.ModelAdmin):
    """A ModelAdmin whose permissions come from ``policy`` and whose saves are audited.

    ``policy_action`` is the action needed to see and change objects here; ``office_field``
    the foreign key that places an object in an office ("" for Office itself).
    """

    policy_action = "office.change"
    office_field = "office"
    audit_kind = ""
    allow_delete = False

    def get_queryset(self, request: HttpRequest):
        return policy.scope(
            request.user, self.policy_action, super().get_queryset(request), self.office_field
        )

    def _allowed(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return policy.offices(request.user, self.policy_action).exists()
        return policy.can(request.user, self.policy_action, policy.office_of(obj))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request, obj)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.allow_delete and self._allowed(request, obj)

    def _kind(self, obj) -> str:
        return self.audit_kind or obj._meta.model_name

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Choices are limited to what the policy lets this person manage, so a regional
        # administrator cannot attach people or offices to another region.
        if db_field.related_model is Office:
            kwargs["queryset"] = policy.offices(request.user, self.policy_action)
        elif db_field.related_model is User:
            kwargs["queryset"] = policy.scope(request.user, self.policy_action, User.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _check_save(self, request, obj, change) -> None:
        """Refuse (403) saving ``obj`` where the policy does not allow it: the stored
        object's office before the change, and the office it is placed in after it."""
        if change:
            stored = type(obj)._default_manager.get(pk=obj.pk)
            if not policy.can(request.user, self.policy_action, policy.office_of(stored)):
                raise PermissionDenied
        if isinstance(obj, Office):
            target = obj.parent
        else:
            target = policy.office_of(obj)
        if target is None:
            # A new top of the tree: only for those holding the right at a top office.
            if not any(
                m.office.parent_id is None
                and policy.can(request.user, self.policy_action, m.office)
                for m in policy.memberships(request.user)
            ):
                raise PermissionDenied
        elif not policy.can(request.user, self.policy_action, target):
            raise PermissionDenied

    def save_model(self, request, obj, form, change):
        self._check_save(request, obj, change)
        with transaction.atomic():
            before = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            audit.log(
                request.user,
                f"{self._kind(obj)}.{'update' if change else 'create'}",
                obj,
                before=before,
                after=audit.snapshot(obj),
            )

    def delete_model(self, request, obj):
        audit.log_deletion(request.user, f"{self._kind(obj)}.delete", obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                audit.log_deletion(request.user, f"{obj._meta.model_name}.delete", obj)
            for obj in instances:
                is_new = obj.pk is None
                before = (
                    None if is_new else audit.snapshot(type(obj)._default_manager.get(pk=obj.pk))
                )
                obj.save()
                audit.log(
                    request.user,
                    f"{obj._meta.model_name}.{'create' if is_new else 'update'}",
                    obj,
                    before=before,
                    after=audit.snapshot(obj),
                )
            formset.save_m2m()


@admin.register(Office)
class OfficeAdmin(PolicyAdmin):
    policy_action = "office.change"
    office_field = ""
    list_display = ["name", "short_name", "code", "level", "parent", "timezone", "is_active"]
    list_filter = ["level", "is_active", "timezone"]
    search_fields = ["name", "short_name", "code", "city"]
    autocomplete_fields = ["parent"]

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["office"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Office:
            kwargs["queryset"] = policy.offices(request.user, "user.manage")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None):
        return policy.offices(request.user, "user.manage").exists()

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


@admin.register(User)
class UserAdmin(PolicyAdmin, DjangoUserAdmin):
    policy_action = "user.manage"
    office_field = "office"
    audit_kind = "user"
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "title", "office", "is_active", "last_login"]
    list_filter = ["is_active", "office", "memberships__role"]
    search_fields = ["username", "full_name", "email", "title"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "title", "email", "phone", "office")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "office", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]


@admin.register(ApiToken)
class ApiTokenAdmin(PolicyAdmin):
    policy_action = "apitoken.manage"
    office_field = "user__office"
    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    fields = ["user", "name", "revoked_at"]
    autocomplete_fields = ["user"]

    def _allowed(self, request, obj=None):
        if obj is None:
            return policy.offices(request.user, self.policy_action).exists()
        return obj.user.office is not None and policy.can(
            request.user, self.policy_action, obj.user.office
        )

    def save_model(self, request, obj, form, change):
        if not change:
            key = ApiToken.new_key()
            obj.key_prefix = key[:12]
            obj.key_hash = ApiToken.hash_key(key)
            messages.warning(
                request,
                _("The new token is %(key)s — copy it now, it will not be shown again.")
                % {"key": key},
            )
        if obj.user.office is None or not policy.can(
            request.user, self.policy_action, obj.user.office
        ):
            raise PermissionDenied
        with transaction.atomic():
            before = audit.snapshot(ApiToken.objects.get(pk=obj.pk)) if change else None
            obj.save()
            audit.log(
                request.user,
                f"apitoken.{'update' if change else 'create'}",
                obj,
                before=before,
                after=audit.snapshot(obj),
                office=obj.user.office,
            )


@admin.register(AuditEntry)
class AuditEntryAdmin(PolicyAdmin):
    """Read-only: no add, change or delete — for anybody."""

    policy_action = "audit.view"
    list_display = ["seq", "at", "actor_label", "ip", "action", "object_type", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_label", "actor_label", "action"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ["username", "ip", "at"]
    readonly_fields = ["username", "ip", "at"]

    def has_module_permission(self, request):
        return policy.offices(request.user, "user.manage").exists()

    has_view_permission = has_module_permission

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return policy.offices(request.user, "user.manage").exists()

"""Admin for the service catalogue: read-only views of services, versions and fees, with
the same actions as the pages (publish, return) going through
:mod:`prima.catalogue.services` — so four eyes, policy and audit apply here too.

Content is written on the catalogue pages (/catalogue/), not here: a published version
never changes.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from prima.organizations.admin import PolicyAdmin
from prima.organizations.models import User

from . import services
from .models import Fee, Service, ServiceVersion


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FeeInline(ReadOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = Fee
    extra = 0
    fields = ("code", "label", "amount", "currency", "unit", "legal_basis", "is_surcharge")
    readonly_fields = fields


class VersionInline(ReadOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = ServiceVersion
    extra = 0
    fields = ("number", "state", "name", "effective_from", "author", "published_by")
    readonly_fields = fields
    show_change_link = True


@admin.register(Service)
class ServiceAdmin(ReadOnlyMixin, PolicyAdmin[Service]):
    policy_action = "service.view"
    list_display = ["code", "category", "office", "order"]
    list_filter = ["category"]
    search_fields = ["code", "versions__name"]
    readonly_fields = ["office", "code", "category", "order", "created_by", "created_at"]
    inlines = [VersionInline]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)


@admin.register(ServiceVersion)
class ServiceVersionAdmin(ReadOnlyMixin, PolicyAdmin[ServiceVersion]):
    policy_action = "service.view"
    office_field = "service__office"
    list_display = ["name", "number", "state", "effective_from", "service", "is_example"]
    list_filter = ["state", "is_example"]
    search_fields = ["name", "service__code"]
    readonly_fields = [
        "service", "number", "state", "effective_from", "name", "name_en", "summary",
        "requirements", "procedure", "duration_value", "duration_unit", "duration_note",
        "legal_basis", "product", "complaint_channels", "rights", "obligations",
        "change_note", "is_example", "author", "submitted_by", "submitted_at",
        "returned_by", "returned_at", "return_reason", "published_by", "published_at",
    ]  # fmt: skip
    inlines = [FeeInline]
    actions = ["publish_versions"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    @admin.action(description=_("Approve and publish the selected submitted versions"))
    def publish_versions(self, request: HttpRequest, queryset: QuerySet[ServiceVersion]) -> None:
        user = cast(User, request.user)
        done = 0
        for version in queryset.select_related("service", "service__office"):
            try:
                services.publish(user, version)
            except services.CatalogueError as exc:
                self.message_user(request, f"{version}: {exc.message}", messages.ERROR)
            except (Http404, PermissionDenied):
                self.message_user(
                    request,
                    f"{version}: " + str(_("your role does not allow publishing it")),
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(
                request, _("%(n)d version(s) published.") % {"n": done}, messages.SUCCESS
            )

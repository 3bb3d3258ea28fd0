"""The admin site: only people holding the administrator role (per policy) get in."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class PrimaAdminSite(admin.AdminSite):
    site_header = "PRIMA"
    site_title = "PRIMA"

    def has_permission(self, request: HttpRequest) -> bool:
        from prima.organizations import policy

        user = request.user
        return bool(user.is_active and user.is_staff and "admin" in policy.roles(user))


class PrimaAdminConfig(AdminConfig):
    default_site = "prima.front.admin_site.PrimaAdminSite"

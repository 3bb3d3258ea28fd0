"""The admin site: only the people the policy lets administer get in."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class PrimaAdminSite(admin.AdminSite):
    site_header = "PRIMA"
    site_title = "PRIMA"

    def has_permission(self, request: HttpRequest) -> bool:
        from prima.organizations import policy

        return policy.may_administer(request.user)


class PrimaAdminConfig(AdminConfig):
    default_site = "prima.front.admin_site.PrimaAdminSite"

"""Admin for the documents app: each office's letterhead (audited saves, policy-scoped)
and the generated documents (read-only: what was generated is never changed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from prima.organizations.admin import PolicyAdmin
from prima.organizations.files import original_name

from .models import GeneratedDocument, Letterhead


class LetterheadForm(forms.ModelForm[Letterhead]):
    class Meta:
        model = Letterhead
        fields = "__all__"
        # A plain file input: stored files are not served from a URL the admin could link.
        widgets = {"logo": forms.FileInput(attrs={"accept": "image/png,image/jpeg"})}


@admin.register(Letterhead)
class LetterheadAdmin(PolicyAdmin[Letterhead]):
    policy_action = "letterhead.manage"
    form = LetterheadForm
    list_display = ["office", "name", "city", "contact_name", "updated_at"]
    readonly_fields = ["current_logo"]
    autocomplete_fields = ["office"]

    @admin.display(description="logo")
    def current_logo(self, obj: Letterhead) -> str:
        return original_name(obj.logo.name) if obj.logo else "—"


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(PolicyAdmin[GeneratedDocument]):
    policy_action = "document.view"
    list_display = [
        "__str__",
        "office",
        "conference",
        "case",
        "language",
        "status",
        "sha256",
        "created_by",
        "created_at",
    ]
    list_filter = ["kind", "format", "language", "status"]
    search_fields = ["title", "sha256"]
    actions = None

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in GeneratedDocument._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

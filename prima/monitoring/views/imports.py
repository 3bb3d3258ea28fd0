"""Importing social-media exports: upload, column mapping, progress and report."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.organizations import files, policy
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.models import Office, User

from .. import services
from ..forms import (
    MappingForm,
    UploadForm,
)
from ..models import (
    ColumnMappingPreset,
    IngestJob,
    Source,
    SourceKind,
)

PENDING_KEY = "monitoring_pending_imports"


def _import_sources(user: User, offices: list[Office]) -> QuerySet[Source]:
    return Source.objects.filter(
        office__in=offices, kind=SourceKind.SOCIAL_IMPORT, is_active=True
    ).order_by("name")


@login_required
def import_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Imports the user may see, and step 1 of a new one (the upload)."""
    if not policy.can_anywhere(request.user, "import.view"):
        raise PermissionDenied
    run_offices = list(policy.offices(request.user, "import.run").order_by("path"))
    sources = list(_import_sources(request.user, run_offices))
    form = None
    if run_offices:
        form = UploadForm(
            request.POST or None, request.FILES or None, offices=run_offices, sources=sources
        )
        if request.method == "POST" and form.is_valid():
            token = _stash_upload(request, form)
            if token:
                return redirect("monitoring:import-mapping", token=token)
    elif request.method == "POST":
        raise PermissionDenied
    jobs = (
        policy.scope(request.user, "import.view", IngestJob.objects.all())
        .filter(kind__in=["file", "urls"])
        .select_related("source", "created_by")
        .order_by("-created_at", "-pk")[:50]
    )
    presets = ColumnMappingPreset.objects.filter(office__in=run_offices).order_by("name")
    return render(
        request,
        "monitoring/import_list.html",
        {"form": form, "jobs": jobs, "presets": presets},
    )


def _stash_upload(request: AuthenticatedHttpRequest, form: UploadForm) -> str | None:
    """Keep the uploaded file until the mapping is chosen; return a token for step 2."""
    office: Office = form.cleaned_data["office"]
    source_id = form.cleaned_data.get("source")
    if source_id and not _import_sources(request.user, [office]).filter(pk=source_id).exists():
        form.add_error("source", _("Choose a source of this office."))
        return None
    upload = form.cleaned_data["file"]
    token = uuid.uuid4().hex
    try:
        # No row refers to it (the session does): nothing to roll back but the file.
        with files.atomic():
            path = files.save(files.private_name("monitoring/pending", upload.name), upload)
    except files.StorageError as exc:
        form.add_error("file", exc.messages)
        return None
    pending = request.session.get(PENDING_KEY, {})
    # Keep the session small: only the last few unfinished uploads.
    for old in list(pending)[:-4]:
        default_storage.delete(pending.pop(old)["path"])
    pending[token] = {
        "path": path,
        "filename": upload.name[:255],
        "size": upload.size,
        "office": office.pk,
        "source": source_id,
        "new_source": (form.cleaned_data.get("new_source") or "").strip(),
    }
    request.session[PENDING_KEY] = pending
    return token


@login_required
def import_mapping(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """Step 2: check the suggested column mapping (or pick a preset) and start."""
    pending = request.session.get(PENDING_KEY, {}).get(token)
    if pending is None or not default_storage.exists(pending["path"]):
        raise Http404
    office = policy.get_for(request.user, "import.run", Office, pk=pending["office"])
    with default_storage.open(pending["path"], "rb") as fh:
        inspection = services.inspect_upload(fh, pending["filename"])
    file_format, columns, suggested = inspection.format, inspection.columns, inspection.suggested
    if file_format is None or not columns:
        _drop_pending(request, token)
        # The reason the import itself would give (prima ingest says the same).
        messages.error(
            request,
            _("PRIMA cannot import this file: %(reason)s") % {"reason": inspection.problem}
            if inspection.problem
            else _(
                "PRIMA could not read columns from this file: is it really a "
                "CSV, JSON, NDJSON or zip export?"
            ),
        )
        return redirect("monitoring:import-list")
    presets = services.available_presets(office)
    form = MappingForm(request.POST or None, columns=columns, presets=presets, suggested=suggested)
    if request.method == "POST" and form.is_valid():
        try:
            job = _start_import(request, office, pending, form)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            _drop_pending(request, token)
            return redirect("monitoring:import-detail", pk=job.pk)
    return render(
        request,
        "monitoring/import_mapping.html",
        {
            "form": form,
            "pending": pending,
            "format": file_format,
            "columns": columns,
            "office": office,
        },
    )


def _start_import(
    request: AuthenticatedHttpRequest, office: Office, pending: dict, form: MappingForm
):
    user = request.user
    if pending["source"]:
        source = policy.get_for(user, "import.run", Source, pk=pending["source"])
    else:
        source = services.source_for_import(user, office, pending["new_source"])
    preset = form.cleaned_data.get("preset") or ""
    mapping = None if preset else form.mapping()
    if mapping and form.cleaned_data.get("save_as"):
        services.save_preset(user, office, form.cleaned_data["save_as"], mapping)
    with default_storage.open(pending["path"], "rb") as fh:
        return services.start_file_import(
            user, source, File(fh, name=pending["filename"]), mapping=mapping, preset=preset
        )


def _drop_pending(request: AuthenticatedHttpRequest, token: str) -> None:
    pending = request.session.get(PENDING_KEY, {})
    entry = pending.pop(token, None)
    if entry:
        default_storage.delete(entry["path"])
    request.session[PENDING_KEY] = pending


def _job(user: User, pk: int, action: str = "import.view") -> IngestJob:
    return policy.get_for(
        user, action, IngestJob.objects.select_related("source", "office", "created_by"), pk=pk
    )


MAX_REJECTIONS_SHOWN = 200


def _job_context(job: IngestJob) -> dict[str, Any]:
    context: dict[str, Any] = {"job": job, "tz": job.office.timezone}
    if job.is_finished:
        context["rejections"] = list(job.rejections.all()[:MAX_REJECTIONS_SHOWN])
        context["more_rejections"] = max(0, job.rejected - MAX_REJECTIONS_SHOWN)
    return context


@login_required
def import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = _job(request.user, pk)
    context = _job_context(job)
    context["can_run"] = policy.can(request.user, "import.run", job.office)
    return render(request, "monitoring/import_detail.html", context)


@login_required
def import_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The file an import read, as it was uploaded (for those who may see the import)."""
    job = _job(request.user, pk)
    return files.serve(job.file, job.filename or None)


@login_required
def import_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The progress panel alone, polled by htmx until the job has finished."""
    job = _job(request.user, pk)
    # The panel replaces itself; once the job has finished it carries the report and no
    # longer polls.
    return render(request, "monitoring/_import_progress.html", _job_context(job))


@login_required
@require_POST
def import_action(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = _job(request.user, pk, "import.run")
    try:
        if request.POST.get("action") == "cancel":
            services.cancel_job(request.user, job)
            messages.success(request, _("The import will stop after the current chunk."))
        elif request.POST.get("action") == "retry":
            services.retry_job(request.user, job)
            messages.success(request, _("The import was started again."))
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("monitoring:import-detail", pk=job.pk)


@login_required
@require_POST
def preset_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    preset = policy.get_for(request.user, "import.run", ColumnMappingPreset, pk=pk)
    services.delete_preset(request.user, preset)
    messages.success(request, _("Saved mapping deleted."))
    return HttpResponseRedirect(reverse("monitoring:import-list"))

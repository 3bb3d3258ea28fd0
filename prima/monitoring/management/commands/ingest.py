"""``prima ingest FILE|URL``: import a social-media export, a feed or article pages now.

A thin caller of the import services (:func:`~prima.monitoring.services.start_file_import`,
:func:`~prima.monitoring.services.start_url_import`,
:func:`~prima.monitoring.services.start_feed_import`,
:func:`~prima.monitoring.services.retry_job`), exactly like the import pages and the API:
the same checks, the same stored job, the same audit entry, in the name of ``--user``.
The only difference is that this process runs the job itself (no worker needed), with a
progress bar, and prints the report: accepted, duplicate and rejected entries with the
reasons. Re-running is safe: nothing is stored twice. ``--resume JOB`` continues an import
that stopped (a failed one is retried, audited).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from tqdm import tqdm

from prima.organizations import policy
from prima.organizations.models import Office, User

from ... import services
from ...ingest import process_job, worker_id
from ...models import IngestJob, JobStatus, Source, SourceKind
from ...parsers.base import clean_url

DEFAULT_SOURCES = {
    SourceKind.SOCIAL_IMPORT: "Impor berkas (CLI)",
    SourceKind.ARTICLE: "Artikel (CLI)",
    SourceKind.RSS: "Feed (CLI)",
}
SOURCE_KINDS = {
    "social": SourceKind.SOCIAL_IMPORT,
    "feed": SourceKind.RSS,
    "article": SourceKind.ARTICLE,
    "urls": SourceKind.ARTICLE,
}


class Command(BaseCommand):
    help = "Import a social-media export (CSV/JSON/NDJSON/zip), a feed URL or article URLs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", nargs="?", help="a file, or an http(s) URL")
        parser.add_argument("--office", help="office code (needed unless --source is an id)")
        parser.add_argument("--source", help="source id, or name within --office")
        parser.add_argument(
            "--kind",
            choices=sorted(SOURCE_KINDS),
            help="what the target is (default: guessed)",
        )
        parser.add_argument("--preset", default="", help="column-mapping preset name")
        parser.add_argument(
            "--user", help="user name the import runs as (and is recorded under); required"
        )
        parser.add_argument("--resume", type=int, metavar="JOB", help="continue a stopped job")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options["user"])
        try:
            if options["resume"]:
                job = self._resume(user, options["resume"])
            else:
                if not options["target"]:
                    raise CommandError("Give a file or a URL (or --resume JOB).")
                job = self._start(user, options)
                self.stdout.write(f"Import job {job.pk}: {job} ({job.get_kind_display()})")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except Http404:
            raise CommandError(f"{user.username} has no access to that office.") from None
        except PermissionDenied:
            raise CommandError(f"{user.username} may not import into that office.") from None
        self._run(job, quiet=options["quiet"])

    # Who, what, where ------------------------------------------------------------------------

    def _user(self, username: str | None) -> User:
        if not username:
            raise CommandError(
                "Give --user USERNAME: imports run as a person who may import in the office, "
                "and the audit trail records them."
            )
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        return user

    def _resume(self, user: User, pk: int) -> IngestJob:
        job = IngestJob.objects.select_related("office").filter(pk=pk).first()
        if job is None:
            raise CommandError(f"No import job {pk}.")
        if job.status == JobStatus.FAILED:
            return services.retry_job(user, job, enqueue=False)
        if job.is_finished:
            raise CommandError(f"Job {job.pk} is {job.status}; nothing to resume.")
        # Queued, or running with a worker that stopped: nothing changes but who runs it.
        policy.check(user, "import.run", job)
        return job

    def _start(self, user: User, options: dict[str, Any]) -> IngestJob:
        target: str = options["target"]
        kind = options["kind"] or ("article" if clean_url(target) else "social")
        source = self._source(user, options, SOURCE_KINDS[kind])
        if kind == "social":
            path = self._file(target)
            with path.open("rb") as fh:
                return services.start_file_import(
                    user, source, File(fh, name=path.name), preset=options["preset"],
                    enqueue=False,
                )  # fmt: skip
        if kind == "feed":
            return services.start_feed_import(user, source, target, enqueue=False)
        if kind == "urls":
            text = self._file(target).read_text(encoding="utf-8", errors="replace")
            return services.start_url_import(user, source, text, enqueue=False)
        return services.start_url_import(user, source, [target], enqueue=False)

    def _file(self, target: str) -> Path:
        path = Path(target)
        if not path.is_file():
            raise CommandError(f"No such file: {target}")
        return path

    def _source(self, user: User, options: dict[str, Any], kind: str) -> Source:
        office = None
        if options["office"]:
            office = Office.objects.filter(code=options["office"]).first()
            if office is None:
                raise CommandError(f"No office with code {options['office']!r}.")
        wanted = options["source"]
        if wanted and wanted.isdigit():
            source = Source.objects.select_related("office").filter(pk=int(wanted)).first()
        elif wanted:
            if office is None:
                raise CommandError("--source by name needs --office.")
            source = Source.objects.filter(office=office, name=wanted).first()
        else:
            if office is None:
                raise CommandError("Give --office (and optionally --source).")
            source = self._default_source(user, office, kind, options["target"])
        if source is None:
            raise CommandError(f"No source {wanted!r}.")
        if source.kind != kind:
            raise CommandError(
                f"Source {source} is a {source.get_kind_display()} source, not "
                f"{SourceKind(kind).label}."
            )
        return source

    def _default_source(self, user: User, office: Office, kind: str, target: str) -> Source:
        """The office's "(CLI)" source of the kind, found or created (audited) by the
        import service as the import page does. The feed one is created inactive:
        importing a feed once does not subscribe to it."""
        name = DEFAULT_SOURCES[SourceKind(kind)]
        if kind != SourceKind.RSS:
            return services.source_for_import(user, office, name, kind=kind)
        source = Source.objects.filter(office=office, name=name).first()
        if source is not None:
            return source
        return services.create_source(
            user, office, kind=kind, name=name, url=clean_url(target), is_active=False
        )

    # Running it ------------------------------------------------------------------------------

    def _run(self, job: IngestJob, *, quiet: bool) -> None:
        bar = None if quiet else tqdm(total=job.total, initial=job.position, unit="entry",  # type: ignore[call-overload]
                                      file=self.stderr._out, mininterval=0.5)  # fmt: skip

        def progress(current: IngestJob) -> None:
            if bar is not None:
                if current.total and bar.total != current.total:
                    bar.total = current.total
                bar.update(current.position - bar.n)
                bar.set_postfix(accepted=current.accepted, duplicates=current.duplicates,
                                rejected=current.rejected, refresh=False)  # fmt: skip

        done = process_job(job.pk, worker=worker_id(), progress=progress)
        if bar is not None:
            bar.close()
        if done is None:
            raise CommandError(f"Job {job.pk} is being processed by another worker.")
        self._report(done)

    def _report(self, job: IngestJob) -> None:
        style = self.style.SUCCESS if job.status == JobStatus.DONE else self.style.ERROR
        self.stdout.write(style(f"Job {job.pk}: {job.get_status_display()}"))
        self.stdout.write(f"  accepted   {job.accepted:>9,}")
        self.stdout.write(f"  duplicates {job.duplicates:>9,}")
        self.stdout.write(f"  rejected   {job.rejected:>9,}")
        for error in job.errors:
            self.stdout.write(self.style.ERROR(f"  error: {error}"))
        for warning in job.warnings[:20]:
            self.stdout.write(self.style.WARNING(f"  warning: {warning}"))
        rejections = list(job.rejections.all()[:20])
        for rejection in rejections:
            where = f"{rejection.member}: " if rejection.member else ""
            self.stdout.write(f"  {where}row {rejection.position}: {rejection.reason}")
        if job.rejected > len(rejections):
            self.stdout.write(f"  … {job.rejected - len(rejections):,} more rejections")

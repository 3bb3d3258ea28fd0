"""``prima ingest FILE|URL``: import a social-media export, a feed or article pages now.

Runs in this process (no worker needed) with a progress bar and prints the report:
accepted, duplicate and rejected entries with the reasons. Re-running is safe: nothing
is stored twice. ``--resume JOB`` continues an import that stopped.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from prima.organizations import audit
from prima.organizations.models import Office, User

from ...ingest import process_job, worker_id
from ...models import IngestJob, JobKind, Source, SourceKind
from ...parsers.base import clean_url
from ...parsers.social import detect_format
from ...services import check_upload_size, resolve_mapping
from ...sources.article.transport import split_urls

DEFAULT_SOURCES = {
    SourceKind.SOCIAL_IMPORT: "Impor berkas (CLI)",
    SourceKind.ARTICLE: "Artikel (CLI)",
    SourceKind.RSS: "Feed (CLI)",
}


class Command(BaseCommand):
    help = "Import a social-media export (CSV/JSON/NDJSON/zip), a feed URL or article URLs."

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="a file, or an http(s) URL")
        parser.add_argument("--office", help="office code (needed unless --source is an id)")
        parser.add_argument("--source", help="source id, or name within --office")
        parser.add_argument(
            "--kind",
            choices=["social", "feed", "article", "urls"],
            help="what the target is (default: guessed)",
        )
        parser.add_argument("--preset", default="", help="column-mapping preset name")
        parser.add_argument("--user", help="user name recorded as having started the import")
        parser.add_argument("--resume", type=int, metavar="JOB", help="continue a stopped job")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}.")
        if options["resume"]:
            job = IngestJob.objects.filter(pk=options["resume"]).first()
            if job is None:
                raise CommandError(f"No import job {options['resume']}.")
            if job.is_finished and job.status != "failed":
                raise CommandError(f"Job {job.pk} is {job.status}; nothing to resume.")
            if job.status == "failed":
                IngestJob.objects.filter(pk=job.pk).update(status="queued", errors=[])
        else:
            if not options["target"]:
                raise CommandError("Give a file or a URL (or --resume JOB).")
            job = self._create_job(options, user)
        self._run(job, quiet=options["quiet"])

    # Creating the job -------------------------------------------------------------------

    def _kind(self, target: str, options) -> str:
        if options["kind"]:
            return {"social": "social", "feed": "feed", "article": "article",
                    "urls": "urls"}[options["kind"]]  # fmt: skip
        if clean_url(target):
            return "article"
        return "social"

    def _source(self, options, kind: str) -> Source:
        source_kind = {
            "social": SourceKind.SOCIAL_IMPORT,
            "feed": SourceKind.RSS,
            "article": SourceKind.ARTICLE,
            "urls": SourceKind.ARTICLE,
        }[kind]
        office = None
        if options["office"]:
            office = Office.objects.filter(code=options["office"]).first()
            if office is None:
                raise CommandError(f"No office with code {options['office']!r}.")
        wanted = options["source"]
        if wanted and wanted.isdigit():
            source = Source.objects.filter(pk=int(wanted)).first()
        elif wanted:
            if office is None:
                raise CommandError("--source by name needs --office.")
            source = Source.objects.filter(office=office, name=wanted).first()
        else:
            if office is None:
                raise CommandError("Give --office (and optionally --source).")
            source, _created = Source.objects.get_or_create(
                office=office, name=DEFAULT_SOURCES[source_kind], defaults={"kind": source_kind}
            )
        if source is None:
            raise CommandError(f"No source {wanted!r}.")
        if source.kind != source_kind:
            raise CommandError(
                f"Source {source} is a {source.get_kind_display()} source, not "
                f"{SourceKind(source_kind).label}."
            )
        return source

    def _create_job(self, options, user) -> IngestJob:
        target = options["target"]
        kind = self._kind(target, options)
        source = self._source(options, kind)
        job = IngestJob(office=source.office, source=source, created_by=user)
        if kind == "social":
            path = Path(target)
            if not path.is_file():
                raise CommandError(f"No such file: {target}")
            size = path.stat().st_size
            try:
                check_upload_size(size)
                mapping = resolve_mapping(source.office, options["preset"])
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            with path.open("rb") as fh:
                fmt = detect_format(fh.read(64 * 1024), path.name)
            if fmt is None:
                raise CommandError("This is not a CSV, JSON, NDJSON or zip file PRIMA can read.")
            job.kind, job.filename, job.file_size, job.format = JobKind.FILE, path.name, size, fmt
            job.mapping, job.preset = mapping, options["preset"]
            with transaction.atomic(), path.open("rb") as fh:
                job.file.save(path.name, File(fh), save=False)
                job.save()
                audit.log(user, "import.start", job, after=audit.snapshot(job))
        elif kind == "feed":
            from ...sources import transport

            source_url = clean_url(target)
            if not source_url:
                raise CommandError("A feed is given by its http(s) URL.")
            source.url = source_url
            fetched = transport("rss").fetch(source)
            if fetched.error:
                raise CommandError(f"The feed could not be fetched: {fetched.error}")
            job.kind, job.filename, job.format = JobKind.FEED, "feed.xml", "xml"
            job.content_type, job.file_size = fetched.content_type[:200], len(fetched.body)
            from django.core.files.base import ContentFile

            with transaction.atomic():
                job.file.save("feed.xml", ContentFile(fetched.body), save=False)
                job.save()
                audit.log(user, "import.start", job, after=audit.snapshot(job))
        else:
            if kind == "urls":
                path = Path(target)
                if not path.is_file():
                    raise CommandError(f"No such file: {target}")
                urls = split_urls(path.read_text(encoding="utf-8", errors="replace"))
            else:
                urls = [target]
            job.kind, job.urls, job.total = JobKind.URLS, "\n".join(urls), len(urls)
            with transaction.atomic():
                job.save()
                audit.log(user, "import.start", job, after=audit.snapshot(job))
        self.stdout.write(f"Import job {job.pk}: {job} ({job.get_kind_display()})")
        return job

    # Running it ---------------------------------------------------------------------------

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
        style = self.style.SUCCESS if job.status == "done" else self.style.ERROR
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

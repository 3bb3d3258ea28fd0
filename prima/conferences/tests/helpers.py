"""Building blocks for conference tests: a fixed clock, evidence files, registry entries,
and :func:`walk_to`, which takes a conference through the workflow as the right personas."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from prima.conferences import workflow
from prima.conferences.models import (
    REQUIRED_MATERIAL,
    Conference,
    EvidenceKind,
    IssueLevel,
    MaterialKind,
    Spokesperson,
    Stage,
    Topic,
)
from prima.organizations.models import Office, User

# Wednesday 19 November 2025, 09.00 WIB.
NOW = datetime(2025, 11, 19, 2, 0, tzinfo=UTC)


def later_the_same_day(conf: Conference, now: datetime) -> datetime:
    """Two hours after ``now``, or ``now`` itself when that would be the office's next
    day: walking on to execution must not meet the "scheduled for a later day" caution
    whatever the time of day the test runs at (``now`` is often the real clock)."""
    zone = ZoneInfo(conf.office.timezone)
    later = now + timedelta(hours=2)
    return later if later.astimezone(zone).date() == now.astimezone(zone).date() else now


def pdf(name: str = "bukti.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% test evidence\n", content_type="application/pdf")


# Registry entries stay valid whenever the suite runs (a fixed end date expired with it).
A_YEAR_ON = date.today() + timedelta(days=365)


def registry_entry(
    office: Office,
    user: User | None,
    *,
    valid_from: date = date(2025, 1, 1),
    valid_until: date | None = A_YEAR_ON,
    topics=None,
    levels=None,
    name: str = "",
) -> Spokesperson:
    """A registry spokesperson created directly (tests of the registry use the workflow)."""
    return Spokesperson.objects.create(
        office=office,
        user=user,
        name=name,
        decree_number="SK W.9.IMI.IMI.2-UM.01.01-1234",
        valid_from=valid_from,
        valid_until=valid_until,
        topics=topics if topics is not None else list(Topic.values),
        levels=levels if levels is not None else list(IssueLevel.values),
    )


def material_content(kind: str, n: int = 0) -> dict:
    if kind == MaterialKind.KEY_MESSAGES:
        return {"items": [f"Pelayanan tetap berjalan normal ({n})", "Data dicek ulang"]}
    if kind == MaterialKind.QA:
        return {
            "items": [
                {
                    "question": f"Berapa WNA yang dideportasi? ({n})",
                    "answer": "Dua orang, sesuai data sistem.",
                }
            ]
        }
    return {"body": f"Kantor Imigrasi menyampaikan informasi resmi ({n})."}


def complete_stage_items(conference: Conference, stage: Stage, actor: User, now=NOW) -> None:
    for item in conference.checklist_items.filter(stage=stage, required=True, done_at__isnull=True):
        kind = EvidenceKind(item.evidence_kind)
        workflow.complete_item(
            actor,
            item,
            note="Sudah diperiksa" if kind == EvidenceKind.NOTE else "",
            link="https://imigrasi.go.id/siaran-pers/1" if kind == EvidenceKind.LINK else "",
            file=pdf() if kind == EvidenceKind.FILE else None,
            now=now,
        )


def walk_to(
    conference: Conference,
    target: Stage,
    p: dict[str, User],
    *,
    spokesperson: Spokesperson | None = None,
    now=NOW,
) -> Conference:
    """Do what each stage needs and advance until ``target`` (personas dict ``p``)."""
    conf = Conference.objects.get(pk=conference.pk)
    while Stage(conf.stage).position < target.position:
        stage = Stage(conf.stage)
        if stage == Stage.INFORMATION:
            if not conf.facts.exists():
                fact = workflow.add_fact(
                    p["pr_staff"],
                    conf,
                    statement="Dua WNA dideportasi",
                    source="Seksi Inteldakim",
                    now=now,
                )
                workflow.verify_fact(p["pr_staff2"], fact, now=now)
        elif stage == Stage.PLANNING:
            conf = workflow.update_conference(
                p["pr_staff"],
                conf,
                expected_version=conf.version,
                scheduled_at=conf.scheduled_at or later_the_same_day(conf, now),
                venue=conf.venue or "Ruang Rapat Utama Kanim Soekarno-Hatta",
            )
        elif stage == Stage.MATERIAL:
            for kind in REQUIRED_MATERIAL[conf.type]:
                material = workflow.edit_material(
                    p["pr_staff"], conf, kind, **material_content(kind), now=now
                )
                workflow.submit_material(p["pr_staff"], material, now=now)
                workflow.approve_material(p["head"], material, now=now)
        elif stage == Stage.SPOKESPERSON:
            entry = spokesperson or registry_entry(conf.office, p["spokesperson"])
            workflow.appoint_spokesperson(p["pr_lead"], conf, entry, now=now)
        elif stage == Stage.EXECUTION:
            conf = workflow.record_execution(
                p["pr_staff"], conf, expected_version=conf.version, actual_start=now, now=now
            )
        complete_stage_items(conf, stage, p["pr_staff"], now)
        conf = Conference.objects.get(pk=conf.pk)
        if stage == Stage.EVALUATION:
            conf = workflow.complete_evaluation(
                p["pr_lead"], conf, lessons_learned="Mulai tepat waktu.", now=now
            )
        else:
            conf = workflow.advance(p["pr_staff"], conf, expected_version=conf.version, now=now)
    return conf

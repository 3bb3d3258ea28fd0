"""Property-based: random sequences of workflow actions by random personas never reach an
illegal state, and the audit trail holds exactly one entry per successful change (none per
refused one).

Each Hypothesis example runs inside a savepoint that is rolled back afterwards, so examples
do not see each other's data. Bounded (30 examples × 25 steps) to keep the suite fast.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from prima.conferences import workflow
from prima.conferences.models import (
    REQUIRED_MATERIAL,
    Conference,
    ConferenceType,
    EvidenceKind,
    Fact,
    IssueLevel,
    Material,
    MaterialKind,
    MaterialState,
    Stage,
    Status,
    Topic,
)
from prima.organizations import audit, policy
from prima.organizations.models import AuditEntry

from .helpers import NOW, material_content, pdf, registry_entry

PERSONAS = [
    "pr_staff",
    "pr_staff2",
    "pr_lead",
    "spokesperson",
    "head",
    "regional_supervisor",
    "outsider",
]
REFUSALS = (workflow.WorkflowError, PermissionDenied, Http404)
KINDS = list(MaterialKind)
persona = st.sampled_from(PERSONAS)
REACHED: Counter = Counter()


class ConferenceMachine(RuleBasedStateMachine):
    def __init__(self, people: dict, registry: dict) -> None:
        super().__init__()
        self.p = people
        self.registry = registry
        self.counter = 0
        self.position = 0
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def teardown(self) -> None:
        REACHED[self.position] += 1
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- helpers ------------------------------------------------------------------------
    def fresh(self) -> Conference:
        return Conference.objects.select_related("office").get(pk=self.conf_id)

    def n(self) -> int:
        self.counter += 1
        return self.counter

    def attempt(self, action) -> bool:
        """Run an action; check the audit trail and that a refusal changed nothing."""
        before_entries = AuditEntry.objects.count()
        before = audit.snapshot(self.fresh())
        try:
            action()
        except REFUSALS:
            assert AuditEntry.objects.count() == before_entries, "a refusal wrote an entry"
            assert audit.snapshot(self.fresh()) == before, "a refusal changed the conference"
            return False
        assert AuditEntry.objects.count() == before_entries + 1, "a change without one entry"
        return True

    # --- rules --------------------------------------------------------------------------
    @initialize(
        type=st.sampled_from(list(ConferenceType)),
        who=st.sampled_from(["pr_staff", "pr_lead", "head"]),
    )
    def open_conference(self, type, who):
        conf = workflow.create_conference(
            self.p[who],
            office=self.p["pr_staff"].office,
            type=type,
            topic=Topic.ENFORCEMENT,
            level=IssueLevel.MEDIUM,
            title="Deportasi WNA",
            now=NOW,
        )
        self.conf_id = conf.pk

    @rule(who=persona, index=st.integers(0, 50))
    def complete_item(self, who, index):
        open_items = list(self.fresh().checklist_items.filter(done_at__isnull=True))
        if not open_items:
            return
        item = open_items[index % len(open_items)]
        kind = EvidenceKind(item.evidence_kind)
        self.attempt(
            lambda: workflow.complete_item(
                self.p[who],
                item,
                now=NOW,
                note="Sudah" if kind == EvidenceKind.NOTE else "",
                link="https://imigrasi.go.id/a" if kind == EvidenceKind.LINK else "",
                file=pdf() if kind == EvidenceKind.FILE else None,
            )
        )

    @rule(who=persona)
    def complete_current_stage(self, who):
        conf = self.fresh()
        for item in conf.checklist_items.filter(
            required=True,
            done_at__isnull=True,
            stage__in=[s for s in Stage if s.position <= Stage(conf.stage).position],
        ):
            kind = EvidenceKind(item.evidence_kind)
            self.attempt(
                lambda item=item, kind=kind: workflow.complete_item(
                    self.p[who],
                    item,
                    now=NOW,
                    note="Sudah" if kind == EvidenceKind.NOTE else "",
                    link="https://imigrasi.go.id/a" if kind == EvidenceKind.LINK else "",
                    file=pdf() if kind == EvidenceKind.FILE else None,
                )
            )

    @rule()
    def do_the_stage_work(self):
        """What the right people would do next, then advance: examples get deep enough."""
        conf = self.fresh()
        stage, p = Stage(conf.stage), self.p
        for fact in Fact.objects.filter(conference=conf, verified_at__isnull=True):
            writers = {fact.entered_by_id, fact.edited_by_id}
            verifier = p["pr_lead"] if p["pr_lead"].pk not in writers else p["pr_staff2"]
            self.attempt(lambda fact=fact, v=verifier: workflow.verify_fact(v, fact))
        if stage == Stage.PLANNING and not (conf.scheduled_at and conf.venue):
            self.schedule("pr_staff", False)
        if stage == Stage.MATERIAL:
            for kind in REQUIRED_MATERIAL[conf.type]:
                material = Material.objects.filter(conference=conf, kind=kind).first()
                if material is None or material.state in (
                    MaterialState.DRAFT,
                    MaterialState.RETURNED,
                ):
                    self.edit_material("pr_staff", kind)
                    self.submit_material("pr_staff", kind)
                if material is not None and material.state == MaterialState.SUBMITTED:
                    self.approve_material("head", kind, False)
                elif material is None or material.state != MaterialState.APPROVED:
                    self.approve_material("head", kind, False)
        if stage == Stage.SPOKESPERSON:
            for appointment in conf.appointments.select_related("spokesperson__office"):
                if workflow.spokesperson_problems(appointment.spokesperson, conf):
                    self.attempt(lambda a=appointment: workflow.remove_appointment(p["pr_lead"], a))
            if not conf.appointments.filter(spokesperson=self.registry["valid"]).exists():
                self.appoint("pr_lead", "valid")
        if stage == Stage.EXECUTION and conf.actual_start is None:
            self.record_execution("pr_staff")
        if stage == Stage.EVALUATION and not conf.lessons_learned:
            self.record_lessons("pr_lead")
        self.complete_current_stage("pr_staff")
        self.advance("pr_lead", False)

    @rule(who=persona, index=st.integers(0, 50))
    def reopen_item(self, who, index):
        done = list(self.fresh().checklist_items.filter(done_at__isnull=False))
        if done:
            self.attempt(lambda: workflow.reopen_item(self.p[who], done[index % len(done)]))

    @rule(who=persona)
    def add_fact(self, who):
        self.attempt(
            lambda: workflow.add_fact(
                self.p[who], self.fresh(), statement=f"Fakta {self.n()}", source="Inteldakim"
            )
        )

    @rule(who=persona, index=st.integers(0, 10))
    def verify_fact(self, who, index):
        facts = list(Fact.objects.filter(conference_id=self.conf_id, verified_at__isnull=True))
        if facts:
            self.attempt(lambda: workflow.verify_fact(self.p[who], facts[index % len(facts)]))

    @rule(who=persona, stale=st.booleans())
    def schedule(self, who, stale):
        conf = self.fresh()
        version = conf.version - 1 if stale and conf.version > 1 else conf.version
        self.attempt(
            lambda: workflow.update_conference(
                self.p[who],
                conf,
                expected_version=version,
                scheduled_at=NOW + timedelta(hours=2),
                venue=f"Ruang {self.n()}",
            )
        )

    @rule(who=persona, kind=st.sampled_from(KINDS))
    def edit_material(self, who, kind):
        material = Material.objects.filter(conference_id=self.conf_id, kind=kind).first()
        self.attempt(
            lambda: workflow.edit_material(
                self.p[who],
                self.fresh(),
                kind,
                **material_content(kind, self.n()),
                expected_version=material.version if material else 0,
                now=NOW,
            )
        )

    @rule(who=persona, kind=st.sampled_from(KINDS))
    def submit_material(self, who, kind):
        material = Material.objects.filter(conference_id=self.conf_id, kind=kind).first()
        if material:
            self.attempt(lambda: workflow.submit_material(self.p[who], material, now=NOW))

    @rule(who=persona, kind=st.sampled_from(KINDS), stale=st.booleans())
    def approve_material(self, who, kind, stale):
        material = Material.objects.filter(conference_id=self.conf_id, kind=kind).first()
        if material:
            version = material.version - 1 if stale else material.version
            self.attempt(
                lambda: workflow.approve_material(
                    self.p[who], material, expected_version=version, now=NOW
                )
            )

    @rule(who=persona, kind=st.sampled_from(KINDS), reason=st.sampled_from(["", "Data kurang"]))
    def return_material(self, who, kind, reason):
        material = Material.objects.filter(conference_id=self.conf_id, kind=kind).first()
        if material:
            self.attempt(lambda: workflow.return_material(self.p[who], material, reason=reason))

    @rule(who=persona, entry=st.sampled_from(["valid", "expired", "wrong_topic"]))
    def appoint(self, who, entry):
        self.attempt(
            lambda: workflow.appoint_spokesperson(
                self.p[who], self.fresh(), self.registry[entry], now=NOW
            )
        )

    @rule(who=persona)
    def remove_appointment(self, who):
        appointment = self.fresh().appointments.first()
        if appointment:
            self.attempt(lambda: workflow.remove_appointment(self.p[who], appointment))

    @rule(who=persona)
    def record_execution(self, who):
        conf = self.fresh()
        start = NOW + timedelta(hours=2, minutes=self.n() % 50)
        self.attempt(
            lambda: workflow.record_execution(
                self.p[who],
                conf,
                expected_version=conf.version,
                actual_start=start,
                now=NOW + timedelta(hours=4),
            )
        )

    @rule(who=persona)
    def record_lessons(self, who):
        conf = self.fresh()
        self.attempt(
            lambda: workflow.record_evaluation(
                self.p[who],
                conf,
                expected_version=conf.version,
                lessons_learned=f"Pelajaran {self.n()}",
            )
        )

    @rule(who=persona, stale=st.booleans())
    def advance(self, who, stale):
        conf = self.fresh()
        version = conf.version - 1 if stale and conf.version > 1 else conf.version
        action = "conference.close" if conf.stage == Stage.EVALUATION else "conference.advance"
        expected = (
            conf.status == Status.ACTIVE
            and policy.can(self.p[who], action, conf.office)
            and version == conf.version
            and not workflow.blockers(conf, now=NOW)
        )
        ok = self.attempt(
            lambda: workflow.advance(self.p[who], conf, expected_version=version, now=NOW)
        )
        assert ok == expected, (who, conf.stage, workflow.blockers(conf, now=NOW))
        if ok:
            new = Stage(self.fresh().stage).position
            assert new == self.position + 1
            self.position = new

    @rule(who=st.sampled_from(["pr_staff", "pr_lead", "head"]))
    def advance_as_staff(self, who):
        self.advance(who, False)

    @precondition(lambda self: self.position < Stage.EXECUTION.position)
    @rule(who=persona, reason=st.sampled_from(["", "  ", "Ditunda: pimpinan berhalangan"]))
    def cancel(self, who, reason):
        self.attempt(lambda: workflow.cancel(self.p[who], self.fresh(), reason=reason))

    # --- invariants (one method: one read of the conference per step) ----------------
    @invariant()
    def no_illegal_state(self):
        if not hasattr(self, "conf_id"):
            return
        conf = self.fresh()
        stage = Stage(conf.stage)
        # The stage never goes back (and moves one step at a time, see advance()).
        assert stage.position == self.position
        if conf.status == Status.CANCELLED:
            assert conf.cancel_reason.strip() and conf.cancelled_by_id
        assert (conf.status == Status.COMPLETED) == (stage == Stage.CLOSED)
        # Four eyes on material and facts.
        for material in Material.objects.filter(
            conference=conf, state=MaterialState.APPROVED
        ).select_related("current"):
            assert material.current.approved_by_id not in material.author_ids()
        for fact in Fact.objects.filter(conference=conf, verified_at__isnull=False):
            assert fact.verified_by_id not in (fact.entered_by_id, fact.edited_by_id)
        # Never under way without approved material and a valid spokesperson.
        if stage.position >= Stage.EXECUTION.position:
            approved = set(
                conf.materials.filter(state=MaterialState.APPROVED).values_list("kind", flat=True)
            )
            assert set(REQUIRED_MATERIAL[conf.type]) <= approved
            appointments = list(conf.appointments.select_related("spokesperson__office"))
            assert appointments
            for appointment in appointments:
                assert workflow.spokesperson_problems(appointment.spokesperson, conf) == []


@pytest.mark.django_db
def test_random_workflows_stay_legal_and_fully_audited(templates, personas, offices):
    soetta = offices["soetta"]
    registry = {
        "valid": registry_entry(soetta, personas["spokesperson"]),
        "expired": registry_entry(soetta, None, name="Rudi", valid_until=date(2025, 6, 30)),
        "wrong_topic": registry_entry(soetta, None, name="Ayu", topics=[Topic.SERVICES]),
    }
    people = {name: personas[name] for name in PERSONAS}
    REACHED.clear()
    run_state_machine_as_test(
        lambda: ConferenceMachine(people, registry),  # type: ignore[arg-type]  # a factory works
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    assert audit.verify() == []
    # The examples did get past the first stages (do_the_stage_work sees to that).
    assert max(REACHED) >= Stage.MATERIAL.position, REACHED

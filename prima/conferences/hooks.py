"""Check points of the conference workflow that higher apps register into.

Conferences never imports the apps above it: they register here in their
``AppConfig.ready()`` and the workflow calls whatever is registered.

- **Pre-approval checks** (:func:`register_pre_approval`). Before a material version is
  approved, :func:`approve_material <prima.conferences.workflow.approve_material>` asks
  every check for :class:`Objection` values. An objection blocks the approval unless the
  approver gives a reason to approve anyway; the check then records that waiver (with its
  audit entry) in the approval's transaction. Because the workflow function runs the
  checks, the page, the API and the admin are held to the same rule. The documents app
  registers the automatic verification of drafts here.
- **Material panels** (:func:`register_material_panel`). Pages that show a material's text
  ask for side panels (e.g. the verification findings) to load beside it with htmx.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from prima.organizations.models import User

    from .models import Conference, Material, MaterialVersion


@dataclass(frozen=True)
class Objection:
    """Why a check would not let a version be approved as it stands."""

    check: str  # the check's name, e.g. "verification"
    message: str  # translated, for the approver
    url: str = ""  # where the details are
    details: tuple[str, ...] = field(default_factory=tuple)  # one line per problem


class PreApprovalCheck(Protocol):
    name: str

    def objections(
        self, material: Material, version: MaterialVersion, *, now: datetime
    ) -> list[Objection]:
        """What stands against approving ``version`` (reads only; may be called to show
        the approver what is wrong before they act)."""
        ...

    def waive(
        self,
        actor: User,
        material: Material,
        version: MaterialVersion,
        objections: list[Objection],
        reason: str,
        *,
        now: datetime,
    ) -> dict[str, Any]:
        """Record that ``actor`` approves despite ``objections`` for ``reason`` (called in
        the approval's transaction; writes its own audit entry). Returns what the approval's
        audit entry should say about it."""
        ...


_pre_approval: list[PreApprovalCheck] = []


def register_pre_approval(check: PreApprovalCheck) -> PreApprovalCheck:
    """Register a pre-approval check (once per name: registering again replaces it)."""
    for i, existing in enumerate(_pre_approval):
        if existing.name == check.name:
            _pre_approval[i] = check
            return check
    _pre_approval.append(check)
    return check


def pre_approval_checks() -> list[PreApprovalCheck]:
    return list(_pre_approval)


def objections(material: Material, version: MaterialVersion, *, now: datetime) -> list[Objection]:
    """Every registered check's objections to approving ``version`` of ``material``."""
    found: list[Objection] = []
    for check in _pre_approval:
        found.extend(check.objections(material, version, now=now))
    return found


def waive(
    actor: User,
    material: Material,
    version: MaterialVersion,
    found: list[Objection],
    reason: str,
    *,
    now: datetime,
) -> dict[str, Any]:
    """Let each check that objected record the waiver; returns {check: audit data}."""
    recorded: dict[str, Any] = {}
    for check in _pre_approval:
        mine = [o for o in found if o.check == check.name]
        if mine:
            recorded[check.name] = check.waive(actor, material, version, mine, reason, now=now)
    return recorded


# --- Panels beside a material's text -------------------------------------------------------
@dataclass(frozen=True)
class MaterialPanel:
    """A side panel loaded with htmx beside a material's text.

    ``url`` (GET) shows what the panel says about the saved version; ``live_url`` (POST,
    optional) takes the editor's form fields and answers for the text being written."""

    code: str
    title: str
    url: str
    live_url: str = ""


MaterialPanelProvider = Callable[
    ["Conference", str, "MaterialVersion | None"], "MaterialPanel | None"
]
_panels: list[MaterialPanelProvider] = []


def register_material_panel(provider: MaterialPanelProvider) -> MaterialPanelProvider:
    """Register a panel provider (usable as a decorator). Registering twice is a no-op."""
    if provider not in _panels:
        _panels.append(provider)
    return provider


def material_panels(
    conference: Conference, kind: str, version: MaterialVersion | None
) -> list[MaterialPanel]:
    """The side panels for one material kind of ``conference`` (``version``: the version
    shown, None when nothing is written yet). No query of its own."""
    panels = []
    for provider in _panels:
        panel = provider(conference, kind, version)
        if panel is not None:
            panels.append(panel)
    return panels

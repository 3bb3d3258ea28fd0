"""Small helpers shared by the organizations tests (not a test module)."""

from __future__ import annotations

from django.db.models import Max

from prima.organizations.models import AuditEntry


def last_seq() -> int:
    """The sequence number of the newest audit entry (0 when the trail is empty)."""
    return AuditEntry.objects.aggregate(m=Max("seq"))["m"] or 0


def entries_after(seq: int) -> list[AuditEntry]:
    """Audit entries written after ``seq``, oldest first."""
    return list(AuditEntry.objects.filter(seq__gt=seq).order_by("seq"))


# --- docs/permissions.md ---------------------------------------------------------------

ROLE_COLUMNS = {
    "PR staff": "pr_staff",
    "PR lead": "pr_lead",
    "Spokesperson": "spokesperson",
    "Head of office": "head",
    "Supervisor": "supervisor",
    "Administrator": "admin",
}
HEADER = ["Action", "Description", *ROLE_COLUMNS]
CELLS = {"own": "own", "sub-tree": "subtree", "—": None}


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def parse_permissions_doc(text: str) -> dict[str, dict]:
    """Read every permission table of docs/permissions.md.

    A permission table is a Markdown table whose header is exactly ``HEADER``; each row is
    ``| `action` | description | cell | … |`` with cells ``own``, ``sub-tree`` or ``—``.
    Returns ``{action: {"description": str, "roles": {role value: "own" | "subtree"}}}``;
    roles with ``—`` are left out. Anything unreadable raises AssertionError naming the line.
    """
    rules: dict[str, dict] = {}
    in_table = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip().startswith("|"):
            in_table = False
            continue
        cells = _cells(line)
        if cells == HEADER:
            in_table = True
            continue
        if not in_table or set("".join(cells)) <= set("-: "):
            continue  # another table, or the separator row
        assert len(cells) == len(HEADER), f"line {number}: expected {len(HEADER)} cells: {line}"
        action = cells[0]
        assert action.startswith("`") and action.endswith("`"), (
            f"line {number}: the action must be in backticks: {action!r}"
        )
        action = action.strip("`")
        assert action not in rules, f"line {number}: {action} is documented twice"
        roles = {}
        for column, cell in zip(ROLE_COLUMNS.values(), cells[2:], strict=True):
            value = cell.strip("`* ")
            assert value in CELLS, f"line {number}: unknown cell {cell!r} (use own, sub-tree, —)"
            if CELLS[value] is not None:
                roles[column] = CELLS[value]
        rules[action] = {"description": cells[1], "roles": roles}
    return rules


def touch(actor, office, **changes) -> None:
    """Change ``office`` (default: its city) with an audit entry, as a page would."""
    from prima.organizations import audit

    with audit.tracking(actor, "office.update", office):
        for field, value in (changes or {"city": office.city + "x"}).items():
            setattr(office, field, value)
        office.save()

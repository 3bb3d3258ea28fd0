"""Print the permission table of docs/permissions.md from ``policy.RULES``.

    .venv/bin/python scripts/permissions_table.py

Paste the output over the table in docs/permissions.md after adding actions to
``prima/organizations/policy.py`` (a test compares the two).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prima.settings")

import django

django.setup()

from prima.organizations.models import Role  # noqa: E402
from prima.organizations.policy import DESCRIPTIONS, RULES, Scope  # noqa: E402

COLUMNS = [
    (Role.PR_STAFF, "PR staff"),
    (Role.PR_LEAD, "PR lead"),
    (Role.SPOKESPERSON, "Spokesperson"),
    (Role.HEAD, "Head of office"),
    (Role.SUPERVISOR, "Supervisor"),
    (Role.ADMIN, "Administrator"),
]
CELL = {Scope.OWN: "own", Scope.SUBTREE: "sub-tree", None: "—"}


def table() -> str:
    header = ["Action", "Description", *(title for _role, title in COLUMNS)]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for action, rule in RULES.items():
        cells = [f"`{action}`", DESCRIPTIONS.get(action, "")]
        cells += [CELL[rule.get(role)] for role, _title in COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())

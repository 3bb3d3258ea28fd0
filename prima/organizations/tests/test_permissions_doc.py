"""docs/permissions.md and policy.RULES say the same thing, row by row, in both directions.

When you add an action: a row in ``policy.RULES``, one in ``policy.DESCRIPTIONS`` and one in
a table of docs/permissions.md (columns Action | Description | PR staff | PR lead |
Spokesperson | Head of office | Supervisor | Administrator; cells ``own``, ``sub-tree``
or ``—``; the action in backticks).
"""

from __future__ import annotations

from functools import cache

import pytest
from django.conf import settings

from prima.organizations import policy

from .helpers import parse_permissions_doc

DOC = settings.BASE_DIR / "docs" / "permissions.md"


@cache
def documented() -> dict[str, dict]:
    if not DOC.exists():
        pytest.fail(f"{DOC} is missing: it documents policy.RULES")
    return parse_permissions_doc(DOC.read_text(encoding="utf-8"))


def in_code() -> dict[str, dict[str, str]]:
    return {
        action: {role.value: scope.value for role, scope in rule.items()}
        for action, rule in policy.RULES.items()
    }


def test_the_doc_has_a_permission_table():
    assert documented(), "no table with the documented header found in docs/permissions.md"


def test_every_rule_in_the_policy_is_documented_with_the_same_scopes():
    doc = documented()
    for action, roles in in_code().items():
        assert action in doc, f"{action} is in policy.RULES but not in docs/permissions.md"
        assert doc[action]["roles"] == roles, f"{action}: the doc and policy.RULES differ"


def test_every_documented_action_exists_in_the_policy():
    extra = set(documented()) - set(policy.RULES)
    assert not extra, f"documented but not in policy.RULES: {sorted(extra)}"


def test_the_doc_and_the_policy_are_equal():
    assert {a: r["roles"] for a, r in documented().items()} == in_code()


def test_every_action_has_a_description():
    assert set(policy.DESCRIPTIONS) == set(policy.RULES)
    for action, row in documented().items():
        assert row["description"], f"{action} has no description in docs/permissions.md"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("| `a.b` | x | own | own | own | own | all | — |", "unknown cell"),
        ("| a.b | x | own | own | own | own | own | — |", "backticks"),
        ("| `a.b` | x | own | own |", "expected 8 cells"),
    ],
)
def test_the_parser_refuses_what_it_cannot_read(text, problem):
    header = (
        "| Action | Description | PR staff | PR lead | Spokesperson | Head of office "
        "| Supervisor | Administrator |\n|---|---|---|---|---|---|---|---|\n"
    )
    with pytest.raises(AssertionError, match=problem):
        parse_permissions_doc(header + text)


def test_the_parser_reads_several_tables_and_skips_others():
    text = (
        "| Other | Table |\n|---|---|\n| `x.y` | z |\n\n"
        "| Action | Description | PR staff | PR lead | Spokesperson | Head of office "
        "| Supervisor | Administrator |\n|:--|:--|:-:|:-:|:-:|:-:|:-:|:-:|\n"
        "| `a.view` | See | own | own | — | own | sub-tree | sub-tree |\n\n"
        "Text.\n\n"
        "| Action | Description | PR staff | PR lead | Spokesperson | Head of office "
        "| Supervisor | Administrator |\n|---|---|---|---|---|---|---|---|\n"
        "| `b.do` | Do | — | — | — | — | — | sub-tree |\n"
    )
    assert parse_permissions_doc(text) == {
        "a.view": {
            "description": "See",
            "roles": {
                "pr_staff": "own",
                "pr_lead": "own",
                "head": "own",
                "supervisor": "subtree",
                "admin": "subtree",
            },
        },
        "b.do": {"description": "Do", "roles": {"admin": "subtree"}},
    }

"""Words people read: every action the code writes to the audit trail has a label (in
Indonesian and English), so the trail never shows a bare code such as "auth.login"; and
no calque of English ("sebutan" for "mention") is left in the Indonesian catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

from prima.organizations.audit_display import action_label, registered_codes

PACKAGE = Path(settings.BASE_DIR) / "prima"
CODE = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
AUDIT_CALLS = {"log", "_log", "log_deletion", "tracking", "_add_part"}


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if CODE.match(node.value) else []
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def written_codes() -> dict[str, str]:
    """Action codes passed to the audit functions (or put in an ``action`` variable),
    with the file that writes them."""
    found: dict[str, str] = {}
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values: list[str] = []
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in AUDIT_CALLS:
                    for arg in node.args[:3]:
                        values += _strings(arg)
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "action" for t in node.targets
            ):
                values += _strings(node.value)
            for value in values:
                found.setdefault(value, str(path.relative_to(PACKAGE.parent)))
    return found


def test_the_scan_finds_the_codes_of_every_app():
    codes = written_codes()
    assert {"auth.login", "conference.advance", "material.approve", "issue.merge"} <= set(codes)


def test_every_written_action_has_a_label():
    missing = {
        code: where for code, where in written_codes().items() if code not in registered_codes()
    }
    assert not missing, f"register a label (audit_labels.py of the app) for: {missing}"


def test_labels_read_in_the_users_language():
    with translation.override("id"):
        assert action_label("auth.login") == "Masuk ke PRIMA"
        assert action_label("material.approve") == "Materi disetujui"
        assert action_label("mediacontact.delete") == "Kontak media dihapus"  # from the verb
        assert action_label("no.such.code") == "no.such.code"
    with translation.override("en"):
        assert action_label("auth.login") == "Logged in"


def test_mentions_are_not_called_sebutan():
    """ "Sebutan" is a calque of "mention": Indonesian PR teams speak of news
    ("pemberitaan", "berita") and posts ("unggahan")."""
    from scripts.merge_translations import read

    catalogue = read(Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po")
    calques = [e.msgid for e in catalogue if "sebutan" in " ".join(e.msgstr.values()).lower()]
    assert calques == []

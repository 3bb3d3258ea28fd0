"""The documentation for the people who run PRIMA stays true.

- every environment variable that ``prima/settings.py`` reads has a section in
  ``docs/configuration.md`` (and every documented one is still read);
- every management command PRIMA defines has a section in ``docs/commands.md``, which
  mentions each of its own options (and documents no command that is gone);
- the README and docs link to files that exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import BaseCommand, load_command_class

ROOT = Path(settings.BASE_DIR)
DOCS = ROOT / "docs"
SETTINGS = ROOT / "prima" / "settings.py"

# env("NAME"…), envstr/envbool/envint/envlist(…), os.environ.get / os.getenv / os.environ[…]
READ_CALL = re.compile(
    r"""\b(?:env\w*|os\.environ\.get|os\.getenv)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"""
)
# Any quoted PRIMA_* name, however it is read.
PRIMA_LITERAL = re.compile(r"""["'](PRIMA_[A-Z0-9_]+)["']""")
# Secrets read with envstr also accept NAME_FILE (a path to a file holding the value).
SECRET_CALL = re.compile(r"""\benvstr\(\s*["']([A-Z][A-Z0-9_]*)["']""")
SECTION = re.compile(r"^#{2,4} `([A-Z][A-Z0-9_]*)`\s*$", re.MULTILINE)


def settings_variables() -> set[str]:
    source = SETTINGS.read_text(encoding="utf-8")
    names = {a or b for a, b in READ_CALL.findall(source)}
    names |= set(PRIMA_LITERAL.findall(source))
    names |= {f"{name}_FILE" for name in SECRET_CALL.findall(source)}
    return names


def documented_variables() -> set[str]:
    return set(SECTION.findall((DOCS / "configuration.md").read_text(encoding="utf-8")))


def test_the_settings_reader_finds_the_known_variables():
    found = settings_variables()
    assert {
        "PRIMA_DEBUG",
        "PRIMA_SECRET_KEY",
        "PRIMA_SECRET_KEY_FILE",
        "DATABASE_URL",
        "DATABASE_URL_FILE",
        "PRIMA_ALLOWED_HOSTS",
    } <= found


def test_every_environment_variable_is_documented():
    missing = sorted(settings_variables() - documented_variables())
    assert not missing, (
        "Read in prima/settings.py but without a '### `NAME`' section in "
        f"docs/configuration.md: {missing}"
    )


def test_every_documented_variable_is_still_read():
    stale = sorted(documented_variables() - settings_variables())
    assert not stale, f"docs/configuration.md documents variables nobody reads: {stale}"


def test_each_variable_section_gives_a_default_and_an_example():
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    sections = re.split(r"^#{2,4} `", text, flags=re.MULTILINE)[1:]
    incomplete = [
        section.split("`", 1)[0]
        for section in sections
        if "Default:" not in section or "Example:" not in section
    ]
    assert not incomplete, f"sections without 'Default:' or 'Example:': {incomplete}"


# --- Management commands ---------------------------------------------------------------


def prima_commands() -> dict[str, str]:
    """{command name: app module} for every command under prima/*/management/commands/."""
    commands = {}
    for path in sorted((ROOT / "prima").glob("*/management/commands/*.py")):
        if path.name.startswith("_"):
            continue
        commands[path.stem] = f"prima.{path.parts[-4]}"
    return commands


COMMAND_SECTION = re.compile(r"^## `prima ([a-z0-9-]+)`", re.MULTILINE)


def command_sections() -> dict[str, str]:
    """{command name (underscores): section text} from docs/commands.md."""
    text = (DOCS / "commands.md").read_text(encoding="utf-8")
    parts = COMMAND_SECTION.split(text)
    return {
        name.replace("-", "_"): body.split("\n## ", 1)[0]
        for name, body in zip(parts[1::2], parts[2::2], strict=True)
    }


def own_options(app: str, name: str) -> list[str]:
    """The long options a command adds itself (not Django's common ones)."""
    common = {
        opt
        for action in BaseCommand().create_parser("prima", "x")._actions
        for opt in action.option_strings
    }
    parser = load_command_class(app, name).create_parser("prima", name)
    return sorted(
        opt
        for action in parser._actions
        for opt in action.option_strings
        if opt.startswith("--") and opt not in common
    )


def test_commands_are_discovered():
    assert {"demo", "verify_audit", "create_api_token"} <= set(prima_commands())


def test_every_command_has_a_section():
    missing = sorted(set(prima_commands()) - set(command_sections()))
    assert not missing, (
        "Management commands without a '## `prima name-with-dashes`' section in "
        f"docs/commands.md: {missing}"
    )


def test_every_documented_command_exists():
    stale = sorted(set(command_sections()) - set(prima_commands()))
    assert not stale, f"docs/commands.md documents commands that do not exist: {stale}"


@pytest.mark.parametrize("name", sorted(prima_commands()))
def test_each_command_section_mentions_its_options(name):
    body = command_sections().get(name)
    if body is None:
        pytest.skip("no section (reported by test_every_command_has_a_section)")
    undocumented = [opt for opt in own_options(prima_commands()[name], name) if opt not in body]
    assert not undocumented, f"docs/commands.md, prima {name}: options not mentioned: " + (
        ", ".join(undocumented)
    )


# --- Links ---------------------------------------------------------------------------

LINK = re.compile(r"\]\((?!https?:|mailto:|#)([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize(
    "page", [ROOT / "README.md", *sorted(DOCS.glob("*.md"))], ids=lambda p: p.name
)
def test_relative_links_point_to_existing_files(page):
    broken = [
        target
        for target in LINK.findall(page.read_text(encoding="utf-8"))
        if not (page.parent / target).exists()
    ]
    assert not broken, f"{page.relative_to(ROOT)} links to missing files: {broken}"


def test_operations_guide_covers_the_essentials():
    text = (DOCS / "operations.md").read_text(encoding="utf-8")
    for needle in [
        "collectstatic",
        "db_worker",
        "prima backup",
        "prima restore",
        "verify-audit",
        "/healthz",
        "migrate",
        "create-api-token",
        "/api/v1/openapi.json",
    ]:
        assert needle in text, f"docs/operations.md no longer mentions {needle}"

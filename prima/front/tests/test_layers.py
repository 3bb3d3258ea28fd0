"""The layers of the house (``STYLE.md``): an app imports only from the rows below it.

```
evaluation
portal
documents
crisis
conferences   monitoring   catalogue
organizations
lib
```

Apps on one row do not import each other; ``lib`` imports no app. ``front`` is the shell
(home page, health check, admin site, template tags): it may read every app's public
hooks through ``organizations`` registries, but no domain app imports ``front`` except
for its template tags and admin site. Tests are held to the same rule: a test of a lower
app that needs a higher one belongs to the higher app.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]

LAYERS: list[set[str]] = [
    {"lib"},
    {"organizations"},
    {"conferences", "monitoring", "catalogue"},
    {"crisis"},
    {"documents"},
    {"portal"},
    {"evaluation"},
]
RANK = {app: rank for rank, row in enumerate(LAYERS) for app in row}
# The shell and the project modules (settings, urls, api, cli, conftest) wire everything.
WIRING = {"front", "settings", "urls", "api", "cli", "conftest", "wsgi", "__init__"}
# What a domain app may take from the shell.
FRONT_ALLOWED = {"prima.front.templatetags", "prima.front.admin_site"}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            # Relative imports stay inside the app unless they climb out of it.
            parts = path.relative_to(PACKAGE).with_suffix("").parts
            base = parts[: len(parts) - node.level]
            if len(base) >= 2:
                continue
            module = ".".join((*base, node.module or ""))
            found.append((node.lineno, module.strip(".")))
    return found


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "prima" or len(parts) < 2:
        return None
    return parts[1]


def _violations() -> list[str]:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        owner = rel.parts[0].removesuffix(".py")
        if owner in WIRING or "migrations" in rel.parts:
            continue
        if owner not in RANK:
            problems.append(f"{rel}: app {owner!r} has no layer (add it to STYLE.md and here)")
            continue
        for line, module in _imports(path):
            target = _app_of(module)
            if target is None or target == owner:
                continue
            if target == "front":
                if not any(module.startswith(allowed) for allowed in FRONT_ALLOWED):
                    problems.append(f"{rel}:{line}: imports {module} (the shell)")
                continue
            if target in WIRING and "tests" in rel.parts:
                continue  # tests may drive the whole project (personas, API, command line)
            if target in WIRING:
                problems.append(f"{rel}:{line}: imports {module} (project wiring)")
                continue
            if target not in RANK:
                continue
            if RANK[target] >= RANK[owner]:
                where = "the same row" if RANK[target] == RANK[owner] else "a higher layer"
                problems.append(f"{rel}:{line}: {owner} imports {module} ({where})")
    return problems


def test_every_app_imports_only_from_the_layers_below_it():
    problems = _violations()
    assert not problems, "Layering broken:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("owner", "source", "expected"),
    [
        ("monitoring", "from prima.conferences.models import Conference", "the same row"),
        ("conferences", "import prima.crisis.models", "a higher layer"),
        ("crisis", "from prima.monitoring import models", None),
        ("lib", "from prima.organizations import policy", "a higher layer"),
    ],
)
def test_the_checker_sees_imports_across_layers(tmp_path, monkeypatch, owner, source, expected):
    package = tmp_path / "prima"
    (package / owner).mkdir(parents=True)
    (package / owner / "mod.py").write_text(source + "\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", package)
    problems = _violations()
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in problems[0]

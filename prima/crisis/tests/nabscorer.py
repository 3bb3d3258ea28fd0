"""Loads ``benchmarks/nab.py`` (a script, not a package) for the tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from django.conf import settings


def load_nab() -> ModuleType:
    name = "prima_benchmarks_nab"
    if name in sys.modules:
        return sys.modules[name]
    path = Path(settings.BASE_DIR) / "benchmarks" / "nab.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module

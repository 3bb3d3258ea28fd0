"""System checks and health probes of monitoring: the NLP models must load.

There is no stand-in for a missing model (see :mod:`.analysis`), so a model that cannot
be loaded is an error of the installation: ``manage.py check`` (and every management
command that runs the checks, such as ``migrate`` and ``db_worker``) fails with
``monitoring.E001`` (sentiment model) or ``monitoring.E002`` (language identifier), and
``/healthz`` reports the component with ``"status": "error"``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core import checks

from . import analysis

CHECK_IDS = {"sentiment_model": "monitoring.E001", "language_identifier": "monitoring.E002"}
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def _shown(path: Path) -> str:
    """The artefact's path inside the installation (no absolute server paths)."""
    try:
        return str(path.resolve().relative_to(_PACKAGE_ROOT))
    except ValueError:
        return path.name


@checks.register("models")
def check_models(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Load each model once; an error per model that does not load."""
    return [
        checks.Error(
            f"The {status.component} cannot be loaded from {status.artefact}: {status.error}",
            hint=(
                "Reinstall PRIMA (the artefact ships in the package) or, for the sentiment "
                "model, run `prima train-sentiment`. Nothing is labelled until it loads."
            ),
            id=CHECK_IDS[status.name],
        )
        for status in analysis.model_status()
        if not status.ok
    ]


def probe(name: str) -> analysis.ModelStatus:
    return next(s for s in analysis.model_status() if s.name == name)


def health_probe(name: str) -> Any:
    """A ``/healthz`` probe for one model: its status and artefact (and the error type)."""

    def run() -> dict[str, Any]:
        status = probe(name)
        out = {"status": "ok" if status.ok else "error", "artefact": _shown(status.artefact)}
        if not status.ok:
            out["error"] = status.error.split(":", 1)[0]
        return out

    return run

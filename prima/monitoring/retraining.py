"""Staff corrections reach the sentiment model without a worker restart.

* :func:`retrain` (task :func:`retrain_sentiment`) fits a new model on the training data
  shipped with PRIMA (``nlp/sentiment/artefact/training_data.tsv.gz``, written by
  ``prima train-sentiment``) plus every staff correction, measures its effect (agreement
  with the corrections, and the hand-written informal test set, before and after), stores
  it as a :class:`~.models.SentimentModelVersion` row, then re-classifies the stored
  mentions in batches (:func:`.tasks.reclassify`, which moves their rollups).
* :func:`current_model` is what analysis uses: the newest version, checked at most every
  ``MONITORING_SENTIMENT_MODEL_CHECK_SECONDS``, unpacked once per machine under
  ``var/models/sentiment/<id>/``; the shipped model while no version exists. A forked
  analysis helper keeps the model it inherited (it never touches the database).
* :func:`maybe_enqueue` (called by the scheduler tick) starts a retraining when there are
  corrections newer than the newest version and the last one is at least
  ``MONITORING_SENTIMENT_RETRAIN_MINUTES`` old.
"""

from __future__ import annotations

import gzip
import io
import multiprocessing
import os
import shutil
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, models
from django.db.models import QuerySet
from django.utils import timezone

try:
    from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # Django 5.2: the django-tasks backport
    from django_tasks import task  # type: ignore[no-redef,import-not-found,unused-ignore]

from .models import SentimentCorrection, SentimentModelVersion
from .nlp.sentiment import ARTEFACT_DIR, load_model
from .nlp.sentiment.model import SentimentModel

TRAINING_DATA = "training_data.tsv.gz"

_state: dict[str, Any] = {"checked": 0.0, "version": None, "model": None, "pid": None}


# --- serving ---------------------------------------------------------------------------------


def _version_dir(pk: int) -> Path:
    return Path(settings.VAR_DIR) / "models" / "sentiment" / str(pk)


def _unpack(version: SentimentModelVersion) -> Path:
    """The version's artefact folder on this machine (unpacked once, atomically)."""
    target = _version_dir(version.pk)
    if (target / "model.json").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".unpack-"))
    with zipfile.ZipFile(io.BytesIO(bytes(version.artefact))) as archive:
        for name in ("model.json", "model.npz"):
            (tmp / name).write_bytes(archive.read(name))
    try:
        os.replace(tmp, target)
    except OSError:  # another worker unpacked it first
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def current_model() -> SentimentModel:
    """The sentiment model analysis should use now (see the module docstring)."""
    now = time.monotonic()
    model = _state["model"]
    interval = settings.MONITORING_SENTIMENT_MODEL_CHECK_SECONDS
    if model is not None and (os.getpid() != _state["pid"] or now - _state["checked"] < interval):
        return model
    try:
        latest = SentimentModelVersion.objects.only("pk").first()
        version_pk = latest.pk if latest else None
        if model is None or version_pk != _state["version"]:
            if latest is None:
                model = load_model()
            else:
                full = SentimentModelVersion.objects.get(pk=latest.pk)
                model = SentimentModel.load(_unpack(full))
    except DatabaseError:
        # No database yet (a bare command) or a passing outage: keep what we have.
        version_pk = _state["version"]
        model = model or load_model()
    _state.update(checked=now, version=version_pk, model=model, pid=os.getpid())
    return model


def refresh() -> None:
    """Look for a new version at the next :func:`current_model` call."""
    _state["checked"] = 0.0


# --- reading (the model card pages and the admin) -------------------------------------------


def versions() -> QuerySet[SentimentModelVersion]:
    """Retrained versions, newest (the one in use) first, without their artefacts."""
    return SentimentModelVersion.objects.defer("artefact").order_by("-pk")


def shipped_card() -> str:
    """The model card of the model shipped with PRIMA (used while no version exists)."""
    return (ARTEFACT_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")


def corrections_used(version: SentimentModelVersion) -> QuerySet[SentimentCorrection]:
    """The staff corrections ``version`` was trained on (all made before it; versions
    from before this was recorded: all made before it was stored)."""
    last = version.metrics.get("last_correction_id", False)
    if last is False:
        return SentimentCorrection.objects.filter(created_at__lte=version.created_at)
    return SentimentCorrection.objects.filter(pk__lte=last or 0)


def corrections_new_in(version: SentimentModelVersion) -> QuerySet[SentimentCorrection]:
    """The corrections ``version`` was the first to learn from (made since the previous
    version, or all of them for the first one)."""
    previous = versions().filter(pk__lt=version.pk).first()
    used = corrections_used(version)
    if previous is None:
        return used
    return used.exclude(pk__in=corrections_used(previous).values("pk"))


# --- training --------------------------------------------------------------------------------


def write_training_data(examples: list[Any], out_dir: Path) -> None:
    """Ship the training rows with the artefact (``text<TAB>label<TAB>lang``, gzip), so
    a running PRIMA can retrain without the shared data folder."""
    with gzip.open(out_dir / TRAINING_DATA, "wt", encoding="utf-8") as fh:
        for e in examples:
            text = " ".join(e.text.split())
            fh.write(f"{text}\t{e.label}\t{e.lang}\t{e.source}\t{e.weight}\n")


def read_training_data(path: Path | None = None) -> list[Any]:
    from .nlp.sentiment.training import Example

    path = path or ARTEFACT_DIR / TRAINING_DATA
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            text, label, lang, source, weight = line.rstrip("\n").split("\t")
            out.append(Example(text, label, lang, source, float(weight)))
    return out


def _agreement(model: SentimentModel, rows: list[tuple[str, str, str]]) -> float | None:
    if not rows:
        return None
    predicted = model.predict([t for t, _l, _g in rows], [g for _t, _l, g in rows])
    return round(sum(p == label for p, (_t, label, _g) in zip(predicted, rows, strict=True))
                 / len(rows), 4)  # fmt: skip


def retrain(*, reclassify: bool = True, training_data: Path | None = None) -> SentimentModelVersion:
    """Fit a model on the shipped data plus all staff corrections, store it as the newest
    version and (by default) re-classify stored mentions with it. About a minute of CPU
    for the shipped data, in a child process (:func:`_fit_in_child`); the
    re-classification costs what :func:`.tasks.reclassify` costs."""
    from .nlp.sentiment.corrections import load_corrections

    started = time.perf_counter()
    last_correction = SentimentCorrection.objects.order_by("-pk").values_list("pk", flat=True)
    artefact, metrics = _fit_in_child(
        training_data=training_data,
        corrections=load_corrections(),
        last_correction_id=last_correction.first(),
        before=current_model(),
    )
    seconds = round(time.perf_counter() - started, 1)
    version = SentimentModelVersion.objects.create(
        corrections=metrics["corrections"], artefact=artefact, metrics=metrics,
        card=render_card(metrics, seconds), seconds=seconds,
    )  # fmt: skip
    refresh()
    if reclassify:
        from .tasks import reclassify as reclassify_mentions

        metrics["reclassified"] = reclassify_mentions()
        SentimentModelVersion.objects.filter(pk=version.pk).update(
            metrics=metrics, card=render_card(metrics, seconds)
        )
    return version


def _fit(
    *,
    training_data: Path | None,
    corrections: list[tuple[str, str, str]],
    last_correction_id: int | None,
    before: SentimentModel,
) -> tuple[bytes, dict[str, Any]]:
    """Fit the new model and measure it against ``before``: the packed artefact (zip of
    model.json and model.npz) and the metrics. No database: it may run in a child."""
    from .nlp.sentiment.training import (
        CONFIG,
        INFORMAL_HELDOUT,
        INFORMAL_TEST,
        correction_examples,
        evaluate,
        fit_model,
        read_handwritten,
        text_key,
    )

    base = read_training_data(training_data)
    extra = correction_examples(corrections, CONFIG["correction_weight"])
    corrected = {text_key(c.text) for c in extra}
    examples = [e for e in base if text_key(e.text) not in corrected] + extra
    model = fit_model(examples, CONFIG)
    model.offsets = before.offsets
    informal = read_handwritten(INFORMAL_TEST, "informal-test")
    heldout = read_handwritten(INFORMAL_HELDOUT, "informal-heldout")
    metrics = {
        "corrections": len(corrections),
        "agreement_with_corrections_before": _agreement(before, corrections),
        "agreement_with_corrections_after": _agreement(model, corrections),
        "informal_macro_f1_before": evaluate(before, informal)["macro_f1"],
        "informal_macro_f1_after": evaluate(model, informal)["macro_f1"],
        "heldout_macro_f1_before": evaluate(before, heldout)["macro_f1"],
        "heldout_macro_f1_after": evaluate(model, heldout)["macro_f1"],
        "training_rows": len(examples),
        "last_correction_id": last_correction_id,
    }
    with tempfile.TemporaryDirectory() as tmp:
        model.save(Path(tmp))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in ("model.json", "model.npz"):
                archive.write(Path(tmp) / name, name)
    return buffer.getvalue(), metrics


# What _fit_in_child hands to its child: inherited through the fork, not pickled.
_job: dict[str, Any] = {}


def _fit_inherited() -> tuple[bytes, dict[str, Any]]:
    return _fit(**_job)


def _fit_in_child(**job: Any) -> tuple[bytes, dict[str, Any]]:
    """:func:`_fit` in a process forked for it: what training takes — the training
    libraries, the character n-grams of the whole training data, the matrices, about
    350 MiB at its peak on the shipped data — ends with the child, and the long-lived
    task worker keeps its size (it grew by about 100 MiB at its first retraining when it
    trained itself). The child inherits the models and the job (nothing large is
    pickled), never touches the database connection it inherits, and ends if the worker
    dies. Where fork is unavailable, in this process."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return _fit(**job)
    from .ingest.helper import _die_with_parent

    _job.update(job)
    try:
        with ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_die_with_parent,
        ) as pool:
            return pool.submit(_fit_inherited).result()
    finally:
        _job.clear()


def render_card(metrics: dict[str, Any], seconds: float) -> str:
    """The model card section of a retrained version: what the corrections changed."""

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value * 100:.1f} %"

    lines = [
        "## Retrained with staff corrections",
        "",
        f"Trained {timezone.now():%Y-%m-%d %H:%M} UTC in {seconds:.0f} s on the shipped "
        f"training data ({metrics['training_rows']} rows) plus {metrics['corrections']} staff "
        "corrections (each counts as several rows).",
        "",
        "| | before | after |",
        "|---|---|---|",
        f"| agreement with the staff corrections | "
        f"{pct(metrics['agreement_with_corrections_before'])} | "
        f"{pct(metrics['agreement_with_corrections_after'])} |",
        f"| macro-F1 on PRIMA's hand-written informal test set | "
        f"{pct(metrics['informal_macro_f1_before'])} | "
        f"{pct(metrics['informal_macro_f1_after'])} |",
    ]
    if "heldout_macro_f1_before" in metrics:
        lines.append(
            f"| macro-F1 on PRIMA's held-out informal set | "
            f"{pct(metrics['heldout_macro_f1_before'])} | "
            f"{pct(metrics['heldout_macro_f1_after'])} |"
        )
    if "reclassified" in metrics:
        lines += ["", f"Stored mentions whose sentiment changed: {metrics['reclassified']}."]
    return "\n".join(lines) + "\n"


@task()
def retrain_sentiment() -> dict[str, Any]:
    """Background retraining (see :func:`retrain`). Only when corrections arrived since
    the newest version: run again after its worker died once the version was stored, it
    does not train the same version twice. The worker gives back what training took
    (:func:`release_training_memory`)."""
    if not _corrections_since_latest().exists():
        return {"version": None, "skipped": "no corrections since the newest version"}
    try:
        version = retrain()
    finally:
        release_training_memory()
    return {"version": version.pk, **version.metrics}


def release_training_memory() -> None:
    """Give back what a retraining took in a long-lived worker: the character n-grams of
    every token of the training data (a bounded cache that training fills to its bound,
    while analysis of the stream needs a fraction of it), the shipped model once a
    retrained version replaces it, and the freed heap (glibc keeps freed memory in the
    process unless asked). Without it the task worker grew by the size of a training run
    after each retraining (docs/operations.md, "Memory")."""
    import gc

    from .nlp.sentiment.features import clear_caches

    clear_caches()
    if SentimentModelVersion.objects.exists():
        load_model.cache_clear()  # type: ignore[attr-defined]  # the shipped model
    gc.collect()
    _trim_heap()


def _trim_heap() -> None:
    """Return freed heap pages to the system (glibc's ``malloc_trim``; nothing elsewhere)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        ctypes.CDLL(name).malloc_trim(0)
    except (OSError, AttributeError):
        return  # not glibc


def _corrections_since_latest() -> models.QuerySet[SentimentCorrection]:
    latest = SentimentModelVersion.objects.only("created_at").first()
    corrections = SentimentCorrection.objects.all()
    if latest is not None:
        corrections = corrections.filter(created_at__gt=latest.created_at)
    return corrections


def maybe_enqueue(now: datetime | None = None) -> bool:
    """Enqueue :func:`retrain_sentiment` when corrections arrived since the newest version
    and that version is old enough (one or two queries; called by the scheduler tick)."""
    now = now or timezone.now()
    latest = SentimentModelVersion.objects.only("created_at").first()
    if latest is not None and latest.created_at > now - timedelta(
        minutes=settings.MONITORING_SENTIMENT_RETRAIN_MINUTES
    ):
        return False
    if not _corrections_since_latest().exists():
        return False
    retrain_sentiment.enqueue()
    return True

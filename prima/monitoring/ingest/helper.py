"""The analysis helper process: analyses the next chunk while the worker stores this one.

Forked from the worker (``MONITORING_ANALYSIS_WORKERS`` processes, 1 by default), so it
inherits the loaded models and caches; it runs only :func:`..analysis.analyse_texts`,
which is pure, and never touches the database connection it inherits. If it dies, the
worker analyses by itself from then on: nothing was written for a chunk whose analysis
was lost.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from django.conf import settings

from .. import analysis

logger = logging.getLogger(__name__)

Payload = list[tuple[str, str, str, str, list[str]]]
Analysed = list[tuple[str, str, float, str, list[int]]]


def _die_with_parent() -> None:
    """In the helper: end when the worker that started it ends, even if the worker was
    killed (Linux ``PR_SET_PDEATHSIG``; elsewhere the helper ends when its queue closes)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the worker already died while we were starting
        os._exit(0)


class AnalysisHelper:
    """Runs :func:`..analysis.analyse_texts` in a forked process, started on first use."""

    def __init__(self) -> None:
        self._executor: ProcessPoolExecutor | None = None
        self._disabled = settings.MONITORING_ANALYSIS_WORKERS < 1

    def submit(self, payload: Payload) -> Future[Analysed] | None:
        """Start analysing ``payload`` in the helper; None when there is no helper (the
        caller then analyses in its own process)."""
        pool = self._pool()
        if pool is None:
            return None
        try:
            return pool.submit(analysis.analyse_texts, payload)
        except (BrokenProcessPool, RuntimeError, OSError):
            self.close(broken=True)
            return None

    def result(self, future: Future[Analysed], payload: Payload) -> Analysed:
        """The analysis of ``payload`` (done here if the helper died meanwhile)."""
        try:
            return future.result()
        except (BrokenProcessPool, OSError):
            self.close(broken=True)
            return analysis.analyse_texts(payload)

    def close(self, *, broken: bool = False) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=not broken, cancel_futures=True)
            self._executor = None
        if broken:
            logger.warning("analysis helper process failed; analysing in the worker itself")
            self._disabled = True

    def _pool(self) -> ProcessPoolExecutor | None:
        if self._disabled:
            return None
        if self._executor is None:
            if "fork" not in multiprocessing.get_all_start_methods():
                self._disabled = True
                return None
            self._executor = ProcessPoolExecutor(
                max_workers=settings.MONITORING_ANALYSIS_WORKERS,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_die_with_parent,
            )
        return self._executor

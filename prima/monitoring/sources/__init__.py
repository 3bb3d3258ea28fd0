"""Source kinds: one folder per kind, all of the same shape.

A kind says *how to get bytes* (or values) and hands them to a parser in
:mod:`prima.monitoring.parsers`; it never turns bytes into mentions itself. Each
``sources/<kind>/transport.py`` defines ``KIND`` and ``open_entries(job, start)``, which
returns an :class:`~.base.EntryStream` over the job's input from entry ``start`` on (for a
resumed job); kinds that fetch by themselves (rss) also define ``fetch(source)``.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from ..models import SourceKind

KINDS = tuple(SourceKind.values)


def transport(kind: str) -> ModuleType:
    """The ``transport`` module of a source kind (``rss``, ``article``, ...)."""
    if kind not in KINDS:
        raise ValueError(f"unknown source kind {kind!r}")
    return import_module(f"{__name__}.{kind}.transport")

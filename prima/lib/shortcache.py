"""Short-lived caches with a generation per namespace.

In a storm many people watch the same thing (an office's dashboard, the conference list
of a scope, the attention list of a role): the answer is the same for all of them for a
few seconds, so it is computed once and kept::

    data = shortcache.remember(
        "monitoring.dashboard", (office_ids, period, lang), build, seconds=20
    )

and every write that changes what such answers are made of calls::

    shortcache.bump("monitoring.dashboard")

which makes every answer kept under that namespace unreachable at once. The rules a
caller keeps (the cache knows nothing of scopes or people):

- ``parts`` must name everything the answer depends on besides the data of the
  namespace: the exact scope (the office ids the person may see, not "the person's
  office"), the person when the answer is personal, the language, the time zone, the
  period. Two people with the same parts get the same answer; that is the point, and
  the reason an answer that depends on who asks must have the person in its parts.
- ``bump`` after every write the answer depends on, in the same service function that
  writes (a signal receiver is fine: :func:`bumper`). Inside a transaction the bump is
  made at once *and* again when the transaction commits, so an answer rebuilt from the
  old rows while the transaction was open is not served after the commit.
- ``seconds`` is how stale an answer may be for changes that do not bump (time passing,
  a change made by a path that does not bump); each use reads it from a documented
  setting where ``0`` turns the cache off (:func:`remember` then only builds).

Where answers are kept. In a dictionary of the process (at most ``MAX_ENTRIES``, the
expired and then the oldest dropped first), not in Django's cache: a kept answer is
handed out as it is, without the pickling round trip Django's cache makes on every read
(a third of a millisecond to a millisecond for a dashboard's figures). So **an answer is
shared by every request that gets it and must never be changed in place**: build tuples,
frozen dataclasses, strings, or dictionaries nobody writes to.

Across processes. The answers are per process (gunicorn runs several); the
*generations* are not: each namespace's generation is a small file under
``VAR_DIR/generations/`` (one ``stat`` per look-up, about a microsecond), and a bump
appends a byte to it. A bump made in one process (a web worker, the task worker, a
command) therefore reaches every process of the installation at its next look-up: a
person never sees the state before their own change, whichever process serves their next
request, and nobody sees a bumped change later than that. PRIMA runs on one server;
processes on several machines would need ``VAR_DIR`` shared between them.

The answer is read with the generation taken *before* it is built, so a bump made while
it is being built leaves it under the old generation, never served again.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from hashlib import sha256
from pathlib import Path
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import transaction

T = TypeVar("T")

_NAMESPACE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
# A generation file is emptied when it reaches this size (a bump appends one byte); its
# modification time in nanoseconds keeps the emptied state distinct from earlier ones.
_MAX_GENERATION_BYTES = 4096
_MISSING = object()
MAX_ENTRIES = 2000

# key -> (expires at, monotonic seconds; answer)
_store: dict[str, tuple[float, Any]] = {}
_lock = threading.Lock()


def clear() -> None:
    """Forget every answer kept in this process (tests)."""
    with _lock:
        _store.clear()


def _get(key: str) -> Any:
    found = _store.get(key)
    if found is None:
        return _MISSING
    if found[0] <= time.monotonic():
        _store.pop(key, None)
        return _MISSING
    return found[1]


def _set(key: str, value: Any, seconds: int) -> None:
    now = time.monotonic()
    with _lock:
        if len(_store) >= MAX_ENTRIES:
            for old in [k for k, (expires, _v) in _store.items() if expires <= now]:
                del _store[old]
            if len(_store) >= MAX_ENTRIES:  # still full: drop the older half
                for old in list(_store)[: MAX_ENTRIES // 2]:
                    del _store[old]
        _store[key] = (now + seconds, value)


def _directory() -> Path:
    return Path(settings.VAR_DIR) / "generations"


def _path(namespace: str) -> Path:
    if not _NAMESPACE.match(namespace):
        raise ValueError(f"Not a cache namespace: {namespace!r}")
    return _directory() / namespace


def generation(namespace: str) -> str:
    """The namespace's current generation (changes at every :func:`bump`, in any process)."""
    try:
        st = os.stat(_path(namespace))
    except FileNotFoundError:
        return "0"
    return f"{st.st_mtime_ns:x}.{st.st_size:x}.{st.st_ino:x}"


def _touch(namespace: str) -> None:
    path = _path(namespace)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, b".")
        if os.fstat(fd).st_size >= _MAX_GENERATION_BYTES:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)


def bump(*namespaces: str) -> None:
    """Make every answer kept under ``namespaces`` unreachable, in every process.

    Inside a transaction, again when it commits (see the module's docstring)."""

    def touch_all() -> None:
        for namespace in namespaces:
            _touch(namespace)

    touch_all()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(touch_all)


def bumper(*namespaces: str) -> Callable[..., None]:
    """A signal receiver (any arguments) that bumps ``namespaces``. Connect it with
    ``weak=False`` or keep a reference: it is a new function."""

    def receiver(*args: Any, **kwargs: Any) -> None:
        bump(*namespaces)

    return receiver


class Slot(Generic[T]):
    """One answer's place in the cache, with the generation read when it was looked up.

    For callers that cannot pass a ``build`` function (the answer is made elsewhere and
    may turn out not to be worth keeping); :func:`remember` is the usual way."""

    __slots__ = ("key", "seconds", "hit", "value")

    def __init__(
        self, namespace: str | Iterable[str], parts: Iterable[object], *, seconds: int
    ) -> None:
        self.seconds = seconds
        self.hit = False
        self.value: T | None = None
        self.key: str | None = None
        if seconds <= 0:
            return
        names = (namespace,) if isinstance(namespace, str) else tuple(namespace)
        gens = ";".join(f"{n}={generation(n)}" for n in names)
        digest = sha256(repr(tuple(parts)).encode()).hexdigest()
        self.key = f"prima:short:{names[0]}:{digest}:{sha256(gens.encode()).hexdigest()[:16]}"
        found = _get(self.key)
        if found is not _MISSING:
            self.hit = True
            self.value = found

    def put(self, value: T) -> None:
        """Keep ``value`` (under the generation read at look-up)."""
        if self.key is not None:
            _set(self.key, value, self.seconds)


def remember(
    namespace: str | Iterable[str],
    parts: Iterable[object],
    build: Callable[[], T],
    *,
    seconds: int,
) -> T:
    """``build()``, or its answer kept for at most ``seconds`` for the same ``parts`` and
    the same generation of ``namespace`` (one name, or several when the answer is made of
    several namespaces' data: a bump of any of them drops it). ``seconds <= 0`` builds
    every time. ``parts`` are compared by ``repr``: strings, numbers, dates, tuples."""
    slot: Slot[T] = Slot(namespace, parts, seconds=seconds)
    if slot.hit:
        return slot.value  # type: ignore[return-value]
    value = build()
    slot.put(value)
    return value

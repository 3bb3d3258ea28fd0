"""Short-lived caches: answers kept per parts and generation, bumps reach every process."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from django.db import transaction

from prima.lib import shortcache


@pytest.fixture(autouse=True)
def generations(settings, tmp_path) -> Path:
    settings.VAR_DIR = tmp_path
    shortcache.clear()
    return tmp_path / "generations"


class Builder:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return f"answer {self.calls}"


def test_an_answer_is_built_once_per_parts():
    build = Builder()
    assert shortcache.remember("t.one", ("a", 1), build, seconds=60) == "answer 1"
    assert shortcache.remember("t.one", ("a", 1), build, seconds=60) == "answer 1"
    assert shortcache.remember("t.one", ("a", 2), build, seconds=60) == "answer 2"
    assert shortcache.remember("t.two", ("a", 1), build, seconds=60) == "answer 3"
    assert build.calls == 3


def test_zero_seconds_builds_every_time():
    build = Builder()
    shortcache.remember("t.one", (), build, seconds=0)
    shortcache.remember("t.one", (), build, seconds=0)
    assert build.calls == 2


def test_none_is_an_answer_too():
    calls = []
    for _ in range(2):
        assert shortcache.remember("t.one", (), lambda: calls.append(1), seconds=60) is None
    assert len(calls) == 1


def test_a_bump_drops_every_answer_of_its_namespace_only():
    build = Builder()
    shortcache.remember("t.one", ("x",), build, seconds=60)
    shortcache.remember("t.two", ("x",), build, seconds=60)
    shortcache.bump("t.one")
    assert shortcache.remember("t.one", ("x",), build, seconds=60) == "answer 3"
    assert shortcache.remember("t.two", ("x",), build, seconds=60) == "answer 2"


def test_an_answer_of_several_namespaces_goes_with_a_bump_of_any():
    build = Builder()
    assert shortcache.remember(("t.one", "t.two"), (), build, seconds=60) == "answer 1"
    shortcache.bump("t.two")
    assert shortcache.remember(("t.one", "t.two"), (), build, seconds=60) == "answer 2"
    shortcache.bump("t.one")
    assert shortcache.remember(("t.one", "t.two"), (), build, seconds=60) == "answer 3"


def test_the_generation_is_read_before_the_answer_is_built():
    """A bump while an answer is being built: that answer is never served."""
    slot: shortcache.Slot[str] = shortcache.Slot("t.one", (), seconds=60)
    assert not slot.hit
    shortcache.bump("t.one")  # somebody writes while we build
    slot.put("built from the old rows")
    assert not shortcache.Slot("t.one", (), seconds=60).hit


def _bump_in_child(var_dir: str) -> None:
    from django.conf import settings

    settings.VAR_DIR = Path(var_dir)
    shortcache._touch("t.shared")


def test_a_bump_in_another_process_reaches_this_one(tmp_path):
    build = Builder()
    assert shortcache.remember("t.shared", (), build, seconds=60) == "answer 1"
    child = multiprocessing.get_context("fork").Process(
        target=_bump_in_child, args=(str(tmp_path),)
    )
    child.start()
    child.join(30)
    assert child.exitcode == 0
    assert shortcache.remember("t.shared", (), build, seconds=60) == "answer 2"


def test_generations_stay_distinct_when_the_file_is_emptied(monkeypatch):
    monkeypatch.setattr(shortcache, "_MAX_GENERATION_BYTES", 3)
    seen = {shortcache.generation("t.one")}
    for _ in range(20):
        shortcache.bump("t.one")
        seen.add(shortcache.generation("t.one"))
    assert len(seen) == 21


@pytest.mark.django_db
def test_a_bump_in_a_transaction_is_made_again_at_commit(django_capture_on_commit_callbacks):
    build = Builder()
    shortcache.remember("t.one", (), build, seconds=60)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            shortcache.bump("t.one")
            # Another request rebuilds from the rows before the commit...
            assert shortcache.remember("t.one", (), build, seconds=60) == "answer 2"
    # ...and that answer is not served after it.
    assert shortcache.remember("t.one", (), build, seconds=60) == "answer 3"


def test_namespaces_are_plain_names():
    with pytest.raises(ValueError):
        shortcache.bump("../etc")
    with pytest.raises(ValueError):
        shortcache.remember("A B", (), lambda: 1, seconds=5)


def test_bumper_is_a_signal_receiver():
    build = Builder()
    shortcache.remember("t.one", (), build, seconds=60)
    shortcache.bumper("t.one")(sender=object, instance=None, created=True)
    shortcache.remember("t.one", (), build, seconds=60)
    assert build.calls == 2


def test_an_answer_expires_after_its_seconds(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("prima.lib.shortcache.time.monotonic", lambda: clock[0])
    build = Builder()
    shortcache.remember("t.one", (), build, seconds=20)
    clock[0] += 19
    assert shortcache.remember("t.one", (), build, seconds=20) == "answer 1"
    clock[0] += 2
    assert shortcache.remember("t.one", (), build, seconds=20) == "answer 2"


def test_the_store_is_bounded(monkeypatch):
    monkeypatch.setattr(shortcache, "MAX_ENTRIES", 10)
    for n in range(35):
        shortcache.remember("t.one", (n,), lambda: n, seconds=60)
    assert len(shortcache._store) <= 10
    # The newest answers are still there.
    assert shortcache.Slot("t.one", (34,), seconds=60).hit

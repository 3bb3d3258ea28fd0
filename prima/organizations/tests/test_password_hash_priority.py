"""The password hash runs on a low-priority thread, and stays Django's PBKDF2."""

from __future__ import annotations

import os
import sys
import threading

import pytest
from django.contrib.auth import hashers

from prima.organizations import passwords
from prima.organizations.passwords import LowPriorityPBKDF2PasswordHasher

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice")


def _spy(monkeypatch) -> list[tuple[str, int]]:
    """Record the thread and its nice value wherever PBKDF2 is computed."""
    seen: list[tuple[str, int]] = []
    real = hashers.pbkdf2  # type: ignore[attr-defined]  # imported there from django.utils.crypto

    def spy(*args, **kwargs):
        thread = threading.current_thread()
        seen.append((thread.name, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
        return real(*args, **kwargs)

    monkeypatch.setattr(hashers, "pbkdf2", spy)
    return seen


def test_the_stored_hashes_are_djangos_pbkdf2_both_ways():
    ours, django = LowPriorityPBKDF2PasswordHasher(), hashers.PBKDF2PasswordHasher()
    assert ours.algorithm == django.algorithm == "pbkdf2_sha256"
    assert ours.iterations == django.iterations
    stored = django.encode("Kata#Sandi2026", "garam", 1000)
    assert ours.verify("Kata#Sandi2026", stored)
    assert not ours.verify("salah", stored)
    assert django.verify("Kata#Sandi2026", ours.encode("Kata#Sandi2026", "garam", 1000))


@linux_only
def test_the_hash_runs_on_a_thread_of_lower_priority(settings, monkeypatch):
    settings.LOGIN_HASH_NICENESS = 5
    monkeypatch.setattr(passwords, "_pool", None)
    seen = _spy(monkeypatch)
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    LowPriorityPBKDF2PasswordHasher().encode("Kata#Sandi2026", "garam", 1000)
    [(thread, nice)] = seen
    assert thread.startswith("prima-password-hash")
    assert nice == min(19, mine + 5)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine  # not ours


def test_with_niceness_zero_the_hash_runs_on_the_requests_thread(settings, monkeypatch):
    settings.LOGIN_HASH_NICENESS = 0
    seen = _spy(monkeypatch)
    LowPriorityPBKDF2PasswordHasher().encode("Kata#Sandi2026", "garam", 1000)
    assert [thread for thread, _nice in seen] == [threading.current_thread().name]


@linux_only
def test_a_log_in_checks_the_password_through_it(settings, monkeypatch, offices):
    from django.contrib.auth import authenticate

    from prima.conftest import make_person

    settings.PASSWORD_HASHERS = ["prima.organizations.passwords.LowPriorityPBKDF2PasswordHasher"]
    settings.LOGIN_HASH_NICENESS = 3
    monkeypatch.setattr(passwords, "_pool", None)
    person = make_person("tamu", offices["soetta"])
    person.set_password("Kata#Sandi2026")
    person.save()
    seen = _spy(monkeypatch)
    assert authenticate(None, username="tamu", password="Kata#Sandi2026") == person
    assert seen and all(thread.startswith("prima-password-hash") for thread, _ in seen)

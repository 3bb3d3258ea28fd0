"""Concurrent appends keep the hash chain linear (PostgreSQL: real row locks, real threads).

SQLite serialises writers by itself (IMMEDIATE transactions), so this runs on PostgreSQL
only; each thread uses its own database connection.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from prima.organizations import audit
from prima.organizations.models import AuditEntry, Office

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 6
APPENDS_EACH = 10


def test_concurrent_appends_never_fork_the_chain(offices, head):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks between connections)")
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            office = Office.objects.get(pk=offices["soetta"].pk)
            barrier.wait(timeout=30)
            for i in range(APPENDS_EACH):
                with transaction.atomic():
                    audit.log(
                        head,
                        "office.touch",
                        office,
                        object_label=f"w{worker}-{i}",
                        only_if_changed=False,
                    )
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    total = THREADS * APPENDS_EACH
    seqs = list(
        AuditEntry.objects.filter(action="office.touch")
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    assert len(seqs) == total
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, AuditEntry.objects.count() + 1)
    )
    assert len(set(AuditEntry.objects.values_list("prev_hash", flat=True))) == (
        AuditEntry.objects.count()
    )
    assert audit.verify() == []

"""Background generation of documents (``manage.py db_worker``)."""

from __future__ import annotations

try:  # Django ≥ 6 ships the tasks framework; 5.2 uses the django-tasks backport.
    from django.tasks import task
except ImportError:
    from django_tasks import task

from . import services


@task()  # type: ignore[untyped-decorator]
def generate_document(doc_id: int) -> str:
    doc = services.run(doc_id)
    return doc.status if doc is not None else "skipped"

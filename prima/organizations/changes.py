"""Short-lived caches dropped by audited changes.

Every state change in PRIMA writes an audit entry (:mod:`.audit`), whatever path made
it (a form, the API, a command, a task, a ``QuerySet.update``). So the one dependable
moment to drop answers kept by :mod:`prima.lib.shortcache` is the audit entry being
written: an app says which entries drop which namespace::

    changes.drop_on_audit("conferences.list", object_types=("conferences.",))

and the entry's ``post_save`` bumps it (at once and again when the transaction commits,
in every process). Writes that are not audited (a task creating a notification, demo
loaders) are caught by connecting the model's own signals (:func:`drop_on_save`); what
neither catches can lag by the cache's seconds, which every use documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prima.lib import shortcache


@dataclass(frozen=True)
class _Rule:
    namespace: str
    object_types: tuple[str, ...] | None  # prefixes of "app.model"; None: every entry
    except_actions: tuple[str, ...]

    def matches(self, object_type: str, action: str) -> bool:
        if self.except_actions and action.startswith(self.except_actions):
            return False
        return self.object_types is None or object_type.startswith(self.object_types)


_rules: list[_Rule] = []


def drop_on_audit(
    namespace: str,
    *,
    object_types: tuple[str, ...] | None = None,
    except_actions: tuple[str, ...] = (),
) -> None:
    """Bump ``namespace`` when an audit entry is written about an object whose type
    (``"app.model"``) starts with one of ``object_types`` (None: any), unless its action
    starts with one of ``except_actions``. Registering the same rule twice is a no-op."""
    rule = _Rule(namespace, object_types, except_actions)
    if rule not in _rules:
        _rules.append(rule)


def drop_on_save(namespace: str, *labels: str) -> None:
    """Bump ``namespace`` when a model of ``labels`` (``"app.Model"``) is saved or deleted."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    def receiver(*args: Any, **kwargs: Any) -> None:
        shortcache.bump(namespace)

    for label in labels:
        model = apps.get_model(label)
        uid = f"shortcache-{namespace}-{label}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + "-d")


def audited(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """``post_save`` of an audit entry (connected in ``OrganizationsConfig.ready``)."""
    if not created:
        return
    object_type, action = str(instance.object_type), str(instance.action)
    namespaces = {r.namespace for r in _rules if r.matches(object_type, action)}
    if namespaces:
        shortcache.bump(*sorted(namespaces))

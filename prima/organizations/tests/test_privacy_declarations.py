"""Every model of PRIMA declares its personal data (UU No. 27/2022 Ps. 31): the record of
processing, retention and data-subject requests are generated from the declarations, so a
new model without one, or a declaration naming a field that does not exist, fails here."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.module_loading import import_string

from prima.organizations.models import Office, User
from prima.organizations.policy import RULES
from prima.organizations.privacy import declarations as pdp

# Fields whose name says they hold personal data (the heuristic below).
PERSONAL_NAMES = {"phone", "email", "name", "handle", "ip", "user_agent"}


def _resolve(model: type[models.Model], path: str) -> type[models.Model]:
    """Follow a ``a__b__c`` lookup path of foreign keys; the model it ends at."""
    current = model
    for part in path.split("__"):
        field = current._meta.get_field(part)
        assert field.is_relation and field.related_model, f"{path}: {part} is no relation"
        related = field.related_model
        assert isinstance(related, type)
        current = related
    return current


def test_every_prima_model_declares_its_personal_data():
    missing = [m._meta.label for m in pdp.prima_models() if pdp.declaration_of(m) is None]
    assert missing == []
    assert len(pdp.registry()) >= len(pdp.prima_models())


def test_a_model_without_a_declaration_is_refused(monkeypatch):
    class Undeclared:
        _meta = Office._meta  # only its label is read

    monkeypatch.setattr(pdp, "prima_models", lambda: [Undeclared])
    with pytest.raises(LookupError, match="organizations.Office"):
        pdp.registry()


@pytest.mark.parametrize("item", pdp.registry(personal_only=True), ids=lambda i: i.label)
def test_declared_fields_exist(item: pdp.Declared):
    declaration = item.declaration
    assert isinstance(declaration, pdp.PersonalData)
    assert declaration.fields, "a declaration of personal data names its fields"
    assert declaration.purpose and declaration.data and declaration.subjects
    for name in declaration.fields:
        try:
            item.model._meta.get_field(name)
        except FieldDoesNotExist:
            pytest.fail(f"{item.label}.personal_data names a field {name!r} it does not have")
    for lookup, names in declaration.identifiers.items():
        assert isinstance(lookup, pdp.Lookup)
        for name in names:
            field = item.model._meta.get_field(name)
            if lookup is pdp.Lookup.USER:
                assert field.is_relation and field.related_model is User, (item.label, name)
    if declaration.office:
        assert _resolve(item.model, declaration.office) is Office


@pytest.mark.parametrize("item", pdp.registry(personal_only=True), ids=lambda i: i.label)
def test_who_may_see_it_are_policy_actions(item: pdp.Declared):
    assert isinstance(item.declaration, pdp.PersonalData)
    for action in item.declaration.visible_to:
        assert action in RULES, f"{item.label}: {action} is no action of the policy"


@pytest.mark.parametrize("item", pdp.registry(personal_only=True), ids=lambda i: i.label)
def test_retention_is_coherent(item: pdp.Declared):
    assert isinstance(item.declaration, pdp.PersonalData)
    retention = item.declaration.retention
    timeless = {pdp.Start.ACCOUNT, pdp.Start.RECORD, pdp.Start.KEPT}
    if retention.start in timeless:
        assert retention.days is None and not retention.purge
    else:
        assert retention.period_days is not None, f"{item.label}: a period is needed"
        assert retention.purge, f"{item.label}: a period needs the function that applies it"
    if retention.setting:
        assert hasattr(settings, retention.setting), retention.setting
    if retention.purge:
        assert callable(import_string(retention.purge))


def _looks_personal(model: type[models.Model]) -> list[str]:
    found = []
    for field in model._meta.get_fields():
        if not getattr(field, "concrete", False):
            continue
        name = field.name
        if isinstance(field, models.EmailField | models.GenericIPAddressField):
            found.append(name)
        elif any(part in PERSONAL_NAMES for part in name.split("_")):
            found.append(name)
        elif field.is_relation and field.related_model is User:
            found.append(name)
    return found


@pytest.mark.parametrize("model", pdp.prima_models(), ids=lambda m: m._meta.label)
def test_models_that_look_personal_do_not_claim_to_hold_nothing(model):
    """E-mail fields, phone/name/handle/ip fields and links to a user are personal data
    unless the declaration says why not (e.g. an office's own e-mail address)."""
    declaration = pdp.declaration_of(model)
    suspicious = _looks_personal(model)
    if suspicious and isinstance(declaration, pdp.NoPersonalData):
        assert declaration.reason, (
            f"{model._meta.label} has {suspicious} but declares NO_PERSONAL_DATA without a reason"
        )
        assert not any(model._meta.get_field(n).is_relation for n in suspicious), (
            f"{model._meta.label} links to a user: that is personal data"
        )


def test_the_heuristic_catches_contact_fields_and_links_to_a_user():
    from django.apps import apps

    assert {"phone", "email"} <= set(_looks_personal(apps.get_model("conferences.MediaContact")))
    assert "actor" in _looks_personal(apps.get_model("organizations.AuditEntry"))


def test_declarations_are_frozen():
    declaration = User.personal_data
    assert isinstance(declaration, pdp.PersonalData)
    with pytest.raises(AttributeError):
        declaration.purpose = "anything"  # type: ignore[misc]
    with pytest.raises(TypeError):
        declaration.identifiers[pdp.Lookup.NAME] = ("x",)


def test_the_audit_trail_is_declared_as_kept():
    from prima.organizations.models import AuditEntry

    assert AuditEntry.personal_data.retention.start is pdp.Start.KEPT


def test_sessions_are_declared_too():
    labels = {item.label for item in pdp.registry()}
    assert "sessions.Session" in labels

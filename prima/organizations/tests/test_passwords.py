"""Password rules: long, not common, not numeric, not like the user name, mixed."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.urls import reverse

from prima.conftest import client_for
from prima.organizations.models import User
from prima.organizations.passwords import CharacterClassValidator


def codes(password: str, user: User | None = None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return {e.code or "" for e in exc.error_list}
    return set()


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1!xyz", "password_too_short"),  # 7 characters; 12 are required
        ("493817265039", "password_entirely_numeric"),
        ("qwerty123456", "password_too_common"),
        ("1q2w3e4r5t6y", "password_too_common"),
        ("sangatpanjangsekali", "password_too_simple"),  # one class only
        ("SANGATPANJANG2026", "password_too_simple"),  # two classes
    ],
)
def test_weak_passwords_are_refused(db, password, code):
    assert code in codes(password)


def test_a_password_like_the_user_name_is_refused(db):
    user = User(
        username="rina.wulandari", full_name="Rina Wulandari", email="rina.wulandari@imigrasi.go.id"
    )
    assert "password_too_similar" in codes("Rina.Wulandari1", user)


@pytest.mark.parametrize("password", ["Kuat#Sekali2026", "pelabuhan-Udara-77", "Demo#Prima2026"])
def test_strong_passwords_pass(db, password):
    assert codes(password) == set()


def test_three_of_four_character_classes_are_enough():
    validator = CharacterClassValidator()
    validator.validate("abcdefgh1234!")  # lower, digit, other
    validator.validate("ABCDEFGH1234a")  # upper, digit, lower
    with pytest.raises(ValidationError):
        validator.validate("abcdefgh1234")


def test_the_rules_are_explained(db):
    texts = " ".join(password_validators_help_texts())
    assert "12" in texts
    assert CharacterClassValidator().get_help_text() in texts


def test_the_admin_refuses_a_weak_password(administrator, offices):
    response = client_for(administrator).post(
        reverse("admin:organizations_user_add"),
        {
            "username": "lemah",
            "office": offices["soetta"].pk,
            "password1": "12345678",
            "password2": "12345678",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="lemah").exists()

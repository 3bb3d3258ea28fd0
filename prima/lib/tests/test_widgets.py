"""ListSelect gives exactly the markup of Django's Select."""

from __future__ import annotations

import pytest
from django import forms

from prima.lib.widgets import ListSelect

CHOICES = [
    ("", "Semua"),
    (1, 'Antrean "panjang" & <lama>'),
    ("Terminal", [("t2", "Terminal 2"), ("t3", "Terminal 3")]),
    (3, "Autogate"),
]


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, None),
        ("1", {"id": "id_issue", "class": "wide"}),
        ("t3", {"required": True, "disabled": False, "data-x": 'a"b'}),
        (3, {"aria-label": "Isu <pilih>"}),
    ],
)
def test_it_renders_what_django_renders(value, attrs):
    django_select = forms.Select(choices=CHOICES)
    ours = ListSelect(choices=CHOICES)
    assert ours.render("issue", value, attrs) == django_select.render("issue", value, attrs)


def test_a_form_field_renders_the_same():
    class Both(forms.Form):
        a = forms.ChoiceField(choices=[("x", "X & Y"), ("z", "Z")], required=False)
        b = forms.ChoiceField(
            choices=[("x", "X & Y"), ("z", "Z")], required=False, widget=ListSelect
        )

    form = Both({"a": "z", "b": "z"})
    assert str(form["a"]).replace('name="a"', "").replace('id="id_a"', "") == str(
        form["b"]
    ).replace('name="b"', "").replace('id="id_b"', "")

"""``{% form_fields %}``: blank forms that render alike are rendered once per language and
zone; a form with input or initial data always afresh."""

from __future__ import annotations

from django.utils.translation import override

from prima.conferences import forms as f
from prima.conferences.templatetags import conference_forms
from prima.conferences.templatetags.conference_forms import form_fields


def test_a_blank_form_that_renders_alike_is_rendered_once(monkeypatch):
    conference_forms._blank.clear()
    rendered = []
    original = conference_forms._fields

    def counting(form):
        rendered.append(form)
        return original(form)

    monkeypatch.setattr(conference_forms, "_fields", counting)
    first = form_fields(f.FactForm())
    assert form_fields(f.FactForm()) == first and len(rendered) == 1
    assert 'id="id_fact_statement"' in first and "Sumber" in first
    with override("en"):
        assert "Source" in form_fields(f.FactForm())
    assert len(rendered) == 2


def test_the_zone_of_a_blank_form_is_part_of_its_key(monkeypatch):
    conference_forms._blank.clear()
    jakarta, bali = f.ChronologyForm(), f.ChronologyForm()
    jakarta.set_zone("Asia/Jakarta")
    bali.set_zone("Asia/Makassar")
    form_fields(jakarta)
    form_fields(bali)
    assert len(conference_forms._blank) == 2


def test_forms_with_input_initial_data_or_database_choices_are_rendered_afresh():
    conference_forms._blank.clear()
    refused = f.FactForm(data={"statement": "", "source": "Inteldakim"})
    assert not refused.is_valid()
    html = form_fields(refused)
    assert 'value="Inteldakim"' in html and "errorlist" in html
    assert 'value="7"' in form_fields(f.CancelForm(initial={"version": 7}))
    form_fields(f.RoleForm())  # its people are read from the database
    assert conference_forms._blank == {}

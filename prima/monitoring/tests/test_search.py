"""Full-text search: FTS5 on SQLite, GIN/tsvector on PostgreSQL, one normalisation."""

from __future__ import annotations

import pytest

from prima.monitoring.ingest import ingest_items
from prima.monitoring.models import Mention
from prima.monitoring.query import QuerySyntaxError
from prima.monitoring.search import compile_fts5, compile_tsquery, search

from .conftest import post

pytestmark = pytest.mark.django_db

TEXTS = {
    "p1": "Pelayanan paspor di Kantor Imigrasi Soekarno-Hatta sangat cepat",
    "p2": "Antrean panjang di konter imigrasi bandara, gak ada petugas",
    "p3": "Autogates at the airport were broken this morning",
    "p4": "Calo paspor menawarkan jalur cepat dengan pungli",
    "p5": "Petugas imigrasi melayani penumpang dengan ramah",
}


@pytest.fixture
def stored(push_source):
    ingest_items(push_source, [post(int(k[1:]), text) for k, text in TEXTS.items()])
    return Mention.objects.all()


def found(qs, q: str) -> set[str]:
    return set(search(qs, q).values_list("external_id", flat=True))


def test_words_are_matched_through_the_same_stemming(stored):
    # "melayani" and "pelayanan" share the stem "layan".
    assert found(stored, "dilayani") == {"p1", "p5"}


def test_all_words_must_match(stored):
    assert found(stored, "paspor cepat") == {"p1", "p4"}
    assert found(stored, "paspor pungli") == {"p4"}


def test_or_not_and_parentheses(stored):
    assert found(stored, "pungli OR autogates") == {"p3", "p4"}
    assert found(stored, "paspor NOT calo") == {"p1"}
    assert found(stored, "(antrean OR calo) AND paspor") == {"p4"}


def test_a_query_of_only_exclusions_keeps_everything_else(stored):
    assert found(stored, "NOT imigrasi") == {"p3", "p4"}


def test_phrases_and_prefixes(stored):
    assert found(stored, '"antrean panjang"') == {"p2"}
    assert found(stored, '"panjang antrean"') == set()
    assert found(stored, "autogate*") == {"p3"}
    assert found(stored, "imigra*") == {"p1", "p2", "p5"}


def test_informal_spellings_are_normalised_on_both_sides(stored):
    # The post says "gak", the informal "tidak": either spelling finds it.
    assert found(stored, "petugas gak") == {"p2"}
    assert found(stored, "petugas tidak") == {"p2"}


def test_stop_words_alone_find_nothing_and_blank_finds_everything(stored):
    assert found(stored, "yang dan di") == set()
    assert found(stored, "   ") == set(TEXTS)


def test_a_malformed_query_raises_with_the_position(stored):
    with pytest.raises(QuerySyntaxError) as info:
        search(stored, "paspor AND (calo")
    assert info.value.position >= 11


def test_search_respects_the_queryset_it_is_given(stored):
    assert found(stored.filter(external_id="p5"), "imigrasi") == {"p5"}


def test_deleted_mentions_leave_the_index(stored):
    Mention.objects.filter(external_id="p4").delete()
    assert found(Mention.objects.all(), "pungli") == set()


def test_the_compiled_expressions_are_plain_tokens():
    assert compile_fts5('paspor "antrean panjang" imigra*') == (
        '("paspor") AND ("antre panjang") AND ("imigra"*)'
    )
    assert compile_tsquery("paspor OR NOT calo") == "(paspor | !(calo))"
    # Punctuation never reaches the database: only letters and digits survive.
    assert compile_tsquery("x' OR 1=1 --") == "(x | ((1 <-> 1)))"


def test_the_sqlite_index_is_kept_in_sync_by_triggers():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("FTS5 triggers exist on SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        triggers = {row[0] for row in cursor.fetchall()}
    assert {"monitoring_mention_fts_ai", "monitoring_mention_fts_ad",
            "monitoring_mention_fts_au"} <= triggers  # fmt: skip

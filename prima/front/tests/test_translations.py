"""The Indonesian catalogue is complete, compiled, and in step with the code.

New user-facing strings make these tests fail until their Indonesian is in
``locale/id/LC_MESSAGES/django.po`` (add it to ``locale/id/fragments/<app>.po`` and run
``make messages``).
"""

from __future__ import annotations

import gettext
import importlib.util
import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

ROOT = settings.BASE_DIR
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _load_merge_module():
    spec = importlib.util.spec_from_file_location(
        "merge_translations", ROOT / "scripts" / "merge_translations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("merge_translations", module)
    spec.loader.exec_module(module)
    return module


po = _load_merge_module()


def _live(entries):
    return [e for e in entries if e.msgid and not e.obsolete]


def _catalogue_key(entry) -> str:
    return entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"


def test_every_message_has_an_indonesian_translation():
    entries = _live(po.read(PO))
    assert entries, "django.po has no messages"
    untranslated = [e.msgid for e in entries if not e.translated]
    assert not untranslated, (
        f"{len(untranslated)} message(s) without Indonesian (or fuzzy) in {PO.name}; add "
        f"them to locale/id/fragments/<app>.po and run `make messages`: {untranslated[:20]}"
    )


def test_the_header_is_usable_by_gettext():
    header = next(e for e in po.read(PO) if e.msgid == "")
    assert not header.fuzzy, "a fuzzy header is dropped by msgfmt (charset, plural forms)"
    text = header.msgstr[0]
    assert "Language: id\n" in text
    assert "charset=UTF-8" in text
    assert "Plural-Forms: nplurals=1; plural=0;" in text


def test_the_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict = {}
    for entry in _live(po.read(PO)):
        if not entry.translated:
            continue  # msgfmt leaves untranslated and fuzzy entries out
        key = _catalogue_key(entry)
        if entry.msgid_plural is None:
            expected[key] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                expected[(key, index)] = text
    compiled = {k: v for k, v in compiled.items() if k != ""}
    missing = sorted(str(k) for k in expected.keys() - compiled.keys())
    stale = sorted(str(k) for k in compiled.keys() - expected.keys())
    different = sorted(
        str(k) for k in expected.keys() & compiled.keys() if expected[k] != compiled[k]
    )
    assert not (missing or stale or different), (
        "django.mo is out of date: run `make messages` (or compilemessages). "
        f"Missing: {missing[:10]}, stale: {stale[:10]}, different: {different[:10]}"
    )


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="gettext is not installed (make test installs it)"
)
def test_makemessages_finds_no_string_missing_from_the_catalogue(tmp_path):
    """Run makemessages on a copy of the project: every string must already be in django.po."""
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__", "static", "fixtures", "*.sqlite3*")
    shutil.copytree(ROOT / "prima", copy / "prima", ignore=ignore)
    shutil.copytree(ROOT / "locale", copy / "locale")
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PRIMA_"))}
    env["PRIMA_VAR_DIR"] = str(tmp_path / "var")
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "id",
            "--no-obsolete",
            "--add-location=never",
            "--ignore=*/tests/fixtures/*",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    extracted = {e.key for e in _live(po.read(copy / "locale/id/LC_MESSAGES/django.po"))}
    known = {e.key for e in _live(po.read(PO))}
    missing = sorted(msgid for _ctx, msgid in extracted - known)
    assert not missing, (
        f"{len(missing)} string(s) in the code are not in {PO.name}: add their Indonesian "
        f"to locale/id/fragments/<app>.po and run `make messages`: {missing[:20]}"
    )


@pytest.mark.django_db
def test_the_login_page_is_in_indonesian_by_default():
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert "Masuk" in response.content.decode()
    assert 'lang="id"' in response.content.decode()


@pytest.mark.django_db
def test_an_english_browser_still_gets_indonesian():
    response = Client(headers={"accept-language": "en"}).get("/accounts/login/")
    assert "Masuk" in response.content.decode()


@pytest.mark.django_db
def test_the_chosen_language_is_honoured():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/accounts/login/")
    assert "Log in" in response.content.decode()
    assert 'lang="en"' in response.content.decode()


def test_role_names_use_the_government_terms():
    from prima.organizations.models import OfficeLevel, Role

    with translation.override("id"):
        assert str(Role.PR_STAFF.label) == "Staf humas"
        assert str(Role.PR_LEAD.label) == "Kepala seksi humas"
        assert str(Role.SPOKESPERSON.label) == "Juru bicara"
        assert str(Role.HEAD.label) == "Kepala kantor"
        assert str(OfficeLevel.REGIONAL_OFFICE.label) == "Kantor wilayah (Kanwil)"


# --- scripts/merge_translations.py ------------------------------------------------------

CATALOGUE = """\
# SOME DESCRIPTIVE TITLE.
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: PACKAGE VERSION\\n"
"Language: \\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

#: prima/x/views.py
msgid "Log in"
msgstr "Masuk"

#: prima/x/views.py
msgid "Save"
msgstr ""

#: prima/x/views.py
#, fuzzy, python-format
#| msgid "Hello %(name)s"
msgid "Welcome %(name)s"
msgstr "Halo %(name)s"

msgctxt "month"
msgid "May"
msgstr ""

#, python-format
msgid "%(n)s item"
msgid_plural "%(n)s items"
msgstr[0] ""
msgstr[1] ""

msgid ""
"A long message that gettext wraps over several lines because it is longer "
"than one line.\\n"
msgstr ""
"""

FRAGMENT = """\
msgid "Log in"
msgstr "Log masuk"

msgid "Save"
msgstr "Simpan"

msgid "Welcome %(name)s"
msgstr "Selamat datang, %(name)s"

msgctxt "month"
msgid "May"
msgstr "Mei"

msgid "%(n)s item"
msgid_plural "%(n)s items"
msgstr[0] "%(n)s butir"

msgid "A long message that gettext wraps over several lines because it is longer than one line.\\n"
msgstr ""
"Pesan panjang yang dipecah gettext menjadi beberapa baris karena lebih "
"panjang dari satu baris.\\n"

msgid "Gone from the code"
msgstr "Sudah tidak ada"
"""


def test_merge_sets_entries_from_the_fragments_which_win_over_the_catalogue():
    catalogue = po.parse(CATALOGUE)
    report = po.merge(catalogue, {"x.po": po.parse(FRAGMENT)})
    by_id = {e.msgid: e for e in catalogue}
    assert by_id["Log in"].msgstr == {0: "Log masuk"}
    assert by_id["Save"].msgstr == {0: "Simpan"}
    assert by_id["Welcome %(name)s"].msgstr == {0: "Selamat datang, %(name)s"}
    assert by_id["Welcome %(name)s"].flags == ["python-format"]
    assert by_id["May"].msgstr == {0: "Mei"}
    assert by_id["%(n)s item"].msgstr == {0: "%(n)s butir"}
    assert all(e.translated for e in catalogue if e.msgid)
    assert report["missing"] == []
    assert report["unused"] == ["x.po: 'Gone from the code'"]


def test_merge_output_round_trips_and_compiles(tmp_path):
    catalogue = po.parse(CATALOGUE)
    po.merge(catalogue, {"x.po": po.parse(FRAGMENT)})
    path = tmp_path / "django.po"
    po.write(path, catalogue)
    text = path.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text and "#|" not in text
    assert "Language: id\\n" in text
    again = po.read(path)
    assert [(e.key, e.msgstr, e.flags) for e in again] == [
        (e.key, e.msgstr, e.flags) for e in catalogue
    ]
    assert max(len(line) for line in text.splitlines()) <= 80
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        command = [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(path)]
        subprocess.run(command, check=True)  # noqa: S603
        with (tmp_path / "django.mo").open("rb") as handle:
            # The catalogue itself: gettext calls with literals here would be extracted.
            catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        assert catalog["Save"] == "Simpan"
        assert catalog["month\x04May"] == "Mei"
        assert catalog[("%(n)s item", 0)] == "%(n)s butir"


def test_merge_reports_what_stays_untranslated(tmp_path):
    path = tmp_path / "django.po"
    path.write_text(CATALOGUE, encoding="utf-8")
    assert po.main(["--po", str(path), "--fragments", str(tmp_path), "--check"]) == 1
    assert path.read_text(encoding="utf-8") == CATALOGUE  # --check writes nothing


def test_a_malformed_fragment_is_reported_with_its_line():
    with pytest.raises(ValueError, match="line 2"):
        po.parse('msgid "x"\nmsgstr "unterminated\n')


def test_escapes_survive_a_round_trip():
    text = 'Tab\there, "quoted", back\\slash and\nnew line'
    assert po.unquote(po.quote(text)) == text


def test_merge_keeps_a_catalogue_translation_that_no_fragment_gives():
    catalogue = po.parse(CATALOGUE)
    po.merge(catalogue, {"x.po": po.parse('msgid "Save"\nmsgstr "Simpan"\n')})
    by_id = {e.msgid: e for e in catalogue}
    assert by_id["Log in"].msgstr == {0: "Masuk"}
    assert by_id["Save"].msgstr == {0: "Simpan"}

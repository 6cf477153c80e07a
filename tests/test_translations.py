"""Every user-facing string is translated into Thai, and the committed .mo is current."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "th" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_catalogue_entry_is_translated():
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue if not e.translated() and not e.obsolete]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_source():
    source = {
        (e.msgid, e.msgid_plural): e.msgstr or e.msgstr_plural.get(0)
        for e in polib.pofile(str(PO))
        if e.translated()
    }
    compiled = {
        (e.msgid, e.msgid_plural): e.msgstr or e.msgstr_plural.get(0)
        for e in polib.mofile(str(MO))
        if e.msgid
    }
    assert compiled == source, "run `make messages` and commit locale/th/LC_MESSAGES/django.mo"


def test_no_source_string_is_missing_from_the_catalogue(tmp_path):
    if not shutil.which("xgettext"):
        if os.environ.get("REQUIRE_GETTEXT") == "1":
            pytest.fail("REQUIRE_GETTEXT=1 but xgettext is missing: apt-get install gettext")
        pytest.skip("xgettext missing, so new strings are not checked: apt-get install gettext")
    # Extract from a copy of the sources, so the committed catalogue is untouched.
    for name in ("peerassist", "sessions_app", "aar", "lessons", "trends", "templates"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "th", "--no-location", "--no-wrap"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    extracted = {e.msgid for e in polib.pofile(str(tmp_path / "locale/th/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(PO)) if e.translated()}
    assert sorted(extracted - committed) == []

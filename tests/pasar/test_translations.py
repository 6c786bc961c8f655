"""The English catalogue is complete, compiled and up to date with the source."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale/en/LC_MESSAGES/django.po"
MO = ROOT / "locale/en/LC_MESSAGES/django.mo"


def key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def test_every_marked_string_has_english():
    catalogue = polib.pofile(str(PO))
    missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    assert missing == []


def test_compiled_catalogue_matches_the_po_file():
    po = {
        key(e): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.pofile(str(PO))
        if e.translated()
    }
    mo = {
        key(e): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(MO))
        if e.msgid
    }
    assert mo == po


@pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="GNU gettext (xgettext) is not installed; .ci/run installs it",
)
def test_catalogue_holds_exactly_the_marked_strings(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "media", "staticfiles", "*.sqlite3", "__pycache__"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "--no-obsolete",
            "--ignore=benchmarks",
            "--ignore=tests",
            "--ignore=staticfiles",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=300,
    )
    fresh = {key(e) for e in polib.pofile(str(copy / PO.relative_to(ROOT)))}
    committed = {key(e) for e in polib.pofile(str(PO)) if not e.obsolete}
    assert sorted(fresh - committed, key=str) == [], "run `make messages`"
    assert sorted(committed - fresh, key=str) == [], "run `make messages`"


def test_indonesian_overrides_for_django_strings_are_compiled():
    from django.utils import translation

    po_path = ROOT / "locale/id/LC_MESSAGES/django.po"
    po = {e.msgid: e.msgstr for e in polib.pofile(str(po_path)) if e.translated()}
    mo = {e.msgid: e.msgstr for e in polib.mofile(str(po_path.with_suffix(".mo")))}
    assert {k: v for k, v in mo.items() if k} == po
    with translation.override("id"):
        assert translation.gettext("- Select an option -") == "- Pilih salah satu -"

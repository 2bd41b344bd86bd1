"""The committed translations: every catalogue compiles, and every string marked for translation in the code and
templates has a finished (not fuzzy) translation in every interface language, so a new string cannot land without
one (add it with `make messages-update`, then translate the new entries of each locale/<lang>/LC_MESSAGES/django.po)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(settings.BASE_DIR)
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]
# What `scripts/messages.sh update` extracts from: the apps and the templates (tests and tools are not shown to users).
SOURCES = ["accounts", "audit", "catalogue", "governance", "harmony", "templates", "ui"]


def test_every_interface_language_has_a_committed_catalogue() -> None:
    assert TRANSLATED == ["de", "fr", "it", "es"]
    for code in TRANSLATED:
        assert (ROOT / "locale" / code / "LC_MESSAGES" / "django.po").is_file(), code


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalogue_compiles(code: str, tmp_path: Path) -> None:
    po = ROOT / "locale" / code / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file", str(tmp_path / "django.mo"), str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_every_marked_string_is_translated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-extracts the marked strings into copies of the committed catalogues (makemessages over links to the
    sources, so the real files are not touched) and refuses any entry left untranslated or fuzzy."""
    for source in SOURCES:
        (tmp_path / source).symlink_to(ROOT / source, target_is_directory=True)
    locale = tmp_path / "locale"
    for code in TRANSLATED:
        (locale / code / "LC_MESSAGES").mkdir(parents=True)
        shutil.copy(ROOT / "locale" / code / "LC_MESSAGES" / "django.po", locale / code / "LC_MESSAGES" / "django.po")
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[locale]):
        call_command(
            "makemessages",
            locale=TRANSLATED,
            symlinks=True,
            no_obsolete=True,
            no_location=True,
            ignore_patterns=["*/migrations/*"],
            verbosity=0,
        )
    gaps = []
    for code in TRANSLATED:
        catalogue = polib.pofile(str(locale / code / "LC_MESSAGES" / "django.po"))
        if catalogue.metadata_is_fuzzy:  # msgfmt would then ignore the header: charset and plural forms
            gaps.append(f"{code}: the header is marked fuzzy")
        gaps += [f"{code}: untranslated: {entry.msgid!r}" for entry in catalogue.untranslated_entries()]
        gaps += [f"{code}: fuzzy: {entry.msgid!r}" for entry in catalogue.fuzzy_entries()]
    assert not gaps, "\n".join(gaps[:40]) + f"\n({len(gaps)} in all; run `make messages-update` and translate them)"

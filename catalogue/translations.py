"""Catalogue text in several languages: ``{ISO 639-1 code: text}`` dicts next to the main (English) text.

Pure functions (no database): the services validate with ``translation_errors``; pages order the texts to show
with ``texts_for``. The supported codes are ``settings.CONTENT_LANGUAGES``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import get_language, gettext


def content_languages() -> tuple[str, ...]:
    return tuple(settings.CONTENT_LANGUAGES)


def translation_errors(value: Any, *, max_length: int | None = None) -> list[str]:
    """Messages for a translations value; empty when it is a dict of supported language code → non-empty text."""
    if not isinstance(value, dict):
        return [gettext('Give the translations as an object of language code → text, e.g. {"de": "Hämoglobin"}.')]
    supported = content_languages()
    errors: list[str] = []
    unknown = sorted(str(code) for code in value if code not in supported)
    if unknown:
        errors.append(
            gettext("Unknown language code(s): %(codes)s; use one of %(supported)s.")
            % {"codes": ", ".join(unknown), "supported": ", ".join(supported)}
        )
    for code, text in value.items():
        if code not in supported:
            continue
        if not isinstance(text, str) or not text.strip():
            errors.append(gettext("The %(code)s text must be a non-empty string.") % {"code": code})
        elif max_length is not None and len(text) > max_length:
            errors.append(
                gettext("The %(code)s text has at most %(limit)s characters (this one has %(length)s).")
                % {"code": code, "limit": max_length, "length": len(text)}
            )
    return errors


def _all_texts(main: str, translations: dict[str, str] | None) -> list[tuple[str, str]]:
    """Every (code, text) pair: the main text as English first, then the translations in the supported order."""
    translations = translations or {}
    pairs = [("en", main)] if main else []
    pairs += [(code, translations[code]) for code in content_languages() if code in translations and code != "en"]
    if not main and "en" in translations:
        pairs.insert(0, ("en", translations["en"]))
    return pairs


def texts_for(language: str | None, main: str, translations: dict[str, str] | None) -> list[tuple[str, str]]:
    """All (code, text) pairs, the one to show a reader whose active language is ``language`` first: its
    translation when there is one (``de-at`` uses ``de``), else the main (English) text, else the first one."""
    pairs = _all_texts(main, translations)
    code = (language or "").split("-")[0].lower()
    first = next((index for index, (other, _) in enumerate(pairs) if other == code), 0)
    return pairs[first : first + 1] + pairs[:first] + pairs[first + 1 :]


def text_in_active_language(main: str, translations: dict[str, str] | None) -> str:
    """The one text to show in the active language: its translation when there is one, else ``main``."""
    pairs = texts_for(get_language(), main, translations)
    return pairs[0][1] if pairs else main

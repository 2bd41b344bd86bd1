"""Wording shared by every app's messages in the interface languages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language


def in_sentence(label: object) -> str:
    """A choice's label ("Under review", "Draft") inside a sentence ("it is under review"), in the active
    language: lower-cased, except in German, whose nouns keep their capital ("Entwurf", not "entwurf")."""
    text = str(label)
    return text if get_language() == "de" else text.lower()


def in_site_language(message: str, **params: Any) -> str:
    """``message`` (marked with ``gettext_noop``) translated into the site's language (``LANGUAGE_CODE``) and filled
    with ``params``: for reasons the system writes into the record (a grant's revocation, a consent's revision),
    which several people in several languages read later, like the audit trail's refusals."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message) % params

"""Wording shared by every app's messages in the interface languages."""

from __future__ import annotations

from django.utils.translation import get_language


def in_sentence(label: object) -> str:
    """A choice's label ("Under review", "Draft") inside a sentence ("it is under review"), in the active
    language: lower-cased, except in German, whose nouns keep their capital ("Entwurf", not "entwurf")."""
    text = str(label)
    return text if get_language() == "de" else text.lower()

"""GA4GH DUO conditions in plain words, for people who do not read ontology labels.

The wording is the catalogue's (``catalogue.services.consents.consent_plain_words``); which
uses a consent admits is decided by the consent-matching function in governance, not here.
"""

from __future__ import annotations

from django import template

from catalogue.models import Consent
from catalogue.services.consents import consent_plain_words

register = template.Library()


@register.filter
def plain_words(consent: Consent) -> str:
    return consent_plain_words(consent)

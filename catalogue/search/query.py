"""Parsing what searchers type into what backends match."""

from __future__ import annotations

from catalogue.models import Vocabulary
from catalogue.search.backends.base import ConceptTerm
from catalogue.search.documents import concept_key
from catalogue.search.text import tokens

_VOCABULARIES = {value.casefold(): value for value in Vocabulary.values}


def parse_concept(raw: str) -> ConceptTerm:
    """A feasibility concept: ``VOCABULARY:CODE`` (e.g. "HGNC:NPM1", "LOINC:21907-1") matches that
    mapped concept exactly; anything else matches variables whose name, label or concepts contain
    all of its words ("FLT3-ITD status")."""
    text = raw.strip()
    vocabulary, sep, code = text.partition(":")
    if sep and code.strip() and vocabulary.strip().casefold() in _VOCABULARIES:
        return ConceptTerm(
            raw=text,
            concept_key=concept_key(_VOCABULARIES[vocabulary.strip().casefold()], code.strip()),
            tokens=(),
        )
    return ConceptTerm(raw=text, concept_key=None, tokens=tuple(tokens(text)))

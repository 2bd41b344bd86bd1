"""Standard concepts that variables map to (from the vocabularies of the ``Vocabulary`` table): parsing,
checking codes against their vocabulary's pattern, and bulk get-or-create."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext

from catalogue.models import Concept, Vocabulary

_CODE_MAX, _NAME_MAX = Concept._meta.get_field("code").max_length, Concept._meta.get_field("name").max_length
_BATCH = 500
_SPELLING_NOISE = re.compile(r"[\s._-]+")
#: How many distinct parts one ``Vocabularies`` remembers (a dictionary file repeats its concepts; the bound keeps a
#: file of endless distinct typos from growing the memo without limit).
_MEMO_MAX = 50_000


def _spelling_key(name: str) -> str:
    return _SPELLING_NOISE.sub("", name).upper()


@dataclass(frozen=True)
class VocabularyRule:
    id: str
    name: str
    pattern: re.Pattern[str]
    example: str


class Vocabularies:
    """The vocabulary table read once (one query), so that checking many rows costs no further queries."""

    def __init__(self, vocabularies: Iterable[Vocabulary]) -> None:
        self.rules: dict[str, VocabularyRule] = {}
        self._by_spelling: dict[str, str] = {}
        self._parsed: dict[str, ConceptRef | str] = {}
        for vocabulary in vocabularies:
            self.rules[vocabulary.id] = VocabularyRule(
                vocabulary.id, vocabulary.name, re.compile(vocabulary.code_pattern), vocabulary.example
            )
            for spelling in (vocabulary.id, *vocabulary.aliases.split("|")):
                if spelling.strip():
                    self._by_spelling.setdefault(_spelling_key(spelling), vocabulary.id)

    @classmethod
    def load(cls) -> Vocabularies:
        return cls(Vocabulary.objects.order_by("id"))

    def canonical(self, spelling: str) -> str | None:
        """The vocabulary id written ``spelling`` (its id or an alias, any case, spaces/hyphens/dots ignored)."""
        return self._by_spelling.get(_spelling_key(spelling))

    def unknown_message(self, vocabulary: str, part: str) -> str:
        return gettext("Unknown vocabulary %(vocabulary)s in %(part)s; use one of %(known)s.") % {
            "vocabulary": repr(vocabulary),
            "part": repr(part),
            "known": ", ".join(self.rules),
        }

    def parse_part(self, part: str) -> ConceptRef | str:
        """One stripped ``vocabulary:code[=name]`` part: its reference, or the message saying why it is not one.

        A pure function of ``part`` and the table, remembered per instance: a file names the same concepts on
        many rows, and checking a part (alias lookup, code pattern) costs more than the lookup.
        """
        parsed = self._parsed.get(part)
        if parsed is None:
            parsed = self._parse_part(part)
            if len(self._parsed) < _MEMO_MAX:
                self._parsed[part] = parsed
        return parsed

    def _parse_part(self, part: str) -> ConceptRef | str:
        vocabulary, sep, rest = part.partition(":")
        code, _, name = rest.partition("=")
        vocabulary, code, name = vocabulary.strip(), code.strip(), name.strip()
        canonical = self.canonical(vocabulary)
        if not sep or not code:
            return gettext("%(part)s is not vocabulary:code (e.g. HGNC:FLT3).") % {"part": repr(part)}
        if canonical is None:
            return self.unknown_message(vocabulary, part)
        if len(code) > _CODE_MAX or len(name) > _NAME_MAX:
            return gettext("%(part)s is too long (code ≤ %(code_max)s, name ≤ %(name_max)s characters).") % {
                "part": repr(part),
                "code_max": _CODE_MAX,
                "name_max": _NAME_MAX,
            }
        return self.code_error(canonical, code) or ConceptRef(canonical, code, name)

    def code_error(self, vocabulary_id: str, code: str) -> str | None:
        """Why ``code`` is not a code of the vocabulary ``vocabulary_id``, naming the expected form; None if it is."""
        rule = self.rules[vocabulary_id]
        if rule.pattern.fullmatch(code):
            return None
        return gettext(
            "%(code)s is not a code of %(vocabulary)s: expected the form %(pattern)s (e.g. %(example)s)."
        ) % {
            "code": repr(code),
            "vocabulary": rule.name,
            "pattern": rule.pattern.pattern,
            "example": f"{rule.id}:{rule.example}",
        }


@dataclass(frozen=True)
class ConceptRef:
    """A concept named by vocabulary and code; ``name`` is used only when the concept is new."""

    vocabulary: str
    code: str
    name: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.vocabulary, self.code)


def parse_concepts(text: str, vocabularies: Vocabularies | None = None) -> tuple[list[ConceptRef], list[str]]:
    """Parse ``"HGNC:FLT3; LOINC:718-7=Hemoglobin; NCIT:C3171"`` (``vocabulary:code[=name]`` separated by ``;``).

    Returns the references (with canonical vocabulary ids) and a list of error messages (empty when the text
    is valid): an unknown vocabulary, or a code that does not match its vocabulary's pattern. Pass
    ``vocabularies`` when parsing many cells; otherwise the table is read for this call.
    """
    refs: list[ConceptRef] = []
    errors: list[str] = []
    parts = [part.strip() for part in (text or "").split(";") if part.strip()]
    if vocabularies is None:
        vocabularies = Vocabularies.load() if parts else Vocabularies(())
    for part in parts:
        parsed = vocabularies.parse_part(part)
        if isinstance(parsed, str):
            errors.append(parsed)
        else:
            refs.append(parsed)
    return refs, errors


def concept_ids_for(refs: Iterable[ConceptRef]) -> dict[tuple[str, str], int]:
    """Map each (vocabulary, code) to a concept id, creating missing concepts in bulk.

    A constant number of queries per 500 distinct concepts; existing concepts keep their names.
    Safe under concurrency: creation ignores conflicts and the ids are read back afterwards.
    """
    wanted: dict[tuple[str, str], ConceptRef] = {}
    for ref in refs:
        wanted.setdefault(ref.key, ref)
    ids: dict[tuple[str, str], int] = {}
    keys = list(wanted)
    for start in range(0, len(keys), _BATCH):
        batch = keys[start : start + _BATCH]
        ids.update(_existing_ids(batch))
        missing = [key for key in batch if key not in ids]
        if missing:
            Concept.objects.bulk_create(
                [Concept(vocabulary_id=v, code=c, name=wanted[(v, c)].name or c) for v, c in missing],
                ignore_conflicts=True,
            )
            ids.update(_existing_ids(missing))
    return ids


def _existing_ids(keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    by_vocabulary: dict[str, list[str]] = {}
    for vocabulary, code in keys:
        by_vocabulary.setdefault(vocabulary, []).append(code)
    found: dict[tuple[str, str], int] = {}
    for vocabulary, codes in by_vocabulary.items():
        rows = Concept.objects.filter(vocabulary_id=vocabulary, code__in=codes).values_list("code", "pk")
        found.update({(vocabulary, code): pk for code, pk in rows})
    return found

"""Standard concepts (OMOP, LOINC, SNOMED CT, ICD-10, HGNC) that variables map to: parsing and bulk get-or-create."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from catalogue.models import Concept, Vocabulary

_VOCABULARY_ALIASES = {
    "OMOP": Vocabulary.OMOP,
    "LOINC": Vocabulary.LOINC,
    "SNOMED": Vocabulary.SNOMED,
    "SNOMEDCT": Vocabulary.SNOMED,
    "SCT": Vocabulary.SNOMED,
    "ICD10": Vocabulary.ICD10,
    "ICD-10": Vocabulary.ICD10,
    "HGNC": Vocabulary.HGNC,
}
_CODE_MAX, _NAME_MAX = Concept._meta.get_field("code").max_length, Concept._meta.get_field("name").max_length
_BATCH = 500


@dataclass(frozen=True)
class ConceptRef:
    """A concept named by vocabulary and code; ``name`` is used only when the concept is new."""

    vocabulary: str
    code: str
    name: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.vocabulary, self.code)


def parse_concepts(text: str) -> tuple[list[ConceptRef], list[str]]:
    """Parse ``"HGNC:FLT3; LOINC:718-7=Hemoglobin; OMOP:3000963"`` (``vocabulary:code[=name]`` separated by ``;``).

    Returns the references and a list of error messages (empty when the text is valid).
    """
    refs: list[ConceptRef] = []
    errors: list[str] = []
    for part in (text or "").split(";"):
        part = part.strip()
        if not part:
            continue
        vocabulary, sep, rest = part.partition(":")
        code, _, name = rest.partition("=")
        vocabulary, code, name = vocabulary.strip(), code.strip(), name.strip()
        canonical = _VOCABULARY_ALIASES.get(vocabulary.upper().replace(" ", ""))
        if not sep or not code:
            errors.append(f"{part!r} is not vocabulary:code (e.g. HGNC:FLT3).")
        elif canonical is None:
            errors.append(f"Unknown vocabulary {vocabulary!r} in {part!r}; use one of {', '.join(Vocabulary.values)}.")
        elif len(code) > _CODE_MAX or len(name) > _NAME_MAX:
            errors.append(f"{part!r} is too long (code ≤ {_CODE_MAX}, name ≤ {_NAME_MAX} characters).")
        else:
            refs.append(ConceptRef(str(canonical), code, name))
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
                [Concept(vocabulary=v, code=c, name=wanted[(v, c)].name or c) for v, c in missing],
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
        rows = Concept.objects.filter(vocabulary=vocabulary, code__in=codes).values_list("code", "pk")
        found.update({(vocabulary, code): pk for code, pk in rows})
    return found

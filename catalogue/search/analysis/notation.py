"""Hematology notation rewritten to one canonical token per meaning, before the text is split into words.

Researchers and data dictionaries write the same fact in many ways. Each rule below maps the
forms to one alphanumeric token that survives folding and splitting unchanged (and that every
Elasticsearch analyzer keeps whole), on the indexed side and the query side alike:

* translocations ``t(9;22)``, ``t(9;22)(q34;q11)``, ``t9;22`` → ``t9x22`` (the band part is dropped,
  so the short form and the full ISCN form match each other);
* structural changes ``inv(16)``, ``inv16``, ``inv(16)(p13q22)`` → ``inv16``; ``del(7q)``, ``del(7)(q22)``,
  ``del 7q``, ``7q-``, ``7q deletion`` → ``del7q``; gains and amplifications ``+1q``, ``1q21+``, ``gain 1q``,
  ``amp(1q)``, ``dup(1q)`` → ``gain1q``;
* whole-chromosome changes ``+8``, ``trisomy 8``, ``Trisomie 8`` → ``tri8``; ``-7``, ``monosomy 7`` → ``mono7``;
* count units ``10*9/L``, ``x10^9/L``, ``10⁹/L``, ``G/L``, ``10^3/µL`` → ``u10e9perl`` (and the 10^12/L
  and mass/concentration units likewise). Units are matched case-sensitively where case carries
  meaning (``G/L`` is giga per litre, ``g/L`` grams per litre).

Gene notation needs no rule: ``BCR::ABL1``, ``BCR-ABL1`` and ``BCR/ABL1`` all split into ``bcr abl1``,
and the phrase boost ranks the adjacent pair first.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_CHROMOSOME = r"(?:[12]?[0-9]|[xy])"
_DASHES = r"\-\u2212\u2013"  # hyphen, minus sign, en dash
_DELETION_WORDS = r"(?:deletion|deletie|d[ée]l[ée]tion|delezione|deleci[oó]n|del)"
_GAIN_WORDS = r"(?:gain|amplification|amplifikation|amplificazione|amplificaci[oó]n|amp|dup)"
_TRISOMY_WORDS = r"(?:trisomy|trisomie|trisomia|trisom[ií]a)"
_MONOSOMY_WORDS = r"(?:monosomy|monosomie|monosomia|monosom[ií]a)"


def _lower(value: str | None) -> str:
    return (value or "").lower()


def _translocation(match: re.Match[str]) -> str:
    return f" t{_lower(match['a'])}x{_lower(match['b'])} "


def _structural(match: re.Match[str]) -> str:
    operation = match["op"].lower()
    if operation in ("dup", "amp"):
        operation = "gain"
    arm = _lower(match["arm"] or match["band_arm"])
    if operation == "inv":
        arm = ""  # an inversion is named by its chromosome; the arms are in the (dropped) band part
    return f" {operation}{_lower(match['c'])}{arm} "


def _canonical(prefix: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        return f" {prefix}{_lower(match['c'])}{_lower(match.groupdict().get('arm'))} "

    return replace


_BAND = r"(?:\s?\(\s?(?P<band_arm>[pq])?[0-9pq.;:\s]*\))?"

_CYTOGENETIC_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(
            rf"\bt\s?\(\s?(?P<a>{_CHROMOSOME})\s?[;:]\s?(?P<b>{_CHROMOSOME})\s?\)(?:\s?\([pq0-9.;:\s]*\))?", re.I
        ),
        _translocation,
    ),
    (re.compile(rf"\bt\s?(?P<a>{_CHROMOSOME})\s?;\s?(?P<b>{_CHROMOSOME})\b", re.I), _translocation),
    (
        re.compile(
            rf"\b(?P<op>inv|del|dup|amp|add|der|idic|i)\s?\(\s?(?P<c>{_CHROMOSOME})\s?(?P<arm>[pq])?[0-9.]*\s?\){_BAND}",
            re.I,
        ),
        _structural,
    ),
    (re.compile(rf"\b(?P<op>inv|del)\s?(?P<c>{_CHROMOSOME})(?P<arm>[pq])?(?P<band_arm>)\b", re.I), _structural),
    (
        re.compile(rf"\b(?P<c>{_CHROMOSOME})(?P<arm>[pq])[0-9.]*\s?(?:-(?!\w)|{_DELETION_WORDS}\b|deleted\b)", re.I),
        _canonical("del"),
    ),
    (re.compile(rf"\b{_DELETION_WORDS}\s(?:of\s)?(?P<c>{_CHROMOSOME})(?P<arm>[pq])\b", re.I), _canonical("del")),
    (re.compile(rf"(?<![\w+])\+\s?(?P<c>{_CHROMOSOME})(?P<arm>[pq])[0-9.]*\b", re.I), _canonical("gain")),
    (
        re.compile(rf"\b(?P<c>{_CHROMOSOME})(?P<arm>[pq])[0-9.]*\s?(?:\+(?!\w)|{_GAIN_WORDS}\b)", re.I),
        _canonical("gain"),
    ),
    (re.compile(rf"\b{_GAIN_WORDS}\s?\(?\s?(?:of\s)?(?P<c>{_CHROMOSOME})(?P<arm>[pq])", re.I), _canonical("gain")),
    (re.compile(rf"(?<![\w+{_DASHES}])\+\s?(?P<c>{_CHROMOSOME})\b(?![pq0-9.])", re.I), _canonical("tri")),
    (re.compile(rf"\b{_TRISOMY_WORDS}\s?(?P<c>{_CHROMOSOME})\b", re.I), _canonical("tri")),
    (
        re.compile(rf"(?<![\w+{_DASHES}.,/])[{_DASHES}]\s?(?P<c>{_CHROMOSOME})\b(?![pq0-9.,])", re.I),
        _canonical("mono"),
    ),
    (re.compile(rf"\b{_MONOSOMY_WORDS}\s?(?P<c>{_CHROMOSOME})\b", re.I), _canonical("mono")),
]

_PER = r"\s?/\s?"
_UNIT_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"(?:[x\u00d7*]\s?)?10\s?(?:\^|\*\*|\*|e)?\s?(?:9|⁹){_PER}l\b", re.I), " u10e9perl "),
    (re.compile(rf"(?:[x\u00d7*]\s?)?10\s?(?:\^|\*\*|\*|e)?\s?(?:3|³){_PER}(?:µ|μ|u|mc)l\b", re.I), " u10e9perl "),
    (re.compile(rf"\b(?:G|K){_PER}(?:l|L|µl|µL|ul|uL)\b"), " u10e9perl "),
    (re.compile(r"/\s?nl\b", re.I), " u10e9perl "),
    (re.compile(rf"(?:[x\u00d7*]\s?)?10\s?(?:\^|\*\*|\*|e)?\s?(?:12|¹²){_PER}l\b", re.I), " u10e12perl "),
    (re.compile(rf"(?:[x\u00d7*]\s?)?10\s?(?:\^|\*\*|\*|e)?\s?(?:6|⁶){_PER}(?:µ|μ|u|mc)l\b", re.I), " u10e12perl "),
    (re.compile(rf"\bT{_PER}[lL]\b"), " u10e12perl "),
    (re.compile(rf"\bg{_PER}dl\b", re.I), " ugperdl "),
    (re.compile(rf"\bmg{_PER}dl\b", re.I), " umgperdl "),
    (re.compile(rf"\bmg{_PER}l\b", re.I), " umgperl "),
    (re.compile(rf"\bg{_PER}[lL]\b"), " ugperl "),
    (re.compile(rf"\bmmol{_PER}l\b", re.I), " ummolperl "),
    (re.compile(rf"(?:µ|μ|\bu|\bmc)mol{_PER}l\b", re.I), " uumolperl "),
    (re.compile(rf"\b(?:I?U){_PER}[lL]\b"), " uunitperl "),
]

_HAS_DIGIT = re.compile(r"[0-9⁰-⁹³²¹]")
_HAS_SLASH = re.compile(r"/")


def rewrite_notation(text: str) -> str:
    """``text`` with every recognised cytogenetic, gain/loss and unit notation replaced by its canonical token.

    Text with neither a digit nor a slash (most of it) is returned unchanged without running a rule.
    """
    has_digit = bool(_HAS_DIGIT.search(text))
    if has_digit or _HAS_SLASH.search(text):
        for pattern, unit in _UNIT_RULES:
            text = pattern.sub(unit, text)
    if has_digit:
        for pattern, replace in _CYTOGENETIC_RULES:
            text = pattern.sub(replace, text)
    return text

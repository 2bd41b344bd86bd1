"""British and American spellings of medical English, normalised to the American form (on both sides).

Rules on folded words, chosen so that they only touch the medical spellings that differ
(haem-, -aemia, oe-, paed-, -our, -tre, -ise): "leukaemia" → "leukemia", "haemoglobin" →
"hemoglobin", "tumours" → "tumors", "oesophageal" → "esophageal", "randomised" → "randomized".
Words that merely look similar ("four", "hour", "wise", "exercise") are left alone: the -our,
-tre and -ise rules apply to listed roots only.
"""

from __future__ import annotations

import re
from functools import lru_cache

_RULES: list[tuple[re.Pattern[str], str]] = [
    # haemoglobin, haematology, haematopoietic, haemorrhage, haemolysis, haemophilia, haemostasis
    (re.compile(r"^(hyper|hypo|pro|an|pan)?haem"), r"\1hem"),
    # leukaemia, anaemia, septicaemia, polycythaemia, thrombocythaemia, macroglobulinaemia, ischaemic
    (re.compile(r"aem(ia|ias|ic|ics)$"), r"em\1"),
    (re.compile(r"^o(edem|esophag|estr)"), r"\1"),
    (re.compile(r"^(f)oet"), r"\1et"),
    (re.compile(r"^(ortho)?paed"), r"\1ped"),
    (re.compile(r"rhoea"), "rhea"),  # diarrhoea, amenorrhoea, steatorrhoea
    (re.compile(r"^leuco"), "leuko"),
    (re.compile(r"^(tum|col|behavi|fav|hum|lab|vap|od|neighb|rig)our"), r"\1or"),
    (re.compile(r"^(cent|lit|millilit|decilit|microlit|met|fib|calib|spect)re(s|d)?$"), r"\1er\2"),
    (
        re.compile(
            r"^(random|normal|character|hospital|standard|categor|organ|immun|mobil|util|stabil|minim|optim|"
            r"maxim|summar|recogn|real|final|special|steril|neutral|local|general|visual|central|anaesthet|"
            r"anesthet|prioriti|author|harmon|catheter|vaporis|ioni|polymer|crystal|opsoni|sensiti|desensiti)is"
            r"(e|ed|es|ing|ation|ations|er|ers)$"
        ),
        r"\1iz\2",
    ),
    (re.compile(r"^anaesth"), "anesth"),
    (re.compile(r"^(gyn|ortho)?aecolog"), r"\1ecolog"),
    (re.compile(r"^caesar"), "cesar"),
]

_MAY_DIFFER = re.compile(r"ae|oe|our|re$|is|eu")


@lru_cache(maxsize=100_000)
def american(word: str) -> str:
    """The American spelling of a folded word (the word itself when no rule applies)."""
    if not _MAY_DIFFER.search(word):
        return word
    for pattern, replacement in _RULES:
        word = pattern.sub(replacement, word)
    return word

"""Readable names for the UCUM unit codes that data dictionaries use (``a`` → ``years``, ``umol/L`` → ``µmol/L``).

The table covers the codes hematology dictionaries carry; any other code is made readable by UCUM's own
notation rules (``10*n`` is a power of ten, ``{…}`` an annotation, a trailing digit an exponent, ``u`` the micro
prefix), so a code never shows worse than it was written.
"""

from __future__ import annotations

import re

UCUM_NAMES: dict[str, str] = {
    "a": "years",
    "mo": "months",
    "wk": "weeks",
    "d": "days",
    "h": "hours",
    "min": "minutes",
    "s": "seconds",
    "%": "%",
    "1": "(no unit)",
    "{ratio}": "ratio",
    "{score}": "score",
    "{log}": "log",
    "{copies}/mL": "copies/mL",
    "{cells}/uL": "cells/µL",
    "10*3/uL": "\N{MULTIPLICATION SIGN}10³/µL",
    "10*6/uL": "\N{MULTIPLICATION SIGN}10⁶/µL",
    "10*9/L": "\N{MULTIPLICATION SIGN}10⁹/L",
    "10*12/L": "\N{MULTIPLICATION SIGN}10¹²/L",
    "g/dL": "g/dL",
    "g/L": "g/L",
    "mg/dL": "mg/dL",
    "mg/L": "mg/L",
    "ug/L": "µg/L",
    "ng/mL": "ng/mL",
    "mmol/L": "mmol/L",
    "umol/L": "µmol/L",
    "U/L": "U/L",
    "[IU]/L": "IU/L",
    "fL": "fL",
    "pg": "pg",
    "kg": "kg",
    "g": "g",
    "cm": "cm",
    "m": "m",
    "m2": "m²",
    "kg/m2": "kg/m²",
    "mm[Hg]": "mmHg",
    "Cel": "°C",
    "Gy": "Gy",
    "mL/min": "mL/min",
}

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_POWER_OF_TEN = re.compile(r"10\*(-?\d+)")
_ANNOTATION = re.compile(r"\{([^}]*)\}")
_EXPONENT = re.compile(r"(?<=[A-Za-z])(-?\d+)\b")
_MICRO = re.compile(r"(?<![A-Za-z])u(?=(?:g|L|mol|m|U)\b)")


def readable_unit(code: str) -> str:
    """A reader's name for the UCUM ``code``: from the table when listed, else by UCUM's notation rules.

    An empty code gives an empty string.
    """
    code = (code or "").strip()
    if not code:
        return ""
    if code in UCUM_NAMES:
        return UCUM_NAMES[code]
    text = _POWER_OF_TEN.sub(lambda m: "\N{MULTIPLICATION SIGN}10" + m.group(1).translate(_SUPERSCRIPT), code)
    text = _ANNOTATION.sub(lambda m: m.group(1), text)
    text = _MICRO.sub("µ", text)
    text = _EXPONENT.sub(lambda m: m.group(1).translate(_SUPERSCRIPT), text)
    return text.replace("[", "").replace("]", "")

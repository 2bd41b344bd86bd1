"""Readable names for the UCUM unit codes that data dictionaries use (``a`` → ``years``, ``umol/L`` → ``µmol/L``).

The table covers the codes hematology dictionaries carry; any other code is made readable by UCUM's own
notation rules (``10*n`` is a power of ten, ``{…}`` an annotation, a trailing digit an exponent, ``u`` the micro
prefix), so a code never shows worse than it was written.
"""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

# Words are translated (message context "unit"); symbols read the same in every language.
UCUM_NAMES: dict[str, str | Promise] = {
    "a": pgettext_lazy("unit", "years"),
    "mo": pgettext_lazy("unit", "months"),
    "wk": pgettext_lazy("unit", "weeks"),
    "d": pgettext_lazy("unit", "days"),
    "h": pgettext_lazy("unit", "hours"),
    "min": pgettext_lazy("unit", "minutes"),
    "s": pgettext_lazy("unit", "seconds"),
    "%": "%",
    "1": pgettext_lazy("unit", "(no unit)"),
    "{ratio}": pgettext_lazy("unit", "ratio"),
    "{score}": pgettext_lazy("unit", "score"),
    "{log}": pgettext_lazy("unit", "log"),
    "{copies}/mL": pgettext_lazy("unit", "copies/mL"),
    "{cells}/uL": pgettext_lazy("unit", "cells/µL"),
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
    """A reader's name for the UCUM ``code`` in the active language: from the table when listed, else by UCUM's
    notation rules.

    An empty code gives an empty string.
    """
    code = (code or "").strip()
    if not code:
        return ""
    if code in UCUM_NAMES:
        return str(UCUM_NAMES[code])
    text = _POWER_OF_TEN.sub(lambda m: "\N{MULTIPLICATION SIGN}10" + m.group(1).translate(_SUPERSCRIPT), code)
    text = _ANNOTATION.sub(lambda m: m.group(1), text)
    text = _MICRO.sub("µ", text)
    text = _EXPONENT.sub(lambda m: m.group(1).translate(_SUPERSCRIPT), text)
    return text.replace("[", "").replace("]", "")

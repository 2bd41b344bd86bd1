"""Which DUO terms cannot stand together on one consent: the picker's rule table (pure, no database).

One place for the rule, used by the consent services (so the pages, the API and imports all refuse the same
combinations) and by the picker to explain itself. Derived from the terms' DUO definitions
(catalogue/data/duo_terms.csv):

=================  =================================================================================
Combination        Why it is refused
=================  =================================================================================
POA with NPOA      POA limits use to population origins or ancestry research; NPOA prohibits exactly
                   that: the consent would admit nothing.
NRES with any      NRES says there is no restriction on use; a modifier is a restriction. A consent
modifier           with conditions is GRU (or narrower) plus those modifiers.
NPUNCU with NPU    NPUNCU is NPU and NCU together ("not-for-profit organisations and non-commercial
or NCU             use"): the second term repeats the first.
NPU with NCU       Together they are NPUNCU, DUO's single term for the pair: tick NPUNCU, so every
                   consent with both conditions reads the same way (and matches the same way).
=================  =================================================================================

DUO has no term that *allows* commercial or for-profit use, so "NCU with a commercial term" cannot be written in
DUO and needs no rule here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext


@dataclass(frozen=True)
class Contradiction:
    """Two (or more) DUO short codes that cannot stand together, and why, in words a curator reads."""

    codes: tuple[str, ...]
    message: str


def contradictions(permission: str, modifiers: Collection[str]) -> list[Contradiction]:
    """Every rule of the table above that ``permission`` (a short code) with ``modifiers`` (short codes) breaks;
    empty when the combination is coherent."""
    present = set(modifiers)
    found: list[Contradiction] = []
    if permission == "POA" and "NPOA" in present:
        found.append(
            Contradiction(
                ("POA", "NPOA"),
                gettext(
                    "POA (population origins or ancestry research only) contradicts NPOA (population origins or "
                    "ancestry research prohibited): the consent would admit no use."
                ),
            )
        )
    if permission == "NRES" and present:
        found.append(
            Contradiction(
                ("NRES", *sorted(present)),
                ngettext(
                    "NRES (no restriction) takes no modifiers, but %(codes)s is ticked: a consent with conditions "
                    "is GRU (or narrower) plus those modifiers.",
                    "NRES (no restriction) takes no modifiers, but %(codes)s are ticked: a consent with conditions "
                    "is GRU (or narrower) plus those modifiers.",
                    len(present),
                )
                % {"codes": ", ".join(sorted(present))},
            )
        )
    for part in ("NPU", "NCU"):
        if "NPUNCU" in present and part in present:
            found.append(
                Contradiction(
                    ("NPUNCU", part),
                    gettext(
                        "NPUNCU (not-for-profit organisations, non-commercial use) already includes %(code)s: "
                        "untick %(code)s."
                    )
                    % {"code": part},
                )
            )
    if {"NPU", "NCU"} <= present and "NPUNCU" not in present:
        found.append(
            Contradiction(
                ("NPU", "NCU"),
                gettext(
                    "NPU and NCU together are NPUNCU (not-for-profit organisations, non-commercial use only): "
                    "tick NPUNCU instead of both."
                ),
            )
        )
    return found

"""The "My intended use" control group that the search, compare and feasibility pages share: what it offers (each
purpose and condition explained by the DUO term a consent would carry for it), the values it shows, its field
messages, and the use it states, remembered for the browser session so that a researcher states it once.

The parameters are the API's ``use_*`` ones, validated by the same serializer
(:class:`catalogue.search.api.serializers.IntendedUseParamsSerializer`), so a page's address means the same thing
to the API and a bad value gets the API's message next to the control.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from catalogue.consent_matching import PURPOSE_LABELS, SENSITIVE_RESEARCH, parameter_codes
from catalogue.models import DiseaseArea, DuoTerm
from catalogue.search.api.serializers import IntendedUseParamsSerializer

SESSION_KEY = "intended_use"
#: The parameters that state a use (``use_verdict`` is a filter of the search page, not part of the use).
USE_PARAMS = tuple(name for name in IntendedUseParamsSerializer().fields if name != "use_verdict")
# The purposes in the reader's words; each is explained by its DUO permission term's definition.
PURPOSE_NAMES = {
    "DS": _("disease-specific research"),
    "HMB": _("health/medical/biomedical research"),
    "GRU": _("general research"),
    "POA": _("population origins or ancestry research"),
    "METHODS": PURPOSE_LABELS["METHODS"],
}
# METHODS has no DUO permission term: the template explains it in its own sentence.
PURPOSE_TERMS = {"DS": "DS", "HMB": "HMB", "GRU": "GRU", "POA": "POA"}
# Each yes/no condition, and the DUO modifier of a consent that asks about it (its definition is the help).
USE_FLAGS = (
    ("use_will_publish", _("I will publish the results"), "PUB"),
    ("use_commercial", _("Commercial use"), "NCU"),
    ("use_collaboration", _("In collaboration with the data holder"), "COL"),
    ("use_methods_development", _("Methods or software development"), "NMDS"),
    ("use_genetic_studies", _("A genetic study"), "GSO"),
)


@dataclass(frozen=True)
class Choice:
    """One option or condition of the control group, with the DUO term that explains it (if any)."""

    value: str
    label: str
    selected: bool
    term: DuoTerm | None = None


def stated_use(request: HttpRequest) -> QueryDict:
    """The page's parameters (a mutable copy) with the intended use to judge by: the one in the address when it
    states one (a submitted control group always does, even an empty one), else the one remembered for this
    session. The countries field's "DE, FR" becomes one ``use_countries`` value per country, as the API takes them.
    """
    data = request.GET.copy()
    if not any(name in request.GET for name in USE_PARAMS):
        for name, values in request.session.get(SESSION_KEY, {}).items():
            if name in USE_PARAMS:
                data.setlist(name, [str(value) for value in values])
    if "use_countries" in data:
        data.setlist(
            "use_countries",
            [code.upper() for value in data.getlist("use_countries") for code in parameter_codes(value)],
        )
    return data


def remember_use(request: HttpRequest, data: QueryDict) -> None:
    """Keep the use stated in ``data`` (valid: call after validation) for the session's next pages; a control
    group submitted without a purpose forgets it. Parameters that state nothing leave the memory as it is."""
    if "use_purpose" not in data:
        return
    if not data.get("use_purpose"):
        request.session.pop(SESSION_KEY, None)
        return
    request.session[SESSION_KEY] = {name: data.getlist(name) for name in USE_PARAMS if data.getlist(name)}


def use_field_errors(errors: dict[str, Any]) -> dict[str, list[str]]:
    """The serializer's messages for the control group's fields, by field name (shown next to each control)."""
    return {name: [str(message) for message in messages] for name, messages in errors.items() if name in USE_PARAMS}


def intended_use_controls(data: QueryDict, errors: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the shared template ``catalogue/search/_intended_use.html`` shows: the values of ``data``, the choices
    with their DUO terms (definitions as help), and the field messages of ``errors``."""
    terms = {term.short_code: term for term in DuoTerm.objects.exclude(short_code="")}
    purpose = (data.get("use_purpose") or "").upper()
    countries = ", ".join(value for value in data.getlist("use_countries") if value)
    sensitive = set(data.getlist("use_sensitive"))
    return {
        "purposes": [
            Choice(code, str(PURPOSE_NAMES[code]), purpose == code, terms.get(PURPOSE_TERMS.get(code, "")))
            for code in PURPOSE_LABELS
        ],
        "diseases": [
            Choice(area.code, area.display_name, data.get("use_disease") == area.code)
            for area in DiseaseArea.objects.order_by("name")
        ],
        "flags": [
            Choice(name, str(label), data.get(name) == "true", terms.get(code)) for name, label, code in USE_FLAGS
        ],
        "countries": countries,
        "sensitive": [
            Choice(code, str(label)[:1].upper() + str(label)[1:], code in sensitive)
            for code, label in SENSITIVE_RESEARCH.items()
        ],
        "errors": use_field_errors(errors or {}),
    }

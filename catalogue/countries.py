"""ISO 3166-1 alpha-2 codes of the countries a European alliance deals with.

Kept as a static table (EU/EEA, the UK, Switzerland and the few non-European
countries partners collaborate with) rather than a dependency: the list is
short, stable and only used for choices and labels. The names are translated (shown in the reader's language).
"""

from django.utils.translation import gettext_lazy as _

COUNTRIES: dict[str, str] = {
    "AT": _("Austria"), "BE": _("Belgium"), "BG": _("Bulgaria"), "CH": _("Switzerland"), "CY": _("Cyprus"),
    "CZ": _("Czechia"), "DE": _("Germany"), "DK": _("Denmark"), "EE": _("Estonia"), "ES": _("Spain"),
    "FI": _("Finland"), "FR": _("France"), "GB": _("United Kingdom"), "GR": _("Greece"), "HR": _("Croatia"),
    "HU": _("Hungary"), "IE": _("Ireland"), "IS": _("Iceland"), "IT": _("Italy"), "LI": _("Liechtenstein"),
    "LT": _("Lithuania"), "LU": _("Luxembourg"), "LV": _("Latvia"), "MT": _("Malta"), "NL": _("Netherlands"),
    "NO": _("Norway"), "PL": _("Poland"), "PT": _("Portugal"), "RO": _("Romania"), "SE": _("Sweden"),
    "SI": _("Slovenia"), "SK": _("Slovakia"), "US": _("United States"), "CA": _("Canada"), "IL": _("Israel"),
}  # fmt: skip

COUNTRY_CHOICES = sorted(COUNTRIES.items(), key=lambda item: item[1])

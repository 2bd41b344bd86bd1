"""ISO 3166-1 alpha-2 codes of the countries a European alliance deals with.

Kept as a static table (EU/EEA, the UK, Switzerland and the few non-European
countries partners collaborate with) rather than a dependency: the list is
short, stable and only used for choices and labels.
"""

COUNTRIES: dict[str, str] = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "CH": "Switzerland", "CY": "Cyprus",
    "CZ": "Czechia", "DE": "Germany", "DK": "Denmark", "EE": "Estonia", "ES": "Spain",
    "FI": "Finland", "FR": "France", "GB": "United Kingdom", "GR": "Greece", "HR": "Croatia",
    "HU": "Hungary", "IE": "Ireland", "IS": "Iceland", "IT": "Italy", "LI": "Liechtenstein",
    "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "MT": "Malta", "NL": "Netherlands",
    "NO": "Norway", "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SE": "Sweden",
    "SI": "Slovenia", "SK": "Slovakia", "US": "United States", "CA": "Canada", "IL": "Israel",
}  # fmt: skip

COUNTRY_CHOICES = sorted(COUNTRIES.items(), key=lambda item: item[1])

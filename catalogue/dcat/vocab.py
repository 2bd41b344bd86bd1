"""RDF namespaces and the controlled-vocabulary IRIs the DCAT-AP / HealthDCAT-AP export uses."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SCHEMA = Namespace("https://schema.org/")
# HealthDCAT-AP (the EHDS profile of DCAT-AP): https://healthdcat-ap.github.io/
HEALTHDCATAP = Namespace("http://healthdataportal.eu/ns/health#")
DUO = Namespace("http://purl.obolibrary.org/obo/")

EU = "http://publications.europa.eu/resource/authority/"
THEME_HEALTH = f"{EU}data-theme/HEAL"
ACCESS_RIGHTS_RESTRICTED = f"{EU}access-right/RESTRICTED"
ACCESS_RIGHTS_NON_PUBLIC = f"{EU}access-right/NON_PUBLIC"
FREQUENCY_IRREGULAR = f"{EU}frequency/IRREG"
LANGUAGE = f"{EU}language/"
COUNTRY = f"{EU}country/"
FILE_TYPE = f"{EU}file-type/"

# ISO 639-1 (content) → EU language authority (ISO 639-2/B style codes used by the Publications Office).
LANGUAGE_CODES = {
    "en": "ENG",
    "de": "DEU",
    "fr": "FRA",
    "it": "ITA",
    "es": "SPA",
    "nl": "NLD",
    "pt": "POR",
    "sv": "SWE",
    "da": "DAN",
    "fi": "FIN",
    "pl": "POL",
    "cs": "CES",
    "el": "ELL",
    "hu": "HUN",
}

# ISO 3166-1 alpha-2 → the EU country authority (alpha-3).
COUNTRY_CODES = {
    "AT": "AUT",
    "BE": "BEL",
    "BG": "BGR",
    "CH": "CHE",
    "CY": "CYP",
    "CZ": "CZE",
    "DE": "DEU",
    "DK": "DNK",
    "EE": "EST",
    "ES": "ESP",
    "FI": "FIN",
    "FR": "FRA",
    "GB": "GBR",
    "GR": "GRC",
    "HR": "HRV",
    "HU": "HUN",
    "IE": "IRL",
    "IS": "ISL",
    "IT": "ITA",
    "LT": "LTU",
    "LU": "LUX",
    "LV": "LVA",
    "MT": "MLT",
    "NL": "NLD",
    "NO": "NOR",
    "PL": "POL",
    "PT": "PRT",
    "RO": "ROU",
    "SE": "SWE",
    "SI": "SVN",
    "SK": "SVK",
    "US": "USA",
}
COUNTRY_CODES_BACK = {alpha3: alpha2 for alpha2, alpha3 in COUNTRY_CODES.items()}

# Media types → the EU file-type authority.
FILE_TYPES = {
    "text/csv": "CSV",
    "application/json": "JSON",
    "application/parquet": "PARQUET",
    "application/vnd.apache.parquet": "PARQUET",
    "application/zip": "ZIP",
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "text/tab-separated-values": "TSV",
}

# The catalogue's concept vocabularies → the IRI of the coding system (HealthDCAT-AP hasCodingSystem).
CODING_SYSTEMS = {
    "LOINC": "http://loinc.org",
    "SNOMED": "http://snomed.info/sct",
    "ICD10": "http://hl7.org/fhir/sid/icd-10",
    "HGNC": "http://www.genenames.org",
    "OMOP": "https://athena.ohdsi.org",
    "NCIT": "http://purl.obolibrary.org/obo/ncit.owl",
    "MEDDRA": "https://www.meddra.org",
    "ATC": "http://www.whocc.no/atc",
    "ICDO3": "http://terminology.hl7.org/CodeSystem/icd-o-3",
    "HPO": "http://purl.obolibrary.org/obo/hp.owl",
}

__all__ = [
    "ADMS",
    "DCAT",
    "DCTERMS",
    "DUO",
    "FOAF",
    "HEALTHDCATAP",
    "HYDRA",
    "OWL",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "SPDX",
    "VCARD",
    "XSD",
]

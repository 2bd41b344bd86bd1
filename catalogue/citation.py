"""How to cite a dataset: a DataCite-style sentence and a BibTeX entry, both naming its persistent identifier
(a DOI as ``https://doi.org/…``), or its catalogue page when it has none.

DataCite's recommended form: Creator (PublicationYear). Title. Version. Publisher. ResourceType. Identifier.
The holding partner is the creator; the HARMONY Alliance, which publishes the catalogue, the publisher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalogue.models import Dataset

PUBLISHER = "HARMONY Alliance"
_DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
# Characters BibTeX treats specially, written so that LaTeX prints them as themselves.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


@dataclass(frozen=True)
class Citation:
    text: str
    bibtex: str
    identifier_url: str
    doi: str


def doi_of(identifier: str) -> str:
    """The bare DOI (``10.1234/abc``) if ``identifier`` is one, in any of its usual spellings; else ``""``."""
    match = _DOI.match(identifier.strip())
    return match.group(1) if match else ""


def _bibtex_value(text: str) -> str:
    return "".join(_BIBTEX_ESCAPES.get(character, character) for character in text)


def cite(dataset: Dataset, *, page_url: str) -> Citation:
    """The citation of ``dataset``; ``page_url`` (its absolute catalogue address) stands in for a missing
    persistent identifier. The year is the publication's (the registration's for a draft)."""
    year = (dataset.published_at or dataset.created_at).year
    doi = doi_of(dataset.persistent_identifier)
    identifier_url = f"https://doi.org/{doi}" if doi else (dataset.persistent_identifier.strip() or page_url)
    creator = dataset.partner.name
    text = f"{creator} ({year}). {dataset.title}. Version {dataset.version}. {PUBLISHER}. Dataset. {identifier_url}"
    key = re.sub(
        r"[^a-z0-9]+", "_", f"{dataset.partner.short_name or dataset.partner.slug} {dataset.slug} {year}".lower()
    )
    fields = [
        ("author", "{" + _bibtex_value(creator) + "}"),  # one corporate author: double braces keep it whole
        ("title", _bibtex_value(dataset.title)),
        ("year", str(year)),
        ("version", _bibtex_value(dataset.version)),
        ("publisher", PUBLISHER),
        # Identifiers are written as they are: the url and doi fields are read verbatim (no LaTeX escapes).
        ("doi", doi) if doi else ("url", identifier_url),
        ("note", "Dataset"),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return Citation(text=text, bibtex=f"@misc{{{key.strip('_')},\n{body}\n}}", identifier_url=identifier_url, doi=doi)

"""The downloadable data dictionary template (CSV and XLSX), with example rows and the column documentation."""

from __future__ import annotations

import csv
import io

from catalogue.importers.dictionary import COLUMN_NAMES, COLUMNS

EXAMPLE_ROWS: tuple[dict[str, str], ...] = (
    {
        "name": "npm1_mutation",
        "label": "NPM1 mutation status",
        "description": "NPM1 exon 12 mutation at diagnosis",
        "label_it": "Stato mutazionale NPM1",
        "description_it": "Mutazione dell'esone 12 di NPM1 alla diagnosi",
        "value_type": "categorical",
        "categories": "0=not mutated; 1=mutated; 9=not tested",
        "completeness": "92.5",
        "concepts": "HGNC:NPM1",
    },
    {
        "name": "hb_diagnosis",
        "label": "Haemoglobin at diagnosis",
        "label_de": "Hämoglobin bei Diagnose",
        "label_fr": "Taux d'hémoglobine au diagnostic",
        "value_type": "decimal",
        "unit": "g/dL",
        "completeness": "99",
        "concepts": "LOINC:718-7=Hemoglobin [Mass/volume] in Blood",
    },
    {
        "name": "date_diagnosis",
        "label": "Date of diagnosis",
        "value_type": "date",
        "completeness": "100",
        "concepts": "SNOMED:432213005=Date of diagnosis",
    },
)
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def dictionary_template(fmt: str) -> bytes:
    """The template as a ``csv`` (UTF-8) or ``xlsx`` file; the XLSX has a second sheet documenting the columns."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMN_NAMES, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(EXAMPLE_ROWS)
        return buffer.getvalue().encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "variables"
        sheet.append(list(COLUMN_NAMES))
        for row in EXAMPLE_ROWS:
            sheet.append([row.get(name, "") for name in COLUMN_NAMES])
        help_sheet = workbook.create_sheet("columns")
        help_sheet.append(["column", "required", "meaning"])
        for column in COLUMNS:
            help_sheet.append([column.name, "yes" if column.required else "no", str(column.help)])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise ValueError(f"Unknown template format {fmt!r}; use csv or xlsx.")

"""Streaming row readers for CSV and XLSX uploads: one row at a time, whatever the file size.

Rows are numbered as a spreadsheet numbers them: the header is row 1, the first data row is row 2.
A reader yields ``(row_number, values)`` with every value a stripped string, and raises
``UnreadableFile`` (with the row where reading stopped) when the file cannot be read any further.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import zipfile
from collections.abc import Iterator
from typing import IO

from django.utils.translation import gettext

_XLSX_MAGIC = b"PK\x03\x04"


class UnreadableFile(Exception):
    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


def file_size(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        size = file.seek(0, io.SEEK_END)
        file.seek(position)
    return int(size)


def detect_format(file: IO[bytes], filename: str) -> str:
    """ "csv" or "xlsx", from the file's first bytes (a ZIP container is XLSX) and then its name."""
    file.seek(0)
    head = file.read(4)
    file.seek(0)
    lower = filename.lower()
    if head == _XLSX_MAGIC:
        return "xlsx"
    if lower.endswith(".xls"):
        raise UnreadableFile(gettext("Old Excel .xls files are not supported: save the sheet as .xlsx or CSV (UTF-8)."))
    if lower.endswith(".xlsx"):
        raise UnreadableFile(gettext("This is not a valid XLSX file."))
    return "csv"


def iter_rows(file: IO[bytes], fmt: str) -> Iterator[tuple[int, list[str]]]:
    file.seek(0)
    return _csv_rows(file) if fmt == "csv" else _xlsx_rows(file)


def _decoded_lines(file: IO[bytes]) -> Iterator[str]:
    # Decoding line by line (not in 8 KB chunks) lets a bad byte be reported at the row that holds it.
    for number, raw in enumerate(iter(file.readline, b""), start=1):
        yield raw.decode("utf-8-sig" if number == 1 else "utf-8")


def _csv_rows(file: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    lines = _decoded_lines(file)
    row_number = 0
    try:
        first = next(lines, "")
        # Spreadsheets in many European locales save "CSV" with semicolons; tabs are common too.
        delimiter = max((",", ";", "\t"), key=first.count) if first else ","
        reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter, strict=True)
        for row_number, values in enumerate(reader, start=1):
            yield row_number, list(map(str.strip, values))
    except UnicodeDecodeError:
        raise UnreadableFile(
            gettext("The file is not UTF-8 text. Save it as “CSV UTF-8 (comma delimited)” or as XLSX."), row_number + 1
        ) from None
    except csv.Error as exc:
        raise UnreadableFile(gettext("Malformed CSV: %(error)s.") % {"error": exc}, row_number + 1) from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(file: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise UnreadableFile(gettext("This is not a readable XLSX file (%(error)s).") % {"error": exc}) from None
    try:
        sheet = workbook.worksheets[0]
        for row_number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield row_number, [_cell_text(value) for value in values]
    finally:
        workbook.close()

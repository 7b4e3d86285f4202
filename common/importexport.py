"""The file formats of the admin's import/export pages (django-import-export), safe against formula injection.

A downloaded cell whose text begins with = + - @ (or a tab or carriage return, which spreadsheets skip before
reading a formula) must stay text when staff open the file: in .xlsx it is stored as a text cell, as the product's
own exports do (common.xlsx.write_text); in .csv, which has no types, it gets a leading apostrophe, the mark
Excel and WPS read as "text". Importing such a CSV back removes the apostrophe again, so a round trip keeps the
text exactly. The library's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading "=", changing data.
"""
from __future__ import annotations

import datetime
from io import BytesIO

import tablib
from django.utils import timezone
from import_export.formats import base_formats
from openpyxl import Workbook

from .xlsx import FORMULA_PREFIXES, write_text

CSV_TRIGGERS = FORMULA_PREFIXES + ("\t", "\r")


def csv_escape(value):
    if isinstance(value, str) and value.startswith(CSV_TRIGGERS):
        return "'" + value
    return value


def csv_unescape(value):
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(CSV_TRIGGERS):
        return value[1:]
    return value


def _mapped(dataset: tablib.Dataset, func) -> tablib.Dataset:
    out = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        out.append([func(value) for value in row])
    return out


class SafeCSV(base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        return super().export_data(_mapped(dataset, csv_escape), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return _mapped(super().create_dataset(in_stream, **kwargs), csv_unescape)


class SafeXLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = (dataset.title or "Sheet1")[:31]
        rows = ([dataset.headers] if dataset.headers else []) + [list(row) for row in dataset]
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if isinstance(value, datetime.datetime) and timezone.is_aware(value):
                    value = timezone.localtime(value).replace(tzinfo=None)  # a workbook holds no time zone
                write_text(sheet.cell(row=r, column=c), value)
        sheet.freeze_panes = "A2"
        out = BytesIO()
        workbook.save(out)
        return out.getvalue()


# Downloads: CSV and Excel only. Uploads: CSV and Excel (.xls too, as agencies still save it).
EXPORT_FORMATS = [SafeCSV, SafeXLSX]
IMPORT_FORMATS = [SafeCSV, base_formats.XLS, SafeXLSX]

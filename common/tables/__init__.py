"""Reading tables from uploaded files: .xlsx, .xls, .docx and .csv, within size limits, by header names."""
from .columns import Column, SourceRow, Table
from .errors import ReadError
from .header import HEADER_SCAN_ROWS
from .reader import read_table
from .sources import ACCEPTED_NAMES, FORMATS, read_bytes

__all__ = ["ACCEPTED_NAMES", "Column", "FORMATS", "HEADER_SCAN_ROWS", "ReadError", "SourceRow", "Table", "read_bytes",
           "read_table"]

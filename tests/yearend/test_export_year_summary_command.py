"""`manage.py export_year_summary YEAR --output PATH [--org ID] [--draft PATH]`."""
import io
import os

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests.yearend.conftest import YEAR
from tests.yearend.yearend_counts import measure_counts, report_counts


def run(*args):
    out = io.StringIO()
    call_command("export_year_summary", str(YEAR), *args, "--today", "2023-01-20", stdout=out)
    return out.getvalue()


def test_command_writes_the_workbook_and_the_draft(demo, tmp_path):
    book, draft = tmp_path / "台账.xlsx", tmp_path / "总结.docx"
    message = run("--output", str(book), "--draft", str(draft))
    wb = openpyxl.load_workbook(book)
    figures = {row[2]: row[3] for row in wb["总体情况"].iter_rows(min_row=4, values_only=True)}
    r, m = report_counts(), measure_counts()
    assert (figures["应报月报（份）"], figures["按时报送"], figures["整改措施（项）"], figures["已销号"]) == (
        r["due"], r["on_time"], m["total"], m["closed"])
    assert f"月报应报 {r['due']} 份、按时 {r['on_time']} 份" in message
    text = "\n".join(p.text for p in docx.Document(draft).paragraphs)
    assert f"全年应报月度报告{r['due']}份，按时报送{r['on_time']}份" in text


def test_command_narrows_to_an_organisations_subtree(demo, tmp_path):
    book = tmp_path / "branch.xlsx"
    run("--output", str(book), "--org", str(demo.org("机关第一党支部").pk))
    wb = openpyxl.load_workbook(book)
    names = {row[1] for row in wb["月报报送情况"].iter_rows(min_row=5, values_only=True)} - {None}
    assert names == {"机关第一党支部", "办公室", "人事科", "财务科"}  # a branch and the 科室 it covers
    assert wb["总体情况"]["A1"].value.startswith("机关第一党支部2022年度")


def test_an_unknown_organisation_is_a_clean_error(demo, tmp_path):
    with pytest.raises(CommandError, match="没有 ID 为 999999 的组织"):
        run("--output", str(tmp_path / "x.xlsx"), "--org", "999999")
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("where", ["missing-folder/x.xlsx", "."])
def test_an_unwritable_path_is_a_clean_error(demo, tmp_path, where):
    with pytest.raises(CommandError, match="无法写入"):
        run("--output", str(tmp_path / where))


def test_an_unwritable_draft_path_leaves_no_half_written_workbook(demo, tmp_path):
    book = tmp_path / "x.xlsx"
    with pytest.raises(CommandError, match="无法写入"):
        run("--output", str(book), "--draft", str(tmp_path / "no" / "d.docx"))
    assert not book.exists()


def test_a_year_out_of_range_is_a_clean_error(demo, tmp_path):
    with pytest.raises(CommandError, match="年度"):
        call_command("export_year_summary", "1999", "--output", str(tmp_path / "x.xlsx"))
    assert os.listdir(tmp_path) == []

"""Uploaded tables are bounded before parsing: oversized, over-long, zip-bombed, entity-bombed or renamed files are
refused with a Chinese message naming the problem, and nothing is written."""
import zipfile

import openpyxl
import pytest
import xlwt

from common.tables import read_table
from common.tables.limits import DEFAULTS
from responsibility.models import Item, ResponsibilityList
from responsibility.services import responsibility_list_plan
from tests.common.table_formats import to_docx
from tests.samples import LIST_FILE

HEADER = ["序号", "责任类别", "责任内容", "责任单位", "完成时限"]


def refused(path, *, year=2022):
    before = (ResponsibilityList.objects.count(), Item.objects.count())
    plan = responsibility_list_plan(source=path, year=year)
    assert not plan.items and len(plan.errors) == 1
    assert (ResponsibilityList.objects.count(), Item.objects.count()) == before
    return plan.errors[0].message


def rows(n):
    return [[i, "一、政治建设", f"事项{i}", "办公室", "每月"] for i in range(1, n + 1)]


def test_the_defaults_are_the_documented_limits(settings):
    assert DEFAULTS["IMPORT_MAX_UNPACKED_BYTES"] == 50 * 1024 * 1024 and DEFAULTS["IMPORT_MAX_ROWS"] == 5000
    assert DEFAULTS["IMPORT_MAX_COLUMNS"] == 200 and DEFAULTS["IMPORT_MAX_UPLOAD_BYTES"] == 10 * 1024 * 1024


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused_from_its_declared_sizes(demo, tmp_path):
    path = tmp_path / "bomb.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    wb.save(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (60 * 1024 * 1024))  # 60 MB of zeros: ~60 KB packed
    assert path.stat().st_size < 1024 * 1024
    message = refused(path)
    assert "解压后" in message and "超过 50 MB" in message


def test_a_docx_that_unpacks_beyond_the_limit_is_refused(demo, tmp_path, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    path = to_docx(LIST_FILE, tmp_path / "list.docx")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\0" * (2 * 1024 * 1024))
    assert "超过 1 MB" in refused(path)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol3;</t></si></sst>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&xxe;</t></si></sst>"""


def _replace_part(path, name, content):
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[name] = content
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE, XXE.decode().encode("utf-16")], ids=["laughs", "xxe", "utf16"])
def test_xml_parts_that_declare_entities_are_refused(demo, tmp_path, payload):
    path = tmp_path / "entities.xlsx"
    wb = openpyxl.Workbook()
    for row in [HEADER, *rows(2)]:
        wb.active.append(row)
    wb.save(path)
    _replace_part(path, "xl/sharedStrings.xml", payload)
    assert "不安全的 XML 声明" in refused(path)


def test_a_docx_with_a_dtd_in_its_document_is_refused(demo, tmp_path):
    path = to_docx(LIST_FILE, tmp_path / "list.docx")
    with zipfile.ZipFile(path) as archive:
        document = archive.read("word/document.xml")
    head, _, rest = document.partition(b"?>")
    _replace_part(path, "word/document.xml", head + b'?><!DOCTYPE w [<!ENTITY a "b">]>' + rest)
    assert "不安全的 XML 声明" in refused(path)


def test_too_many_rows_are_refused_in_every_format(demo, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 50
    xlsx = tmp_path / "long.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("清单")
    for row in [HEADER, *rows(60)]:
        ws.append(row)
    wb.save(xlsx)
    xls = tmp_path / "long.xls"
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("清单")
    for r, row in enumerate([HEADER, *rows(60)]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(xls))
    csv = tmp_path / "long.csv"
    csv.write_text("\n".join(",".join(str(v) for v in row) for row in [HEADER, *rows(60)]), encoding="utf-8")
    for path in (xlsx, xls, csv):
        message = refused(path)
        assert "超过 50 行" in message and "拆分" in message, path.name
    ok = tmp_path / "short.csv"
    ok.write_text("\n".join(",".join(str(v) for v in row) for row in [HEADER, *rows(49)]), encoding="utf-8")
    assert len(read_table(ok, _columns()).rows) == 49


def test_too_many_columns_are_refused(demo, tmp_path, settings):
    settings.IMPORT_MAX_COLUMNS = 20
    path = tmp_path / "wide.csv"
    path.write_text(",".join(HEADER + [f"列{i}" for i in range(30)]) + "\n1,一,学习,办公室,每月\n", encoding="utf-8")
    assert "超过 20 列" in refused(path)


def test_an_upload_beyond_the_size_limit_is_refused_without_reading_it_all(demo, tmp_path, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    path = tmp_path / "big.csv"
    path.write_text(",".join(HEADER) + "\n" + "1,一,学习,办公室,每月\n" * 200, encoding="utf-8")
    assert "文件超过" in refused(path)


def test_an_encrypted_office_file_is_refused(demo, tmp_path):
    # Excel and Word keep an encrypted .xlsx/.docx in an OLE container holding an EncryptedPackage stream.
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512)
    assert "已加密" in refused(path)


def test_a_docx_without_a_table_or_without_a_header(demo, tmp_path):
    import docx

    empty = tmp_path / "no_table.docx"
    document = docx.Document()
    document.add_paragraph("2022年主体责任清单")
    document.save(str(empty))
    assert "Word 文件中没有表格" in refused(empty)
    other = tmp_path / "other_table.docx"
    document.add_table(rows=2, cols=3).cell(0, 0).text = "会议记录"
    document.save(str(other))
    message = refused(other)
    assert message.startswith("未找到表头") and "各表格" in message


def test_an_xls_with_no_recognisable_header(demo, tmp_path):
    path = tmp_path / "other.xls"
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("记录")
    for c, value in enumerate(["时间", "地点", "主持人"]):
        sheet.write(0, c, value)
    book.save(str(path))
    message = refused(path)
    assert message.startswith("未找到表头") and "责任内容" in message


def _columns():
    from responsibility.importers import LIST_COLUMNS

    return LIST_COLUMNS



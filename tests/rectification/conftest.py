"""Fixtures for the rectification ledger: the demo agency seeded once per module, the sample ledger imported."""
import datetime
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.db import transaction

from branches.demo import seed_demo
from tests.conftest import DEMO_DAY, Demo

from tests.samples import SAMPLES
LEDGER = SAMPLES / "rectification_ledger_2022.xlsx"
HEADER = ["序号", "问题类别", "问题描述", "整改措施", "责任领导", "责任部门", "责任人", "整改时限", "整改完成标准",
          "整改进展", "是否完成整改", "是否销号"]
# A small but real PDF: header, one empty page, cross-reference table, trailer.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\nxref\n0 4\n0000000000 65535 f \n"
       b"0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\n"
       b"startxref\n164\n%%EOF\n")


def sample_ledger() -> Path:
    return LEDGER


def ledger_bytes(rows, *, title="市委第三巡察组反馈问题整改台账", above=("反馈时间：2022年1月10日",), header=HEADER) -> bytes:
    """A ledger workbook laid out like the sample: title row, a line above the header, header, rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    for line in above:
        ws.append([line])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _demo_seeded_for_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        seed_demo(today=DEMO_DAY)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_seeded_for_module, db):
    return Demo()


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ledger(demo):
    """The sample ledger imported by 吴敏 (党建办)."""
    from rectification.services import rectification_ledger_import

    with sample_ledger().open("rb") as handle:
        return rectification_ledger_import(actor=demo.user("wumin"), source=handle,
                                           file_name="rectification_ledger_2022.xlsx")


def travel(day: datetime.date):
    """Freeze the clock at 10:00 Asia/Shanghai on `day`."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), ZoneInfo("Asia/Shanghai")), tick=False)


def pdf_upload(name="整改材料.pdf", content=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def measure(text):
    from rectification.models import Measure

    return Measure.objects.get(text=text)


# Measures of the sample ledger the tests act on.
HR_RECORDS = "建立干部选拔任用全程纪实制度"  # 人事科 · 冯静 · 2022-06-30 · 正在整改
RECEPTION_CLEANUP = "全面清理2021年公务接待费用"  # 财务科 · 何磊 · 2022-04-30 · 已完成, not struck off: awaiting review
LOOK_BACK = "对上轮巡察反馈问题逐项“回头看”"  # 机关纪委 · 周涛 · 2022-07-31 · 正在整改
RECEPTION_RULE = "严格执行公务接待审批单制度"  # 办公室 · 郑伟 · 长期坚持
BRANCH_PLANS = "各支部制定组织生活年度计划"  # 各党支部 · no person · 2022-03-31 · 正在整改

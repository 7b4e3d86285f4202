"""Downloads and robot messages carry user text as text: no spreadsheet formulas, no markdown."""
import csv
import io

import openpyxl
import pytest
from django.contrib import admin
from import_export.mixins import BaseExportMixin

from accounts.models import Role
from common.importexport import SafeCSV, SafeXLSX
from notifications.channels import webhook_payload
from notifications.models import Level, Reminder, Webhook
from tests.factories import OrganisationFactory, RoleGrantFactory, UserFactory

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1+2", "-2+3", "\t=1+1", "\r=1+1"]


def _export(client, fmt: str) -> bytes:
    page = client.get("/admin/branches/organisation/export/")
    form = page.context["form"]
    data = {name: "on" for name, field in form.fields.items() if field.__class__.__name__ == "BooleanField"}
    formats = [f.__name__ for f in admin.site._registry[OrganisationFactory._meta.model].get_export_formats()]
    data["format"] = str(formats.index(fmt))
    if "resource" in form.fields:
        data["resource"] = "0"
    response = client.post("/admin/branches/organisation/export/", data)
    assert response.status_code == 200, response.content[:500]
    return response.content


@pytest.fixture
def staff_client(client):
    for n, name in enumerate(PAYLOADS):
        OrganisationFactory(name=name, short_name=f"单位{n}")
    client.force_login(RoleGrantFactory(user=UserFactory(username="staffer"), role=Role.STAFF).user)
    return client


def test_admin_csv_export_marks_formula_like_names_as_text(staff_client):
    rows = list(csv.reader(io.StringIO(_export(staff_client, "SafeCSV").decode("utf-8-sig"))))
    names = {cell for row in rows for cell in row}
    for payload in PAYLOADS:
        assert "'" + payload in names
        assert payload not in names


def test_admin_xlsx_export_stores_formula_like_names_as_text_cells(staff_client):
    sheet = openpyxl.load_workbook(io.BytesIO(_export(staff_client, "SafeXLSX"))).active
    cells = {cell.value: cell.data_type for row in sheet.iter_rows() for cell in row if cell.value}
    for payload in PAYLOADS:
        assert cells[payload] == "s"  # the exact text, as a string cell, never a formula ("f")
    assert "f" not in set(cells.values())


def test_a_csv_round_trip_gives_back_the_exact_text():
    import tablib

    dataset = tablib.Dataset(*[[p, "普通文字", "-"] for p in PAYLOADS], headers=["名称", "备注", "空"])
    exported = SafeCSV().export_data(dataset)
    back = SafeCSV().create_dataset(exported)
    assert "'-" in exported  # the download marks even a lone "-" as text
    assert [list(row) for row in back] == [[p, "普通文字", "-"] for p in PAYLOADS]


def test_every_admin_with_downloads_uses_the_safe_formats():
    exporting = [a for a in admin.site._registry.values() if isinstance(a, BaseExportMixin)]
    assert exporting  # organisations, posts, items
    for model_admin in exporting:
        assert set(model_admin.get_export_formats()) <= {SafeCSV, SafeXLSX}, type(model_admin).__name__


@pytest.mark.parametrize("kind", [Webhook.Kind.WECOM, Webhook.Kind.DINGTALK])
def test_robot_messages_show_names_with_markdown_as_plain_text(kind):
    reminder = Reminder(title="**粗体**[链接](http://x) `代码` <@all> # 标题\n### 第二行", level=Level.RED,
                        link="/reports/1/")
    message = webhook_payload(kind, [reminder])["markdown"]
    text = message.get("text") or message.get("content")
    assert "＊＊粗体＊＊［链接］（http://x） ｀代码｀ ＜＠all＞ ＃ 标题 ＃＃＃ 第二行" in text
    assert "](http://x)" not in text and "**" not in text and "\n###" not in text.split("\n", 1)[1]
    assert text.endswith("[查看](http://127.0.0.1:8000/reports/1/)")  # the product's own link still works

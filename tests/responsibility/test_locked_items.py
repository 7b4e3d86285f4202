"""A published list's items stay where they are: not edited, not deleted, not moved to a draft."""
import pytest
from django.core.exceptions import ValidationError

from responsibility.models import Item, ListKind
from responsibility.services import responsibility_list_import
from tests.responsibility.conftest import sample


def test_an_item_cannot_be_moved_out_of_a_published_list(demo, main_list):
    with sample("responsibility_list_2022.xlsx").open("rb") as handle:
        draft = responsibility_list_import(actor=demo.user("wumin"), source=handle, year=2022, kind=ListKind.DUAL)
    item = main_list.items.get(seq="1")
    item.responsibility_list = draft
    item.content = "改写"
    with pytest.raises(ValidationError):
        item.save()
    assert Item.objects.get(pk=item.pk).content != "改写"


def test_overlong_cells_are_row_errors_in_the_dry_run(demo, tmp_path):
    from openpyxl import Workbook

    from responsibility.importers import plan_list

    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "责任类别", "责任内容", "责任单位", "完成时限"])
    ws.append([1, "类" * 300, "学习", "办公室", "每月"])
    ws.append(["²", "", "", "", ""])
    path = tmp_path / "长.xlsx"
    wb.save(path)
    plan = plan_list(path, year=2022)
    assert [(e.row, e.column) for e in plan.errors] == [(2, "B")]
    assert "最多 200 字" in plan.errors[0].message

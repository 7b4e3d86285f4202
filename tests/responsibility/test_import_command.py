"""manage.py import_responsibility_list: dry run, errors, kinds, publishing, help."""
import os
import subprocess
import sys
from io import StringIO

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from accounts.models import Role
from branches.demo import seed_demo
from responsibility.management.commands.import_responsibility_list import Command
from responsibility.models import Assignment, Item, ItemUnit, ListKind, ListStatus, ResponsibilityList
from tests.conftest import DEMO_DAY, Demo

from tests.samples import SAMPLES
LIST_FILE = str(SAMPLES / "responsibility_list_2022.xlsx")
RISK_FILE = str(SAMPLES / "risk_list_2022.xlsx")
HEADER = ["序号", "责任类别", "责任内容", "具体任务", "牵头领导", "责任单位", "完成时限", "完成标准", "佐证材料"]



# The demo agency seeded once for this module (as tests/accounts/conftest.py does): the seed runs in a
# transaction held open for the module and rolled back at its end; each test runs in its own savepoint.
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

def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_responsibility_list", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts():
    return tuple(model.objects.count() for model in (ResponsibilityList, Item, ItemUnit, Assignment))


def workbook(path, rows):
    wb = openpyxl.Workbook()
    for values in rows:
        wb.active.append(values)
    wb.save(path)
    return str(path)


@pytest.fixture
def bad_file(tmp_path):
    return workbook(tmp_path / "坏清单.xlsx", [
        HEADER,
        [1, "一、政治建设", "学习", "", "张建国", "办公室", "每月", "", ""],
        [2, "一、政治建设", "调研", "", "张建国", "机关第一支部", "每月", "", ""],
        [3, "一、政治建设", "检查", "", "张建国", "办公室", "下个阶段", "", ""],
    ])


def test_dry_run_prints_the_counts_and_writes_nothing(demo):
    before = counts()
    out, err = run(LIST_FILE, "--year", "2022", "--dry-run")
    assert counts() == before
    assert err == ""
    assert "事项 25 项，任务分解 66 条" in out
    assert "一、政治建设 5" in out and "三、组织建设 6" in out and "五、纪律建设和党风廉政建设 6" in out
    assert "每月 3" in out and "每季度 4" in out and "每半年 5" in out and "限期完成 9" in out
    assert "长期坚持 3" in out and "全年 1" in out
    assert "工作表：主体责任清单" in out and "表头行：2" in out
    assert "第3行 1 [一、政治建设] 落实“第一议题”制度 → 办公室 · 每月" in out
    assert "试运行，未写入" in out


def test_import_writes_a_draft_and_reports_it(demo):
    out, err = run(LIST_FILE, "--year", "2022")
    rlist = ResponsibilityList.objects.get()
    assert (rlist.status, rlist.items.count()) == (ListStatus.DRAFT, 25)
    assert rlist.created_by.has_role(Role.STAFF)  # the first party-affairs staff account by default
    assert "已导入“2022年党组主体责任清单”：25 项（草稿）" in out
    assert not Assignment.objects.exists()


def test_publish_option_creates_the_66_assignments(demo):
    out, _err = run(LIST_FILE, "--year", "2022", "--publish", "--user", "wumin", "--title", "2022年主体责任清单")
    rlist = ResponsibilityList.objects.get()
    assert (rlist.title, rlist.status, rlist.published_by.username) == ("2022年主体责任清单", ListStatus.PUBLISHED, "wumin")
    assert Assignment.objects.filter(item__responsibility_list=rlist, is_active=True).count() == 66
    assert "已发布：生成任务分解 66 条" in out


def test_kind_risk_imports_the_risk_list(demo):
    out, _err = run(RISK_FILE, "--year", "2022", "--kind", "risk")
    rlist = ResponsibilityList.objects.get()
    assert (rlist.kind, rlist.items.count()) == (ListKind.RISK, 12)
    assert "已导入“2022年科室廉政风险防控清单”：12 项（草稿）" in out


def test_dry_run_of_the_risk_list_prints_the_levels(demo):
    out, _err = run(RISK_FILE, "--year", "2022", "--kind", "risk", "--dry-run")
    assert "事项 12 项，任务分解 12 条" in out
    assert "按风险等级：高 6，中 5，低 1" in out
    assert not ResponsibilityList.objects.exists()


def test_bad_file_fails_with_the_errors_on_stderr_and_writes_nothing(demo, bad_file):
    before = counts()
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_responsibility_list", bad_file, "--year", "2022", stdout=out, stderr=err)
    assert caught.value.returncode == 1  # non-zero exit status from manage.py
    assert "发现 2 处错误，未导入任何数据" in str(caught.value)
    assert counts() == before
    errors = err.getvalue().splitlines()
    assert len(errors) == 2
    assert errors[0].startswith("错误：第3行F列“责任单位”：未找到责任单位“机关第一支部”")
    assert "机关第一党支部" in errors[0]
    assert errors[1].startswith("错误：第4行G列“完成时限”")
    assert "事项 1 项" in out.getvalue()  # the summary of what was readable


def test_bad_file_in_a_dry_run_fails_too(demo, bad_file):
    err = StringIO()
    with pytest.raises(CommandError, match="发现 2 处错误，未导入"):
        call_command("import_responsibility_list", bad_file, "--year", "2022", "--dry-run", stdout=StringIO(),
                     stderr=err)
    assert "第3行F列" in err.getvalue() and "第4行G列" in err.getvalue()


def test_a_second_import_of_the_same_year_is_refused(demo):
    run(LIST_FILE, "--year", "2022")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_responsibility_list", LIST_FILE, "--year", "2022", stdout=StringIO(), stderr=err)
    assert "2022年度已有" in err.getvalue()
    assert ResponsibilityList.objects.count() == 1


def test_a_missing_file_and_an_unknown_user_are_command_errors(demo, tmp_path, bad_file):
    with pytest.raises(CommandError, match="无法打开文件"):
        run(str(tmp_path / "没有这个文件.xlsx"), "--year", "2022")
    with pytest.raises(CommandError, match="找不到操作人"):
        run(bad_file, "--year", "2022", "--user", "nobody")
    with pytest.raises(CommandError, match="未找到唯一的“没有这个组织”"):
        run(bad_file, "--year", "2022", "--owner-org", "没有这个组织")


def test_a_non_staff_user_may_not_import(demo, bad_file):
    with pytest.raises(CommandError, match="zhengwei：只有党务工作人员可以维护责任清单。"):
        run(bad_file, "--year", "2022", "--user", "zhengwei")


def test_an_unknown_kind_is_refused_by_the_parser(demo, bad_file):
    with pytest.raises(CommandError, match="invalid choice"):
        run(bad_file, "--year", "2022", "--kind", "problems")


def test_help_lists_the_kinds():
    help_text = Command().create_parser("manage.py", "import_responsibility_list").format_help()
    flat = "".join(help_text.split())
    for value, label in ListKind.choices:
        assert f"{value}={label}" in flat
    assert "--dry-run" in help_text and "--publish" in help_text and "--year" in help_text


def test_help_from_manage_py(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "COLUMNS": "300"}
    result = subprocess.run([sys.executable, "manage.py", "import_responsibility_list", "--help"],
                            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "{main,dual,organ_committee,organ_discipline,secretary,risk}" in result.stdout
    assert "risk=科室廉政风险防控清单" in result.stdout


def test_a_file_titled_as_another_kind_is_imported_with_a_warning(demo):
    _out, err = run(LIST_FILE, "--year", "2022", "--kind", "dual", "--dry-run")
    assert "注意：文件标题写的是“党组主体责任清单”，将按 --kind 指定的“一岗双责清单”导入。" in err

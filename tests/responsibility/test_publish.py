"""Publishing locks a list and makes its assignments; corrections go into a revision; drafts may be deleted."""
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from branches.demo import seed_demo
from responsibility.models import Assignment, Item, ItemUnit, ListStatus, ResponsibilityList
from responsibility.services import (
    responsibility_list_delete_draft,
    responsibility_list_import,
    responsibility_list_publish,
    responsibility_list_revise,
)
from tests.conftest import DEMO_DAY, Demo

HEADER = ["序号", "责任类别", "责任内容", "具体任务", "牵头领导", "责任单位", "完成时限", "完成标准", "佐证材料"]
ROWS = [
    [1, "一、政治建设", "落实第一议题", "党组会第一议题", "张建国", "办公室", "每月", "每次安排", "纪要"],
    [2, "一、政治建设", "三会一课", "按期召开", "赵强", "各党支部", "每季度", "按期召开", "记录"],
    [3, "二、思想建设", "创建模范机关", "制定方案", "赵强", "机关党委、人事科", "2022年6月底前", "印发方案", "方案"],
]  # 1 + 8 + 2 = 11 assignments



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

def counts():
    return tuple(model.objects.count() for model in (ResponsibilityList, Item, ItemUnit, Assignment))


@pytest.fixture
def staff(demo):
    return demo.user("wumin")


@pytest.fixture
def draft(staff, tmp_path):
    wb = openpyxl.Workbook()
    for values in [HEADER, *ROWS]:
        wb.active.append(values)
    wb.save(tmp_path / "list.xlsx")
    return responsibility_list_import(actor=staff, source=str(tmp_path / "list.xlsx"), year=2022)


@pytest.fixture
def published(staff, draft):
    return responsibility_list_publish(actor=staff, rlist=draft)


def snapshot(rlist):
    return [
        (i.position, i.seq, i.category, i.content, i.tasks, i.lead_leader_id, i.frequency, i.due_dates, i.final_due_on,
         [(u.organisation_id, u.is_lead, u.position) for u in i.units.all()])
        for i in rlist.items.prefetch_related("units")
    ]


def test_publishing_locks_the_draft_and_assigns_its_items(staff, published):
    assert published.status == ListStatus.PUBLISHED and published.is_locked
    assert published.published_by == staff and published.published_at is not None
    assert Assignment.objects.filter(item__responsibility_list=published, is_active=True).count() == 11
    assert Assignment.objects.live().count() == 11


def test_publishing_twice_fails_cleanly(staff, published):
    before = counts()
    with pytest.raises(ValidationError, match="只有草稿状态的清单可以发布"):
        responsibility_list_publish(actor=staff, rlist=published)
    assert counts() == before
    published.refresh_from_db()
    assert published.status == ListStatus.PUBLISHED


def test_a_list_without_items_cannot_be_published(staff):
    empty = ResponsibilityList.objects.create(year=2022, title="空清单", created_by=staff)
    with pytest.raises(ValidationError, match="没有事项"):
        responsibility_list_publish(actor=staff, rlist=empty)
    empty.refresh_from_db()
    assert (empty.status, empty.published_at) == (ListStatus.DRAFT, None)


def test_only_staff_may_publish(demo, draft):
    with pytest.raises(PermissionDenied):
        responsibility_list_publish(actor=demo.user("zhengwei"), rlist=draft)
    draft.refresh_from_db()
    assert draft.status == ListStatus.DRAFT
    assert not Assignment.objects.exists()


def test_items_of_a_published_list_cannot_be_saved_or_deleted(published):
    item = published.items.first()
    item.content = "改过的内容"
    with pytest.raises(ValidationError, match="清单已发布"):
        item.save()
    with pytest.raises(ValidationError, match="清单已发布"):
        item.delete()
    with pytest.raises(ValidationError):
        Item.objects.create(responsibility_list=published, position=99, content="新增", frequency="monthly")
    assert published.items.get(pk=item.pk).content == "落实第一议题"
    assert published.items.count() == 3


def test_items_of_a_draft_can_be_edited(draft):
    item = draft.items.first()
    item.content = "改过的内容"
    item.save()
    assert draft.items.get(pk=item.pk).content == "改过的内容"


def test_revise_makes_revision_2_with_the_same_items_while_the_old_list_stays_published(staff, published):
    revision = responsibility_list_revise(actor=staff, rlist=published, note="调整责任单位")
    assert (revision.revision, revision.previous, revision.status, revision.note) == (
        2, published, ListStatus.DRAFT, "调整责任单位")
    assert (revision.year, revision.kind, revision.title) == (published.year, published.kind, published.title)
    assert str(revision) == "2022年党组主体责任清单（第2版）"
    assert snapshot(revision) == snapshot(published)
    assert not set(revision.items.values_list("pk", flat=True)) & set(published.items.values_list("pk", flat=True))
    published.refresh_from_db()
    assert published.status == ListStatus.PUBLISHED
    # until the revision is published, the old list's assignments are the live ones
    assert not Assignment.objects.filter(item__responsibility_list=revision).exists()
    assert Assignment.objects.live().filter(item__responsibility_list=published).count() == 11
    # the revision is a draft: its items can be corrected
    item = revision.items.get(position=3)
    item.content = "创建模范机关（修订）"
    item.save()
    assert published.items.get(position=3).content == "创建模范机关"


def test_publishing_the_revision_archives_the_old_list_and_deactivates_its_assignments(staff, published):
    revision = responsibility_list_revise(actor=staff, rlist=published)
    revision = responsibility_list_publish(actor=staff, rlist=revision)
    published.refresh_from_db()
    assert (revision.status, published.status) == (ListStatus.PUBLISHED, ListStatus.ARCHIVED)
    old = Assignment.objects.filter(item__responsibility_list=published)
    new = Assignment.objects.filter(item__responsibility_list=revision)
    assert old.count() == new.count() == 11
    assert not old.filter(is_active=True).exists()
    assert new.filter(is_active=True).count() == 11
    assert set(Assignment.objects.live()) == set(new)
    # archived items stay locked
    item = published.items.first()
    with pytest.raises(ValidationError):
        item.save()


def test_only_a_published_list_can_be_revised_and_only_once(staff, draft):
    with pytest.raises(ValidationError, match="只有已发布的清单可以修订"):
        responsibility_list_revise(actor=staff, rlist=draft)
    published = responsibility_list_publish(actor=staff, rlist=draft)
    responsibility_list_revise(actor=staff, rlist=published)
    before = counts()
    with pytest.raises(ValidationError, match="已有修订版本"):
        responsibility_list_revise(actor=staff, rlist=published)
    assert counts() == before


def test_a_revision_of_a_revision(staff, published):
    second = responsibility_list_publish(actor=staff, rlist=responsibility_list_revise(actor=staff, rlist=published))
    third = responsibility_list_publish(actor=staff, rlist=responsibility_list_revise(actor=staff, rlist=second))
    assert third.revision == 3 and third.previous == second
    assert list(ResponsibilityList.objects.order_by("revision").values_list("status", flat=True)) == [
        ListStatus.ARCHIVED, ListStatus.ARCHIVED, ListStatus.PUBLISHED]
    assert Assignment.objects.live().count() == 11


def test_deleting_a_draft_removes_it_and_its_items(staff, draft):
    assert Item.objects.filter(responsibility_list=draft).count() == 3
    responsibility_list_delete_draft(actor=staff, rlist=draft)
    assert counts() == (0, 0, 0, 0)


def test_deleting_a_draft_revision_keeps_the_published_list(staff, published):
    revision = responsibility_list_revise(actor=staff, rlist=published)
    responsibility_list_delete_draft(actor=staff, rlist=revision)
    assert list(ResponsibilityList.objects.all()) == [published]
    assert published.items.count() == 3
    assert Assignment.objects.live().count() == 11


def test_a_published_list_cannot_be_deleted_via_the_service(staff, published):
    before = counts()
    with pytest.raises(ValidationError, match="只有草稿可以删除"):
        responsibility_list_delete_draft(actor=staff, rlist=published)
    assert counts() == before


def test_only_staff_may_delete_a_draft(demo, draft):
    with pytest.raises(PermissionDenied):
        responsibility_list_delete_draft(actor=demo.user("zhengwei"), rlist=draft)
    assert ResponsibilityList.objects.filter(pk=draft.pk).exists()

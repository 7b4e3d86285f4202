"""What staff do with responsibility lists: import, publish, revise. One function per action."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from branches.models import LEADING_POSTS, PostKind
from common.imports import ImportRejected, RowError
from common.imports.audit import log_created

from .importers import ImportPlan, plan_list
from .models import Assignment, Item, ItemUnit, ListKind, ListStatus, ResponsibilityList


def ensure_staff(user):
    if not (user.is_superuser or user.has_role(Role.STAFF)):
        raise PermissionDenied(_("只有党务工作人员可以维护责任清单。"))


def default_title(year: int, kind: str) -> str:
    return f"{year}年{ListKind(kind).label}"


def responsibility_list_plan(*, source, year: int, kind: str = ListKind.MAIN, file_name: str = "",
                             owner_organisation=None, owner_person=None) -> ImportPlan:
    """The dry run: everything the import would create and every error, without writing."""
    plan = plan_list(source, year=year, kind=kind, file_name=file_name)
    existing = ResponsibilityList.objects.filter(
        year=year, kind=kind, owner_organisation=owner_organisation, owner_person=owner_person,
        status__in=[ListStatus.DRAFT, ListStatus.PUBLISHED],
    ).first()
    if existing is not None:
        plan.errors.insert(0, RowError(None, "", "", "", _(
            "%(year)s年度已有“%(title)s”（%(status)s），如需更正请在清单页面创建修订版本或删除草稿后再导入")
            % {"year": year, "title": existing, "status": existing.get_status_display()}))
    return plan


@transaction.atomic
def responsibility_list_import(*, actor, source, year: int, kind: str = ListKind.MAIN, title: str = "",
                               file_name: str = "", owner_organisation=None, owner_person=None) -> ResponsibilityList:
    """Create a draft list from the file, all or nothing."""
    ensure_staff(actor)
    plan = responsibility_list_plan(source=source, year=year, kind=kind, file_name=file_name,
                                    owner_organisation=owner_organisation, owner_person=owner_person)
    if not plan.ok:
        if not plan.errors:
            plan.errors.append(RowError(None, "", "", "", _("文件中没有可导入的事项")))
        raise ImportRejected(plan)
    rlist = ResponsibilityList.objects.create(
        year=year, kind=kind, title=title or default_title(year, kind), owner_organisation=owner_organisation,
        owner_person=owner_person, source_file=(file_name or plan.file_name)[:255], created_by=actor,
    )
    # Items, their units and their audit rows in a few INSERTs whatever the list's length.
    items = Item.objects.bulk_create([Item(
        responsibility_list=rlist, position=position, seq=planned.seq, category=planned.category,
        content=planned.content, tasks=planned.tasks, standard=planned.standard, evidence=planned.evidence,
        lead_leader=planned.lead_leader, lead_leader_text=planned.lead_leader_text, person=planned.person,
        units_text=planned.units_text, deadline_text=planned.deadline.text, frequency=planned.deadline.frequency.value,
        due_dates=[d.isoformat() for d in planned.deadline.due_dates], final_due_on=planned.deadline.last_due,
        source_row=planned.row, risk_category=planned.risk_category, risk_point=planned.risk_point,
        risk_manifestation=planned.risk_manifestation, risk_level=planned.risk_level or "",
        department_head=planned.department_head,
    ) for position, planned in enumerate(plan.items, start=1)], batch_size=500)
    ItemUnit.objects.bulk_create([
        ItemUnit(item=item, organisation=org, is_lead=lead, position=i)
        for item, planned in zip(items, plan.items) for i, (org, lead) in enumerate(planned.units)
    ], batch_size=1000)
    log_created(items, actor=actor)
    return rlist


# Every unit of a list becomes an assignment in one INSERT … SELECT: a city list makes some 14,000 of them, and
# building a model instance for each took seconds where the database needs a fraction of one. The person is the
# item's named 责任人, else whoever runs the organisation: its 书记, else its head (科室负责人), else a 副书记 — ranked
# among the posts of the list's own organisations only, so that the cost follows the list, not the agency.
_ASSIGNMENTS_INSERT = """
INSERT INTO responsibility_assignment (item_id, organisation_id, is_lead, person_id, is_active, created_at)
SELECT u.item_id, u.organisation_id, u.is_lead, COALESCE(i.person_id, leader.person_id), %s, %s
FROM responsibility_itemunit u
JOIN responsibility_item i ON i.id = u.item_id
LEFT JOIN (
    SELECT p.organisation_id, p.person_id, ROW_NUMBER() OVER (
        PARTITION BY p.organisation_id
        ORDER BY CASE p.kind WHEN %s THEN 0 WHEN %s THEN 1 WHEN %s THEN 1 ELSE 2 END, p.sort_order, p.id) AS leader_rank
    FROM branches_post p JOIN branches_person person ON person.id = p.person_id
    WHERE p.is_active = %s AND person.is_active = %s AND p.kind IN ({leading})
      AND p.organisation_id IN (SELECT lu.organisation_id FROM responsibility_itemunit lu
                                JOIN responsibility_item li ON li.id = lu.item_id WHERE li.responsibility_list_id = %s)
) leader ON leader.organisation_id = u.organisation_id AND leader.leader_rank = 1
WHERE i.responsibility_list_id = %s
"""


def _assignments_insert(rlist: ResponsibilityList, now) -> int:
    leading = sorted(LEADING_POSTS)
    params = [True, now, PostKind.SECRETARY, PostKind.DEPARTMENT_HEAD, PostKind.HEAD, True, True, *leading, rlist.pk,
              rlist.pk]
    with connection.cursor() as cursor:
        cursor.execute(_ASSIGNMENTS_INSERT.format(leading=", ".join(["%s"] * len(leading))), params)
        return cursor.rowcount


@transaction.atomic
def responsibility_list_publish(*, actor, rlist: ResponsibilityList) -> ResponsibilityList:
    """Lock a draft and make its items the organisations' work (assignments); archive the revision it replaces."""
    ensure_staff(actor)
    now = timezone.now()
    claimed = ResponsibilityList.objects.filter(pk=rlist.pk, status=ListStatus.DRAFT).update(
        status=ListStatus.PUBLISHED, published_by=actor, published_at=now)
    if claimed != 1:
        raise ValidationError(_("只有草稿状态的清单可以发布。"))
    if not rlist.items.exists():
        raise ValidationError(_("清单中没有事项，不能发布。"))
    _assignments_insert(rlist, now)
    if rlist.previous_id:
        ResponsibilityList.objects.filter(pk=rlist.previous_id).update(status=ListStatus.ARCHIVED)
        Assignment.objects.filter(item__responsibility_list_id=rlist.previous_id).update(is_active=False)
    rlist.refresh_from_db()
    return rlist


@transaction.atomic
def responsibility_list_revise(*, actor, rlist: ResponsibilityList, note: str = "") -> ResponsibilityList:
    """Start a correction of a published list: a new draft revision with the same items; the old one stays."""
    ensure_staff(actor)
    locked = ResponsibilityList.objects.select_for_update().get(pk=rlist.pk)
    if locked.status != ListStatus.PUBLISHED:
        raise ValidationError(_("只有已发布的清单可以修订。"))
    if ResponsibilityList.objects.filter(previous=locked).exists():
        raise ValidationError(_("该清单已有修订版本。"))
    new = ResponsibilityList.objects.create(
        year=locked.year, title=locked.title, kind=locked.kind, owner_organisation=locked.owner_organisation,
        owner_person=locked.owner_person, revision=locked.revision + 1, previous=locked,
        source_file=locked.source_file, note=note, created_by=actor,
    )
    for item in locked.items.prefetch_related("units"):
        units = list(item.units.all())
        item.pk, item.responsibility_list = None, new
        item.save()
        ItemUnit.objects.bulk_create([ItemUnit(item=item, organisation_id=u.organisation_id, is_lead=u.is_lead,
                                               position=u.position) for u in units])
    return new


@transaction.atomic
def responsibility_list_delete_draft(*, actor, rlist: ResponsibilityList) -> None:
    ensure_staff(actor)
    deleted = ResponsibilityList.objects.filter(pk=rlist.pk, status=ListStatus.DRAFT)
    if not deleted.exists():
        raise ValidationError(_("只有草稿可以删除。"))
    ItemUnit.objects.filter(item__responsibility_list=rlist).delete()
    Item.objects.filter(responsibility_list=rlist).delete()
    deleted.delete()


def can_manage_lists(user) -> bool:
    return user.is_superuser or user.has_role(Role.STAFF)


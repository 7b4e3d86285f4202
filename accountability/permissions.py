"""Who may do what in 问责: issue, act for a recipient, close, record talks, read confidential records."""
from __future__ import annotations

from django.conf import settings

from accounts.models import Role
from branches.models import OrgKind, Organisation, Post, PostKind
from branches.scope import scope_for

from .models import Instruction, InstructionKind

# Where an instruction can be issued from: the discipline bodies for 督办, the party office for 交办.
ISSUING_KINDS = {
    InstructionKind.SUPERVISE: (OrgKind.DISCIPLINE_GROUP, OrgKind.ORGAN_DISCIPLINE),
    InstructionKind.ASSIGN: (OrgKind.ORGAN_COMMITTEE, OrgKind.PARTY_GROUP, OrgKind.PARTY_COMMITTEE),
}
ISSUING_ROLE = {InstructionKind.SUPERVISE: Role.INSPECTOR, InstructionKind.ASSIGN: Role.STAFF}
TOP_KINDS = (OrgKind.PARTY_GROUP, OrgKind.PARTY_COMMITTEE)


def _post_orgs(user) -> list[Organisation]:
    if not user.is_authenticated:
        return []
    return [p.organisation for p in Post.objects.current().filter(person__user=user).select_related("organisation")]


def can_issue(user, kind: str) -> bool:
    role = ISSUING_ROLE.get(kind)
    return bool(role) and user.is_authenticated and (user.is_superuser or scope_for(user).has_role(role))


def issuing_orgs(user, kind: str) -> list[Organisation]:
    """The offices the user may issue from: where they hold a post of the right kind."""
    if not can_issue(user, kind):
        return []
    kinds = ISSUING_KINDS[kind]
    found = [org for org in _post_orgs(user) if org.kind in kinds]
    if not found and user.is_superuser:
        found = list(Organisation.objects.active().filter(kind__in=kinds))
    return found


def is_issuer_office(user, instruction: Instruction) -> bool:
    """The issuer, or a colleague holding a post in the issuing office with the issuing role."""
    if not user.is_authenticated:
        return False
    if user.pk == instruction.issued_by_id or user.is_superuser:
        return True
    in_office = Post.objects.current().filter(person__user=user, organisation_id=instruction.issuing_org_id).exists()
    return in_office and can_issue(user, instruction.kind)


def can_act_for(user, organisation_id: int) -> bool:
    """签收 and 反馈 for a recipient: its 书记/负责人, or someone holding a post in it."""
    if not user.is_authenticated:
        return False
    if organisation_id in scope_for(user).led_org_ids:
        return True
    return Post.objects.current().filter(person__user=user, organisation_id=organisation_id).exists()


def is_party_secretary(user) -> bool:
    """书记 of the agency's 党组/党委 (the top of the tree)."""
    return user.is_authenticated and any(kind == PostKind.SECRETARY and org_kind in TOP_KINDS and top
                                         for _org_id, kind, org_kind, top in scope_for(user).posts)


def is_discipline(user) -> bool:
    return user.is_authenticated and (user.is_superuser or scope_for(user).has_role(Role.INSPECTOR))


def reads_records(user) -> bool:
    """问责 records are for the discipline side and the party secretary."""
    return is_discipline(user) or is_party_secretary(user)


def subject_reads_own() -> bool:
    return getattr(settings, "ACCOUNTABILITY_SUBJECT_CAN_READ", False)


def can_record_talk(user) -> bool:
    """约谈 are held by the discipline side, the party secretary and 分管 leaders (一岗双责)."""
    return reads_records(user) or bool(scope_for(user).supervised_org_ids)


def can_spot_check(user) -> bool:
    return is_discipline(user)


def reads_reuse_flags(user) -> bool:
    """纸上整改 signs: the discipline side, and those who review reports or measures (party staff, 分管 leaders);
    the list shows only their scope."""
    return is_discipline(user) or (user.is_authenticated and (
        scope_for(user).has_role(Role.STAFF) or bool(scope_for(user).supervised_org_ids)))

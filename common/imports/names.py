"""Resolve the unit and person names written in imported sheets against the organisation tree."""
from __future__ import annotations

import difflib
import re

from branches.matching import OrganisationMatcher, normalise_name
from branches.models import Organisation, OrgKind, Person

UNIT_SEPARATORS = re.compile(r"[、，,；;\n/|]+|\s{1,}")
LEAD_MARK = re.compile(r"[（(]\s*(牵头|主责|负责)\s*[)）]$")
COOPERATE_MARK = re.compile(r"[（(]\s*(配合|协办|协助|参与)\s*[)）]$")
LEAD_PREFIX = re.compile(r"^(牵头单位|牵头部门|牵头|主责单位)[:：]")
COOPERATE_PREFIX = re.compile(r"^(配合单位|配合部门|协办单位|配合|协办)[:：]")

# Group names lists use for "every organisation of a kind".
GROUPS: dict[str, tuple[str, ...]] = {
    "各党支部": (OrgKind.BRANCH,), "各支部": (OrgKind.BRANCH,), "各基层党支部": (OrgKind.BRANCH,),
    "各党总支": (OrgKind.GENERAL_BRANCH,),
    "各科室": (OrgKind.DEPARTMENT,), "各处室": (OrgKind.DEPARTMENT,), "机关各科室": (OrgKind.DEPARTMENT,),
    "局属各单位": (OrgKind.SUBORDINATE_UNIT,), "各局属单位": (OrgKind.SUBORDINATE_UNIT,),
    "各直属单位": (OrgKind.SUBORDINATE_UNIT,), "局属单位": (OrgKind.SUBORDINATE_UNIT,),
    "各科室和局属单位": (OrgKind.DEPARTMENT, OrgKind.SUBORDINATE_UNIT),
    "各科室、局属各单位": (OrgKind.DEPARTMENT, OrgKind.SUBORDINATE_UNIT),
}
# Words that name a role rather than a person: kept as text, no person resolved.
GENERIC_LEADERS = {"班子成员", "分管领导", "各分管领导", "党组成员", "班子其他成员", "局领导班子", "领导班子",
                   "各班子成员", "党组班子成员"}


class UnknownName(ValueError):
    def __init__(self, message: str, suggestions: list[str]):
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions


class UnitResolver:
    def __init__(self):
        organisations = list(Organisation.objects.active())
        self.matcher = OrganisationMatcher(organisations)
        self.by_kind: dict[str, list[Organisation]] = {}
        for org in organisations:
            self.by_kind.setdefault(org.kind, []).append(org)

    def resolve(self, text: str) -> list[tuple[Organisation, bool]]:
        """(organisation, is_lead) for every unit the cell names; group names are expanded.

        Explicit 牵头/配合 marks win (beside 配合 marks only, unmarked units lead); otherwise the first-named
        unit leads and later ones co-operate, and every organisation an unmarked group name expands to leads
        its own part."""
        result: list[tuple[Organisation, bool]] = []
        seen: set[int] = set()
        marked = bool(LEAD_MARK.search(text or "") or LEAD_PREFIX.search(text or "") or "牵头" in (text or ""))
        mode = None
        parts = [p.strip() for p in UNIT_SEPARATORS.split(str(text or "").strip()) if p.strip()]
        if not parts:
            raise UnknownName("责任单位为空", [])
        # Only 配合 marks: the units left unmarked are the leads.
        cooperate_marked = not marked and any(COOPERATE_MARK.search(p) or COOPERATE_PREFIX.match(p) for p in parts)
        for index, part in enumerate(parts):
            if m := LEAD_PREFIX.match(part):
                mode, part = True, part[m.end():]
            elif m := COOPERATE_PREFIX.match(part):
                mode, part = False, part[m.end():]
            explicit = mode is not None
            is_lead = mode if mode is not None else (cooperate_marked or (not marked and index == 0))
            if LEAD_MARK.search(part):
                part, is_lead, explicit = LEAD_MARK.sub("", part), True, True
            elif COOPERATE_MARK.search(part):
                part, is_lead, explicit = COOPERATE_MARK.sub("", part), False, True
            if not part:
                continue
            group = GROUPS.get(normalise_name(part))
            if group:
                members = [org for kind in group for org in self.by_kind.get(kind, [])]
                if not members:
                    raise UnknownName(f"“{part}”在组织机构中没有对应的单位", [])
                found = [(org, is_lead if explicit else True) for org in members]
            else:
                org = self.matcher.match(part)
                if org is None:
                    several = self.matcher.candidates(part)
                    if several:
                        raise UnknownName(f"“{part}”同时对应多个单位：" + "、".join(o.name for o in several), [])
                    raise UnknownName(f"未找到责任单位“{part}”", self.matcher.close_matches(part))
                found = [(org, is_lead)]
            for org, lead in found:
                if org.pk not in seen:
                    seen.add(org.pk)
                    result.append((org, lead))
        if result and not any(lead for _, lead in result):
            result[0] = (result[0][0], True)
        return result


class PersonResolver:
    def __init__(self):
        self.people: dict[str, list[Person]] = {}
        for person in Person.objects.filter(is_active=True):
            self.people.setdefault(normalise_name(person.name), []).append(person)

    def resolve(self, text: str, *, allow_generic: bool = False) -> Person | None:
        name = normalise_name(text)
        if not name:
            return None
        if allow_generic and name in GENERIC_LEADERS:
            return None
        found = self.people.get(name, [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise UnknownName(f"有{len(found)}名人员名为“{text}”，请先在组织机构中区分", [])
        close = difflib.get_close_matches(name, list(self.people), n=3, cutoff=0.4)
        raise UnknownName(f"未找到人员“{text}”", [self.people[c][0].name for c in close])

"""The permission matrix of every page outside the admin: what each role gets (see tests/security/README.md).

One row per URL pattern name: the kind of object its arguments name (tests/security/objects.py picks one inside and
one outside each role's scope), and the rule for GET and, where the view takes a form or an action, for an empty
POST (`None`: the view only reads, POST is not tried)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .rules import (ADMINS, ANON, BUSINESS, GET_ONLY, INSPECTORS, LEADER, NOBODY, PARTY_SECRETARY, POST_ONLY, PUBLIC,
                    SECRETARIES, STAFF, USERS, Rule, page)


@dataclass(frozen=True)
class Route:
    kind: str | None = None
    get: Rule = field(default_factory=page)
    post: Rule | None = None
    kwargs: dict = field(default_factory=dict)
    query: str = ""  # the object goes in this query parameter instead of the path (?org=)
    params: str = ""  # a fixed query string


SIGNED_IN = Route()
# The pages one reaches from the menu, the header or home: the 三员 have no business there and go to the admin site.
LANDING = Route(get=page(admins="admin"))
IN_ORG = Route("organisation", query="org")  # a dashboard narrowed to one organisation and its subtree
STAFF_ONLY = page(STAFF)
DISCIPLINE = page(INSPECTORS, denied="404")  # 回头看 and 问责 do not tell others they exist
ISSUERS = INSPECTORS | STAFF
HEADS = SECRETARIES | PARTY_SECRETARY | LEADER  # act for the units they lead


def scoped(kind, post=None, get=None) -> Route:
    return Route(kind, get or page(), post)


def action(kind, rule: Rule) -> Route:
    """A POST-only action on an object."""
    return Route(kind, POST_ONLY, rule)


ROUTES: dict[str, Route] = {
    "favicon.ico": Route(get=PUBLIC),
    "home": LANDING,
    "healthz": Route(get=PUBLIC, post=Rule(who=NOBODY, denied="405", out="405", anon="405")),
    "login": Route(get=PUBLIC, post=PUBLIC),
    "logout": Route(get=POST_ONLY, post=page(granted="login")),
    "password_change": Route(post=page()),
    "password_change_done": Route(post=GET_ONLY),
    "set_language": Route(get=PUBLIC, post=PUBLIC),
    "search:search": LANDING,
    "todo:list": LANDING,
    "todo:count": Route(post=GET_ONLY),
    "my_responsibilities": LANDING,
    # organisations
    "branches:list": LANDING,
    "branches:search": Route(params="q=支部"),
    "branches:detail": scoped("organisation"),
    # 组织生活
    "orglife:index": LANDING,
    "orglife:compliance": LANDING,
    "orglife:talks": LANDING,
    "orglife:import": Route(get=STAFF_ONLY, post=STAFF_ONLY),
    "orglife:import_confirm": Route(get=GET_ONLY, post=STAFF_ONLY),
    "orglife:import_template": Route(get=STAFF_ONLY),
    "orglife:import_job": scoped("import_job_orglife", get=STAFF_ONLY),
    "orglife:import_job_status": scoped("import_job_orglife", get=STAFF_ONLY),
    "orglife:organisation": scoped("organisation"),
    "orglife:new": scoped("organisation", get=page(SECRETARIES | PARTY_SECRETARY | STAFF),
                          post=page(SECRETARIES | PARTY_SECRETARY | STAFF, granted="400")),
    "orglife:record": scoped("orglife_record"),
    "orglife:edit": scoped("orglife_record", get=page(SECRETARIES | STAFF),
                           post=page(SECRETARIES | STAFF, granted="400")),
    "orglife:delete": action("orglife_record", page(SECRETARIES | STAFF)),
    "orglife:review": action("orglife_record", page(BUSINESS, writers=STAFF)),
    "orglife:attachment": scoped("orglife_attachment"),
    "orglife:attachment_delete": action("orglife_attachment", page(SECRETARIES | STAFF)),
    # 责任清单
    "responsibility:index": LANDING,
    "responsibility:import": Route(get=STAFF_ONLY, post=STAFF_ONLY),
    "responsibility:import_confirm": Route(get=GET_ONLY, post=STAFF_ONLY),
    "responsibility:import_template": Route(get=STAFF_ONLY),
    "responsibility:import_job": scoped("import_job_responsibility", get=STAFF_ONLY),
    "responsibility:import_job_status": scoped("import_job_responsibility", get=STAFF_ONLY),
    "responsibility:detail": scoped("list"),
    "responsibility:export": scoped("list", get=page(STAFF | INSPECTORS)),
    "responsibility:publish": action("list", STAFF_ONLY),
    "responsibility:revise": action("list", STAFF_ONLY),
    "responsibility:delete": action("list", STAFF_ONLY),
    "responsibility:print": scoped("list"),
    "responsibility:item": scoped("item"),
    # 年度台账: only the requester opens an export
    "yearend:index": Route(get=page(BUSINESS), post=page(BUSINESS)),
    "yearend:detail": scoped("yearend_export"),
    "yearend:status": scoped("yearend_export"),
    "yearend:workbook": scoped("yearend_export"),
    "yearend:draft": scoped("yearend_export"),
    # 月度报告
    "reports:pending": LANDING,
    "reports:open": Route(get=POST_ONLY, post=page(NOBODY, denied="404")),
    "reports:queue": LANDING,
    "reports:grid": SIGNED_IN,
    "reports:detail": scoped("report", post=page(SECRETARIES, granted="409")),
    "reports:print": scoped("report"),
    "reports:review": action("report", page(BUSINESS, writers=STAFF)),
    "reports:reopen": action("report", STAFF_ONLY),
    "reports:evidence": scoped("report_evidence"),
    "reports:evidence_delete": action("report_evidence", page(SECRETARIES)),
    # 监督看板: every figure within the viewer's scope (empty for the 三员)
    "dashboard:overview": IN_ORG,
    "dashboard:grid": IN_ORG,
    "dashboard:reports": IN_ORG,
    "dashboard:lines": IN_ORG,
    "dashboard:measures": IN_ORG,
    "dashboard:terms": IN_ORG,
    "dashboard:export": IN_ORG,
    "dashboard:instructions": IN_ORG,
    "dashboard:talks": IN_ORG,
    "dashboard:records": Route("organisation", page(INSPECTORS | PARTY_SECRETARY, denied="404"), query="org"),
    # 整改台账
    "rectification:ledger": LANDING,
    "rectification:export": LANDING,
    "rectification:print": SIGNED_IN,
    "rectification:import": Route(get=STAFF_ONLY, post=STAFF_ONLY),
    "rectification:import_confirm": Route(get=GET_ONLY, post=STAFF_ONLY),
    "rectification:import_template": Route(get=STAFF_ONLY),
    "rectification:import_job": scoped("import_job_rectification", get=STAFF_ONLY),
    "rectification:import_job_status": scoped("import_job_rectification", get=STAFF_ONLY),
    "rectification:measure": scoped("measure"),
    "rectification:measure_print": scoped("measure"),
    "rectification:progress": action("measure", page(BUSINESS, writers=SECRETARIES | STAFF)),
    "rectification:request_closure": action("measure", page(SECRETARIES | STAFF)),
    "rectification:review": action("measure", page(BUSINESS, writers=INSPECTORS)),
    "rectification:assess": action("measure", page(BUSINESS, writers=INSPECTORS | STAFF)),
    "rectification:evidence": scoped("measure_evidence"),
    # 通知与日历: one's own only; the calendar feed answers its secret token, signed in or not
    "notifications:list": LANDING,
    "notifications:open": scoped("notification"),
    "notifications:read": Route(get=POST_ONLY, post=page()),
    "notifications:calendar": Route(post=page()),
    "notifications:settings": Route(post=page()),
    # Reading the feed records when it was last read (shown on the calendar settings page).
    "calendar_feed": Route("calendar", get=Rule(anon="ok", writers=USERS | {ANON}),
                           post=Rule(who=NOBODY, denied="405", anon="405", out="405")),
    # 年度考核: before 公示 only staff and inspectors see the scheme
    "assessment:index": LANDING,
    "assessment:scheme": scoped("scheme"),
    "assessment:status": scoped("scheme"),
    "assessment:export": scoped("scheme"),
    "assessment:copy": action("scheme", page(writers=STAFF)),
    "assessment:compute": action("scheme", STAFF_ONLY),
    "assessment:publish": action("scheme", STAFF_ONLY),
    "assessment:finalise": action("scheme", STAFF_ONLY),
    "assessment:votes": action("scheme", STAFF_ONLY),
    "assessment:result": scoped("result"),
    "assessment:print": scoped("result"),
    "assessment:result_export": scoped("result"),
    "assessment:object": action("result", page(writers=HEADS)),
    "assessment:score": action("score", page(writers=STAFF)),
    "assessment:rows": scoped("score"),
    "assessment:answer": action("objection", page(writers=STAFF)),
    # 督办问责
    "accountability:overview": LANDING,
    "accountability:red_items": Route(get=page(INSPECTORS)),
    "accountability:instructions": SIGNED_IN,
    "accountability:instruction_new": Route(get=page(INSPECTORS), post=page(INSPECTORS), kwargs={"kind": "supervise"}),
    "accountability:instruction": scoped("instruction"),
    "accountability:withdraw": action("instruction", page(BUSINESS, writers=ISSUERS)),
    "accountability:print": scoped("instruction"),
    "accountability:docx": scoped("instruction"),
    "accountability:acknowledge": action("recipient", page(BUSINESS, writers=HEADS)),
    "accountability:reply": action("recipient", page(BUSINESS, writers=HEADS)),
    "accountability:decide": action("recipient", page(BUSINESS, writers=ISSUERS)),
    "accountability:attachment": scoped("instruction_attachment"),
    "accountability:talks": SIGNED_IN,
    "accountability:talk_new": Route(get=page(INSPECTORS | LEADER | PARTY_SECRETARY),
                                     post=page(INSPECTORS | LEADER | PARTY_SECRETARY)),
    "accountability:talk": scoped("talk"),
    "accountability:talk_follow_up": action("talk", page(BUSINESS, writers=INSPECTORS | LEADER | PARTY_SECRETARY)),
    "accountability:records": Route(get=page(INSPECTORS | PARTY_SECRETARY, denied="404")),
    "accountability:record_new": Route(get=DISCIPLINE, post=page(INSPECTORS, denied="404")),
    "accountability:record": scoped("accountability_record"),
    "accountability:record_attachment": scoped("accountability_record_attachment"),
    "accountability:spot_checks": Route(get=DISCIPLINE),
    "accountability:spot_check_new": Route(get=POST_ONLY, post=DISCIPLINE),
    "accountability:spot_check": scoped("spot_check"),
    "accountability:verdict": action("spot_item", DISCIPLINE),
    # 纸上整改 signs: the discipline side and those who review reports or measures; reading refreshes the fingerprints.
    "accountability:reuse": Route(get=page(INSPECTORS | STAFF | LEADER, denied="404")),
}
assert not ADMINS & BUSINESS

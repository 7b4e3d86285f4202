"""The demo agency 示范市商务局: its tree, people, posts, 分管 and terms, created idempotently by `manage.py seed_demo`."""
import datetime

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import PasswordHistory, Role, RoleGrant
from common.imports.audit import log_created

from .models import CommitteeTerm, Organisation, OrgKind, Person, Post, PostKind, Supervision

DEMO_PASSWORD = "demo1234"

# (name, short name, aliases, kind, parent name, covers)
ORGANISATIONS = [
    ("中共示范市商务局党组", "局党组", "党组、商务局党组", OrgKind.PARTY_GROUP, None, []),
    ("市纪委监委派驻市商务局纪检监察组", "派驻纪检监察组", "纪检监察组、驻局纪检监察组", OrgKind.DISCIPLINE_GROUP,
     "中共示范市商务局党组", []),
    ("中共示范市商务局机关委员会", "机关党委", "局机关党委、党建办", OrgKind.ORGAN_COMMITTEE, "中共示范市商务局党组", []),
    ("中共示范市商务局机关纪律检查委员会", "机关纪委", "局机关纪委", OrgKind.ORGAN_DISCIPLINE, "中共示范市商务局党组", []),
    ("机关第一党支部", "机关一支部", "第一党支部", OrgKind.BRANCH, "中共示范市商务局机关委员会",
     ["办公室", "人事科", "财务科"]),
    ("机关第二党支部", "机关二支部", "第二党支部", OrgKind.BRANCH, "中共示范市商务局机关委员会",
     ["市场运行科", "电子商务科"]),
    ("机关第三党支部", "机关三支部", "第三党支部", OrgKind.BRANCH, "中共示范市商务局机关委员会",
     ["对外贸易科", "外资科", "法规科"]),
    ("离退休干部党支部", "离退休支部", "", OrgKind.BRANCH, "中共示范市商务局机关委员会", []),
    ("市商务综合行政执法支队党总支", "执法支队党总支", "执法支队总支", OrgKind.GENERAL_BRANCH,
     "中共示范市商务局机关委员会", ["市商务综合行政执法支队"]),
    ("执法一支部", "", "执法支队第一党支部", OrgKind.BRANCH, "市商务综合行政执法支队党总支", []),
    ("执法二支部", "", "执法支队第二党支部", OrgKind.BRANCH, "市商务综合行政执法支队党总支", []),
    ("市商务发展服务中心党支部", "发展服务中心支部", "", OrgKind.BRANCH, "中共示范市商务局机关委员会",
     ["市商务发展服务中心"]),
    ("市口岸服务中心党支部", "口岸服务中心支部", "", OrgKind.BRANCH, "中共示范市商务局机关委员会", ["市口岸服务中心"]),
    ("办公室", "", "局办公室", OrgKind.DEPARTMENT, "中共示范市商务局党组", []),
    ("人事科", "", "", OrgKind.DEPARTMENT, "中共示范市商务局党组", []),
    ("财务科", "", "", OrgKind.DEPARTMENT, "中共示范市商务局党组", []),
    ("市场运行科", "", "", OrgKind.DEPARTMENT, "中共示范市商务局党组", []),
    ("电子商务科", "", "", OrgKind.DEPARTMENT, "中共示范市商务局党组", []),
    ("对外贸易科", "", "外贸科", OrgKind.DEPARTMENT, "中共示范市商务局党组", []),
    ("外资科", "", "", OrgKind.DEPARTMENT, "中共示范市商务局党组", []),
    ("法规科", "", "", OrgKind.DEPARTMENT, "中共示范市商务局党组", []),
    ("市商务综合行政执法支队", "执法支队", "", OrgKind.SUBORDINATE_UNIT, "中共示范市商务局党组", []),
    ("市商务发展服务中心", "发展服务中心", "", OrgKind.SUBORDINATE_UNIT, "中共示范市商务局党组", []),
    ("市口岸服务中心", "口岸服务中心", "", OrgKind.SUBORDINATE_UNIT, "中共示范市商务局党组", []),
]

# (person, username, administrative title, organisation, post, post title)
POSTS = [
    ("张建国", "zhangjianguo", "局长", "中共示范市商务局党组", PostKind.SECRETARY, "党组书记"),
    ("李明", "liming", "副局长", "中共示范市商务局党组", PostKind.COMMITTEE_MEMBER, "党组成员"),
    ("王芳", "wangfang", "副局长", "中共示范市商务局党组", PostKind.COMMITTEE_MEMBER, "党组成员"),
    ("赵强", "zhaoqiang", "副局长", "中共示范市商务局党组", PostKind.COMMITTEE_MEMBER, "党组成员"),
    ("陈刚", "chengang", "组长", "市纪委监委派驻市商务局纪检监察组", PostKind.HEAD, "组长"),
    ("刘洋", "liuyang", "干部", "市纪委监委派驻市商务局纪检监察组", PostKind.STAFF, "干部"),
    ("孙丽", "sunli", "专职副书记", "中共示范市商务局机关委员会", PostKind.DEPUTY_SECRETARY, "专职副书记"),
    ("吴敏", "wumin", "干事", "中共示范市商务局机关委员会", PostKind.STAFF, "党建办干事"),
    ("周涛", "zhoutao", "机关纪委书记", "中共示范市商务局机关纪律检查委员会", PostKind.SECRETARY, ""),
    ("郑伟", "zhengwei", "办公室主任", "办公室", PostKind.DEPARTMENT_HEAD, ""),
    ("冯静", "fengjing", "人事科科长", "人事科", PostKind.DEPARTMENT_HEAD, ""),
    ("何磊", "helei", "财务科科长", "财务科", PostKind.DEPARTMENT_HEAD, ""),
    ("高峰", "gaofeng", "市场运行科科长", "市场运行科", PostKind.DEPARTMENT_HEAD, ""),
    ("林雪", "linxue", "电子商务科科长", "电子商务科", PostKind.DEPARTMENT_HEAD, ""),
    ("马超", "machao", "对外贸易科科长", "对外贸易科", PostKind.DEPARTMENT_HEAD, ""),
    ("胡冰", "hubing", "外资科科长", "外资科", PostKind.DEPARTMENT_HEAD, ""),
    ("罗军", "luojun", "法规科科长", "法规科", PostKind.DEPARTMENT_HEAD, ""),
    ("郑伟", "zhengwei", "办公室主任", "机关第一党支部", PostKind.SECRETARY, ""),
    ("高峰", "gaofeng", "市场运行科科长", "机关第二党支部", PostKind.SECRETARY, ""),
    ("马超", "machao", "对外贸易科科长", "机关第三党支部", PostKind.SECRETARY, ""),
    ("韩志华", "hanzhihua", "", "离退休干部党支部", PostKind.SECRETARY, ""),
    ("谢东", "xiedong", "", "市商务综合行政执法支队党总支", PostKind.SECRETARY, ""),
    ("唐亮", "tangliang", "", "执法一支部", PostKind.SECRETARY, ""),
    ("许敏", "xumin", "", "执法二支部", PostKind.SECRETARY, ""),
    ("邓涛", "dengtao", "", "市商务发展服务中心党支部", PostKind.SECRETARY, ""),
    ("曹阳", "caoyang", "", "市口岸服务中心党支部", PostKind.SECRETARY, ""),
]

SUPERVISIONS = {
    "李明": ["市场运行科", "电子商务科", "市商务综合行政执法支队"],
    "王芳": ["对外贸易科", "外资科", "市口岸服务中心"],
    "赵强": ["办公室", "人事科", "财务科", "法规科", "市商务发展服务中心"],
}

ROLE_GRANTS = {
    "chengang": Role.INSPECTOR, "liuyang": Role.INSPECTOR, "zhoutao": Role.INSPECTOR,
    "sunli": Role.STAFF, "wumin": Role.STAFF,
}

# Accounts that are not people of the agency's tree: the three administrators (三员分立).
ADMIN_ACCOUNTS = [
    ("sysadmin", "系统管理员", Role.SYSADMIN),
    ("secadmin", "安全管理员", Role.SECADMIN),
    ("auditadmin", "审计管理员", Role.AUDITADMIN),
]

# Terms are written the first time only, relative to that day, so the demo always shows one expired term
# and one ending within six months. (organisation, when the current term was elected, whether a previous term is kept)
TERMS = [
    ("中共示范市商务局机关委员会", relativedelta(years=-2), False),
    ("中共示范市商务局机关纪律检查委员会", relativedelta(years=-2), False),
    ("机关第一党支部", relativedelta(years=-1, months=-3), True),
    ("机关第二党支部", relativedelta(years=-3, months=+4), False),  # ends in about four months
    ("机关第三党支部", relativedelta(years=-1), False),
    ("离退休干部党支部", relativedelta(years=-3, months=-2), True),  # ended two months ago: overdue for 换届
    ("市商务综合行政执法支队党总支", relativedelta(years=-2, months=-6), False),
    ("执法一支部", relativedelta(years=-2, months=-6), False),
    ("执法二支部", relativedelta(years=-2, months=-6), False),
    ("市商务发展服务中心党支部", relativedelta(months=-8), True),
    ("市口岸服务中心党支部", relativedelta(years=-1, months=-6), False),
]

DEMO_LOGINS = [
    ("zhengwei", "支部书记 / 科室负责人（机关第一党支部、办公室）"),
    ("tangliang", "支部书记（执法一支部）"),
    ("gaofeng", "支部书记 / 科室负责人（机关第二党支部、市场运行科）"),
    ("liming", "分管领导（李明）"),
    ("zhangjianguo", "党组书记"),
    ("wumin", "党务工作人员（党建办）"),
    ("chengang", "纪检监察人员（派驻纪检监察组）"),
    ("zhoutao", "纪检监察人员（机关纪委）"),
    ("sysadmin", "系统管理员"),
    ("secadmin", "安全管理员"),
    ("auditadmin", "审计管理员"),
]


def _user(username: str, name: str):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"name": name, "email": f"{username}@demo.zerenlian.local"})
    if created:
        user.set_password(DEMO_PASSWORD)
    # A demo account is one whose password is the public demo password: it keeps it only in demo mode
    # (accounts/passwords.py). A demo user who chose their own password is an ordinary account again (set_password
    # clears the flag), so only an unflagged account is checked (a password check costs half a second).
    is_demo = created or user.is_demo_account or user.check_password(DEMO_PASSWORD)
    if created or user.is_demo_account != is_demo:
        user.is_demo_account = is_demo
        user.save()
    return user


@transaction.atomic
def seed_demo(*, today: datetime.date) -> dict[str, int]:
    """Create what is missing and leave what exists alone; returns how many rows each model holds."""
    if _nothing_seeded():
        _seed_new(today)
    else:
        _seed_missing(today)
    User = get_user_model()
    return {model._meta.verbose_name: model.objects.count()
            for model in (Organisation, Person, Post, Supervision, CommitteeTerm, User, RoleGrant)}


def _nothing_seeded() -> bool:
    usernames = [username for _name, username, *_rest in POSTS] + [username for username, *_rest in ADMIN_ACCOUNTS]
    return not (Organisation.objects.exists() or Person.objects.exists()
                or get_user_model().objects.filter(username__in=usernames).exists())


def _seed_new(today: datetime.date) -> None:
    """The whole demo into a database that has none of it, written in bulk with the audit entries and password
    history that saving each row would have written (a new test database gets the demo for most of the suite's
    tests; row by row it took some 850 queries)."""
    User = get_user_model()
    orgs: dict[str, Organisation] = {}
    waiting = list(enumerate(ORGANISATIONS, start=1))
    while waiting:  # a level of the tree at a time, parents first
        level = [(order, row) for order, row in waiting if row[4] is None or row[4] in orgs]
        if not level:
            raise ValueError(f"demo organisations without their parent: {[row[0] for _o, row in waiting]}")
        for made in Organisation.objects.bulk_create([
                Organisation(name=name, short_name=short, aliases=aliases, kind=kind, parent=orgs.get(parent),
                             sort_order=order * 10) for order, (name, short, aliases, kind, parent, _c) in level]):
            orgs[made.name] = made
        waiting = [(order, row) for order, row in waiting if row[0] not in orgs]
    log_created([orgs[row[0]] for row in ORGANISATIONS], actor=None)
    for name, *_rest, covers in ORGANISATIONS:
        if covers:
            orgs[name].covers.add(*(orgs[c] for c in covers))

    users: dict[str, object] = {}
    for username, name in [(u, n) for n, u, *_rest in POSTS] + [(u, n) for u, n, _role in ADMIN_ACCOUNTS]:
        if username not in users:
            user = users[username] = User(username=username, name=name, email=f"{username}@demo.zerenlian.local")
            user.set_password(DEMO_PASSWORD)
            user.is_demo_account = True
    User.objects.bulk_create(users.values())
    log_created(list(users.values()), actor=None)
    PasswordHistory.objects.bulk_create([PasswordHistory(user=user, password=user.password) for user in users.values()])

    people: dict[str, Person] = {}
    for name, username, title, *_rest in POSTS:
        people.setdefault(name, Person(name=name, title=title, user=users[username]))
    _bulk_logged(Person, people.values())
    _bulk_logged(Post, [Post(person=people[name], organisation=orgs[org], kind=kind, title=post_title, sort_order=order)
                        for order, (name, _u, _t, org, kind, post_title) in enumerate(POSTS, start=1)])
    _bulk_logged(Supervision, [Supervision(leader=people[leader], organisation=orgs[unit])
                               for leader, units in SUPERVISIONS.items() for unit in units])
    _bulk_logged(RoleGrant, [RoleGrant(user=users[username], role=role) for username, role in ROLE_GRANTS.items()]
                 + [RoleGrant(user=users[username], role=role) for username, _name, role in ADMIN_ACCOUNTS])
    terms = []
    for org_name, offset, with_previous in TERMS:
        org, elected = orgs[org_name], today + offset
        if with_previous:
            terms.append(CommitteeTerm(organisation=org, elected_on=elected - relativedelta(years=org.default_term_years),
                                       years=org.default_term_years, note="上一届"))
        terms.append(CommitteeTerm(organisation=org, elected_on=elected, years=org.default_term_years))
    for term in terms:  # what CommitteeTerm.save works out
        term.years = term.years or term.organisation.default_term_years or 3
        term.expires_on = term.elected_on + relativedelta(years=term.years)
    _bulk_logged(CommitteeTerm, terms)


def _bulk_logged(model, rows) -> None:
    log_created(model.objects.bulk_create(list(rows)), actor=None)


def _seed_missing(today: datetime.date) -> None:
    orgs: dict[str, Organisation] = {}
    for order, (name, short, aliases, kind, parent, _covers) in enumerate(ORGANISATIONS, start=1):
        orgs[name], _ = Organisation.objects.get_or_create(
            name=name,
            defaults={"short_name": short, "aliases": aliases, "kind": kind,
                      "parent": orgs.get(parent), "sort_order": order * 10},
        )
    for name, *_rest, covers in ORGANISATIONS:
        if covers:
            orgs[name].covers.add(*(orgs[c] for c in covers))

    people: dict[str, Person] = {}
    for order, (name, username, title, org, kind, post_title) in enumerate(POSTS, start=1):
        if name not in people:
            people[name], _ = Person.objects.get_or_create(
                name=name, defaults={"title": title, "user": _user(username, name)}
            )
        Post.objects.get_or_create(person=people[name], organisation=orgs[org], kind=kind,
                                   defaults={"title": post_title, "sort_order": order})
    for leader, units in SUPERVISIONS.items():
        for unit in units:
            Supervision.objects.get_or_create(leader=people[leader], organisation=orgs[unit])

    User = get_user_model()
    for username, role in ROLE_GRANTS.items():
        RoleGrant.objects.get_or_create(user=User.objects.get(username=username), role=role)
    for username, name, role in ADMIN_ACCOUNTS:
        RoleGrant.objects.get_or_create(user=_user(username, name), role=role)

    for org_name, offset, with_previous in TERMS:
        org = orgs[org_name]
        if org.terms.exists():
            continue
        elected = today + offset
        if with_previous:
            CommitteeTerm.objects.create(organisation=org, elected_on=elected - relativedelta(years=org.default_term_years),
                                         years=org.default_term_years, note="上一届")
        CommitteeTerm.objects.create(organisation=org, elected_on=elected, years=org.default_term_years)

"""seed_demo builds the demo agency of the domain notes exactly, and running it again changes nothing."""
import datetime

from django.core.management import call_command

from accounts.models import RoleGrant, User
from branches.models import CommitteeTerm, Organisation, OrgKind, Person, Post, PostKind, Supervision

MODELS = (Organisation, Person, Post, Supervision, CommitteeTerm, User, RoleGrant)


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def test_seed_demo_twice_leaves_the_same_rows(db, capsys):
    call_command("seed_demo", "--no-activity")
    first = counts()
    snapshot = list(CommitteeTerm.objects.values_list("organisation__name", "elected_on", "expires_on"))
    call_command("seed_demo", "--no-activity")
    assert counts() == first
    assert list(CommitteeTerm.objects.values_list("organisation__name", "elected_on", "expires_on")) == snapshot
    assert first == {"Organisation": 24, "Person": 23, "Post": 26, "Supervision": 11, "CommitteeTerm": 14,
                     "User": 26, "RoleGrant": 8}
    assert "zhengwei" in capsys.readouterr().out


def test_demo_tree_matches_domain_notes(demo):
    kinds = dict(Organisation.objects.values_list("name", "kind"))
    assert [n for n, k in kinds.items() if k == OrgKind.BRANCH] == [
        "机关第一党支部", "机关第二党支部", "机关第三党支部", "离退休干部党支部", "执法一支部", "执法二支部",
        "市商务发展服务中心党支部", "市口岸服务中心党支部",
    ]
    assert sorted(n for n, k in kinds.items() if k == OrgKind.DEPARTMENT) == sorted(
        ["办公室", "人事科", "财务科", "市场运行科", "电子商务科", "对外贸易科", "外资科", "法规科"])
    assert sorted(n for n, k in kinds.items() if k == OrgKind.SUBORDINATE_UNIT) == sorted(
        ["市商务综合行政执法支队", "市商务发展服务中心", "市口岸服务中心"])
    assert demo.org("执法一支部").parent.name == "市商务综合行政执法支队党总支"
    assert demo.org("中共示范市商务局机关委员会").kind == OrgKind.ORGAN_COMMITTEE


def test_branch_coverage(demo):
    covers = {o.name: sorted(c.name for c in o.covers.all()) for o in Organisation.objects.prefetch_related("covers")
              if o.covers.exists()}
    assert covers == {
        "机关第一党支部": sorted(["办公室", "人事科", "财务科"]),
        "机关第二党支部": sorted(["市场运行科", "电子商务科"]),
        "机关第三党支部": sorted(["对外贸易科", "外资科", "法规科"]),
        "市商务综合行政执法支队党总支": ["市商务综合行政执法支队"],
        "市商务发展服务中心党支部": ["市商务发展服务中心"],
        "市口岸服务中心党支部": ["市口岸服务中心"],
    }


def test_supervisions(demo):
    pairs = {}
    for leader, org in Supervision.objects.values_list("leader__name", "organisation__name"):
        pairs.setdefault(leader, set()).add(org)
    assert pairs == {
        "李明": {"市场运行科", "电子商务科", "市商务综合行政执法支队"},
        "王芳": {"对外贸易科", "外资科", "市口岸服务中心"},
        "赵强": {"办公室", "人事科", "财务科", "法规科", "市商务发展服务中心"},
    }


def test_secretaries_and_department_heads(demo):
    secretaries = dict(Post.objects.filter(kind=PostKind.SECRETARY).values_list("organisation__name", "person__name"))
    assert secretaries == {
        "中共示范市商务局党组": "张建国", "中共示范市商务局机关纪律检查委员会": "周涛",
        "机关第一党支部": "郑伟", "机关第二党支部": "高峰", "机关第三党支部": "马超", "离退休干部党支部": "韩志华",
        "市商务综合行政执法支队党总支": "谢东", "执法一支部": "唐亮", "执法二支部": "许敏",
        "市商务发展服务中心党支部": "邓涛", "市口岸服务中心党支部": "曹阳",
    }
    heads = dict(Post.objects.filter(kind=PostKind.DEPARTMENT_HEAD).values_list("organisation__name", "person__name"))
    assert heads == {"办公室": "郑伟", "人事科": "冯静", "财务科": "何磊", "市场运行科": "高峰", "电子商务科": "林雪",
                     "对外贸易科": "马超", "外资科": "胡冰", "法规科": "罗军"}


def test_terms_include_one_expired_and_one_expiring_within_six_months(demo):
    today = demo.today
    current = CommitteeTerm.objects.current()
    expired = [t.organisation.name for t in current if t.is_expired(today)]
    expiring = [t.organisation.name for t in current
                if not t.is_expired(today) and t.ends_on <= today + datetime.timedelta(days=183)]
    assert expired == ["离退休干部党支部"]
    assert expiring == ["机关第二党支部"]
    assert current.count() == 11
    years = dict(current.values_list("organisation__name", "years"))
    assert years["中共示范市商务局机关委员会"] == 5 and years["机关第一党支部"] == 3


def test_every_role_has_a_demo_login(demo):
    from branches.demo import DEMO_PASSWORD, DEMO_LOGINS

    for username, _label in DEMO_LOGINS:
        assert demo.user(username).check_password(DEMO_PASSWORD)
    assert set(RoleGrant.objects.values_list("user__username", "role")) == {
        ("chengang", "inspector"), ("liuyang", "inspector"), ("zhoutao", "inspector"),
        ("sunli", "staff"), ("wumin", "staff"),
        ("sysadmin", "sysadmin"), ("secadmin", "secadmin"), ("auditadmin", "auditadmin"),
    }


def test_demo_activity_twice_leaves_the_same_rows(demo, on_demo_day):
    from demo.activity import seed_demo_activity
    from rectification.models import Measure
    from reports.models import MonthlyReport, ReportEvent, ReportLine
    from responsibility.models import Assignment, Item, ResponsibilityList

    activity_models = (ResponsibilityList, Item, Assignment, MonthlyReport, ReportLine, ReportEvent, Measure)
    seed_demo_activity(today=demo.today)
    first = {m.__name__: m.objects.count() for m in activity_models}
    seed_demo_activity(today=demo.today)
    assert {m.__name__: m.objects.count() for m in activity_models} == first
    # The samples, moved to the demo year: 25 + 12 items, 66 + 12 assignments, 16 measures.
    assert first["ResponsibilityList"] == 2 and first["Item"] == 37 and first["Assignment"] == 78
    assert first["Measure"] == 16
    assert set(ResponsibilityList.objects.values_list("year", "status")) == {(2026, "published")}
    # Reports for January to March; those already due carry a history, March's are still open.
    assert set(MonthlyReport.objects.values_list("month", flat=True)) == {1, 2, 3}
    assert not MonthlyReport.objects.filter(month=3).exclude(status="draft").exists()
    assert MonthlyReport.objects.filter(month__lt=3, status="accepted").exists()


def _snapshot():
    from auditlog.models import LogEntry

    from accounts.models import PasswordHistory

    users = {u.username: (u.name, u.email, u.is_demo_account, u.must_change_password, u.is_active,
                          u.check_password("demo1234"), u.password_changed_at is not None)
             for u in User.objects.all()}
    created = sorted(LogEntry.objects.filter(action=LogEntry.Action.CREATE).values_list(
        "content_type__model", "object_repr"))
    return {
        "orgs": sorted(Organisation.objects.values_list("name", "short_name", "aliases", "kind", "parent__name",
                                                        "sort_order", "is_active")),
        "covers": sorted((o.name, c.name) for o in Organisation.objects.all() for c in o.covers.all()),
        "people": sorted(Person.objects.values_list("name", "title", "user__username", "is_active")),
        "posts": sorted(Post.objects.values_list("person__name", "organisation__name", "kind", "title", "sort_order",
                                                 "is_active")),
        "supervisions": sorted(Supervision.objects.values_list("leader__name", "organisation__name")),
        "grants": sorted(RoleGrant.objects.values_list("user__username", "role")),
        "terms": sorted(CommitteeTerm.objects.values_list("organisation__name", "elected_on", "years", "expires_on",
                                                          "postponed_to", "note")),
        "users": users,
        "history": sorted(PasswordHistory.objects.values_list("user__username", flat=True)),
        "created": created,
    }


def test_a_new_database_gets_the_same_demo_in_bulk_as_row_by_row(db):
    """A database without the demo gets it in bulk (most tests seed it); what the bulk path writes — rows, 分管,
    terms, accounts with the demo password, password history and "created" audit entries — is what creating each
    row writes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from branches import demo as seeding
    from tests.conftest import DEMO_DAY

    with CaptureQueriesContext(connection) as bulk_queries:
        seeding.seed_demo(today=DEMO_DAY)
    bulk = _snapshot()
    assert len(bulk_queries.captured_queries) < 150  # row by row: some 850

    from auditlog.models import LogEntry

    from accounts.models import PasswordHistory

    for model in (CommitteeTerm, Supervision, Post, Person, RoleGrant, PasswordHistory, LogEntry):
        model.objects.all().delete()
    Organisation.covers.through.objects.all().delete()
    Organisation.objects.update(parent=None)
    Organisation.objects.all().delete()
    User.objects.all().delete()
    seeding._seed_missing(DEMO_DAY)
    assert _snapshot() == bulk
    kinds = [model for model, _repr in bulk["created"]]
    assert kinds.count("organisation") == 24 and kinds.count("user") == 26 and kinds.count("committeeterm") == 14

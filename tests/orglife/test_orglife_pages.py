"""Pages: what they show, and a number of queries that does not grow with organisations or records."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from branches.models import Organisation, OrgKind, Person, Post, PostKind
from orglife.models import Record, RecordType
from tests.orglife.helpers import D, add, at

# Queries per page whatever the number of organisations: session and user, the user's scope, the page's reads.
# The home page adds its to-do inbox: a fixed number of queries per module that lists to-dos.
# home: the to-do inbox reads every module once (reports, measures, terms, meetings, 督办, 考核).
MAX_QUERIES = {"compliance": 12, "organisation": 19, "talks": 9, "home": 23}


def grow(n):
    """n more branches under 机关党委, each with a secretary who has a login and three records this quarter."""
    parent = Organisation.objects.get(name="中共示范市商务局机关委员会")
    orgs = Organisation.objects.bulk_create([Organisation(name=f"新建第{i}党支部", kind=OrgKind.BRANCH, parent=parent,
                                                          sort_order=1000 + i) for i in range(n)])
    users = get_user_model().objects.bulk_create([get_user_model()(username=f"secretary{i}") for i in range(n)])
    people = Person.objects.bulk_create([Person(name=f"书记{i}", user=user) for i, user in enumerate(users)])
    Post.objects.bulk_create([Post(person=p, organisation=o, kind=PostKind.SECRETARY) for p, o in zip(people, orgs)])
    wumin = get_user_model().objects.get(username="wumin")
    codes = {t.code: t for t in RecordType.objects.all()}
    records = Record.objects.bulk_create([Record(organisation=o, date=D(2026, month, 3), topic=f"{o.name}{month}月",
                                                 created_by=wumin) for o in orgs for month in (1, 2, 3)])
    Record.types.through.objects.bulk_create([
        Record.types.through(record_id=r.pk, recordtype_id=codes[c].pk)
        for r in records for c in ("branch_committee", "theme_day")])
    return orgs


@pytest.mark.parametrize("n", [10, 100])
def test_pages_stay_within_fixed_queries(demo, client, django_assert_max_num_queries, n):
    orgs = grow(n)
    add("中共示范市商务局党组", ["heart_talk"], D(2026, 2, 1), talker="赵强", talked_to=["郑伟"])
    with at(2026, 3, 15):
        demo.client_for(client, "wumin")
        with django_assert_max_num_queries(MAX_QUERIES["compliance"]):
            response = client.get(reverse("orglife:compliance"))
        assert len(response.context["table"].rows) == 12 + n
        organ_committee = demo.org("中共示范市商务局机关委员会").pk
        with django_assert_max_num_queries(MAX_QUERIES["compliance"]):
            response = client.get(reverse("orglife:compliance"), {"period": "2026", "org": organ_committee})
        assert len(response.context["table"].rows) == 10 + n  # 机关党委 and its branches and 总支
        with django_assert_max_num_queries(MAX_QUERIES["talks"]):
            client.get(reverse("orglife:talks"))
        for month in (3, 0):
            with django_assert_max_num_queries(MAX_QUERIES["organisation"]):
                response = client.get(reverse("orglife:organisation", args=[orgs[-1].pk]), {"month": month})
            assert response.status_code == 200
        client.force_login(get_user_model().objects.get(username=f"secretary{n - 1}"))
        with django_assert_max_num_queries(MAX_QUERIES["home"]):
            text = client.get(reverse("home")).content.decode()
        assert "本季度还需召开支部党员大会1次" in text and "本月还需召开支委会1次" not in text


def test_compliance_page_shows_the_table(demo, client):
    add("机关第一党支部", ["party_assembly", "theme_day"], D(2026, 1, 10))
    demo.client_for(client, "chengang")
    with at(2026, 3, 15):
        response = client.get(reverse("orglife:compliance"), {"period": "2026Q1"})
    table = response.context["table"]
    assert [row.organisation.name for row in table.rows] == [
        "中共示范市商务局党组", "中共示范市商务局机关委员会", "机关第一党支部", "机关第二党支部", "机关第三党支部", "离退休干部党支部",
        "市商务综合行政执法支队党总支", "执法一支部", "执法二支部", "市商务发展服务中心党支部", "市口岸服务中心党支部",
        "中共示范市商务局机关纪律检查委员会"]
    assert [t.name for t in table.types] == [t.name for t in RecordType.objects.order_by("sort_order")]
    first = next(row for row in table.rows if row.organisation.name == "机关第一党支部")
    cells = {t.name: cell for t, cell in first.cells}
    assert (cells["支部党员大会"].text, cells["主题党日"].text, cells["支委会"].text) == ("1/1", "1/3", "0/3")
    assert cells["第一议题学习"] is None
    text = response.content.decode()
    assert 'data-org="机关第一党支部"' in text and "2026年第一季度" in text


def test_a_leader_sees_the_organisations_in_reach(demo, client):
    demo.client_for(client, "liming")
    with at(2026, 3, 15):
        rows = client.get(reverse("orglife:compliance")).context["table"].rows
    # The 党组 he sits on, and the branches covering what he supervises with their subtrees.
    assert {row.organisation.name for row in rows} == {"中共示范市商务局党组", "机关第二党支部", "市商务综合行政执法支队党总支",
                                                         "执法一支部", "执法二支部"}


def test_a_secretary_sees_gaps_at_home_and_on_the_organisation_page(demo, client):
    add("机关第一党支部", ["branch_committee"], D(2026, 3, 2))
    demo.client_for(client, "zhengwei")
    with at(2026, 3, 15):
        home = client.get(reverse("home")).content.decode()
        org_page = client.get(reverse("branches:detail", args=[demo.org("机关第一党支部").pk])).content.decode()
        records = client.get(reverse("orglife:organisation", args=[demo.org("机关第一党支部").pk]))
    for text in (home, org_page, records.content.decode()):
        assert "本季度还需召开支部党员大会1次" in text
        assert "本月还需开展主题党日1次" in text
        assert "本月还需召开支委会1次" not in text
    assert 'data-testid="orglife-gaps"' not in client.get(
        reverse("branches:detail", args=[demo.org("办公室").pk])).content.decode()
    demo.client_for(client, "wumin")  # staff see the link, not the secretary's to-do list
    text = client.get(reverse("branches:detail", args=[demo.org("机关第一党支部").pk])).content.decode()
    assert 'data-testid="orglife-card"' in text and "还需召开" not in text


def test_organisation_page_calendar_and_grid(demo, client):
    add("机关第一党支部", ["party_assembly", "theme_day"], D(2026, 3, 10), topic="党员大会暨主题党日")
    demo.client_for(client, "zhengwei")
    with at(2026, 3, 15):
        response = client.get(reverse("orglife:organisation", args=[demo.org("机关第一党支部").pk]))
    grid = {row["type"].name: row for row in response.context["grid"]}
    assert grid["主题党日"]["months"][2] == 1 and grid["支部党员大会"]["total"] == 1
    assert response.context["month"] == 3 and len(response.context["weeks"]) == 6
    text = response.content.decode()
    assert 'data-testid="calendar"' in text and "党员大会暨主题党日" in text and 'data-testid="new-record"' in text


def test_navigation_and_admin(demo, client):
    demo.client_for(client, "wumin")
    assert "组织生活" in client.get(reverse("home")).content.decode()
    assert client.get(reverse("orglife:index")).url == reverse("orglife:compliance")
    assert client.get("/admin/orglife/recordtype/").status_code == 200
    record_type = RecordType.objects.get(code="theme_day")
    assert client.get(f"/admin/orglife/recordtype/{record_type.pk}/change/").status_code == 200
    demo.client_for(client, "chengang")
    assert client.get("/admin/orglife/record/").status_code == 200
    assert client.get(f"/admin/orglife/recordtype/{record_type.pk}/change/").status_code == 200  # view only
    demo.client_for(client, "sysadmin")  # 三员 have no organisational life to keep: home sends them to the admin
    assert client.get(reverse("home")).url == reverse("admin:index")

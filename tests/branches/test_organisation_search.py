"""The search behind the scope pickers: organisations matching what is typed, only within the user's scope, a
short list whatever the size of the agency."""
from django.urls import reverse

from branches.models import Organisation, OrgKind
from branches.scope import visible_organisations
from branches.selectors import SEARCH_LIMIT


def search(client, demo, username, q):
    demo.client_for(client, username)
    response = client.get(reverse("branches:search"), {"q": q})
    assert response.status_code == 200
    return response.json()["results"]


def test_a_secretary_finds_only_organisations_in_his_scope(demo, client):
    found = {row["name"] for row in search(client, demo, "zhengwei", "科")}
    # 郑伟 sees 机关第一党支部, 办公室, 人事科 and 财务科: of those only two are named …科
    assert found == {"人事科", "财务科"}
    everyone = {row["name"] for row in search(client, demo, "wumin", "科")}
    expected = set(Organisation.objects.filter(is_active=True, name__contains="科").values_list("name", flat=True))
    assert everyone == expected and {"市场运行科", "人事科"} <= everyone


def test_each_result_names_its_parent_to_tell_namesakes_apart(demo, client):
    hr = demo.org("人事科")
    [row] = search(client, demo, "wumin", "人事科")
    assert row == {"id": hr.pk, "name": "人事科", "label": f"人事科（{hr.parent.name}）"}


def test_an_empty_query_finds_nothing_and_a_long_one_is_cut(demo, client):
    assert search(client, demo, "wumin", "") == []
    assert search(client, demo, "wumin", "   ") == []
    assert search(client, demo, "wumin", "科" * 500) == []


def test_results_stop_at_the_limit_in_tree_order(demo, client):
    root = demo.org("中共示范市商务局党组")
    Organisation.objects.bulk_create([Organisation(name=f"测试第{i:02d}支部", kind=OrgKind.BRANCH, parent=root,
                                                   sort_order=1000 + i) for i in range(SEARCH_LIMIT + 5)])
    found = search(client, demo, "wumin", "测试第")
    assert [row["name"] for row in found] == [f"测试第{i:02d}支部" for i in range(SEARCH_LIMIT)]


def test_an_administrator_finds_nothing(demo, client):
    """三员分立: the system administrator sees no organisations, so the picker offers none."""
    assert not visible_organisations(demo.user("sysadmin")).exists()
    assert search(client, demo, "sysadmin", "科") == []

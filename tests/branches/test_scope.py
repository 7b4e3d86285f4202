"""Who sees what on the demo agency: every role's scope, and a 404 for what lies outside it."""
import re

import pytest
from django.urls import reverse

from branches.models import Organisation
from branches.scope import DerivedRole, scope_for, visible_organisations

ALL_ORGS = 24


def visible_names(user):
    return set(visible_organisations(user).values_list("name", flat=True))


def test_first_branch_secretary_sees_branch_and_its_departments(demo):
    assert visible_names(demo.user("zhengwei")) == {"机关第一党支部", "办公室", "人事科", "财务科"}


def test_secretary_is_secretary_and_department_head(demo):
    scope = scope_for(demo.user("zhengwei"))
    assert scope.has_role(DerivedRole.SECRETARY)
    assert scope.has_role(DerivedRole.DEPARTMENT_HEAD)
    assert not scope.sees_all
    assert {o.name for o in Organisation.objects.filter(pk__in=scope.led_org_ids)} == {"机关第一党支部", "办公室"}


def test_secretary_gets_404_for_another_branch(demo, client):
    demo.client_for(client, "zhengwei")
    other = demo.org("执法一支部")
    assert client.get(reverse("branches:detail", args=[other.pk])).status_code == 404
    own = demo.org("机关第一党支部")
    assert client.get(reverse("branches:detail", args=[own.pk])).status_code == 200


def test_missing_and_hidden_organisations_look_the_same(demo, client):
    demo.client_for(client, "zhengwei")
    hidden = client.get(reverse("branches:detail", args=[demo.org("执法一支部").pk]))
    missing = client.get(reverse("branches:detail", args=[999999]))
    assert hidden.status_code == missing.status_code == 404
    token = re.compile(rb'name="(csrfmiddlewaretoken|next)" (type="hidden" )?value="[^"]+"')
    assert token.sub(b"", hidden.content) == token.sub(b"", missing.content)


def test_general_branch_secretary_sees_its_sub_branches_and_unit(demo):
    assert visible_names(demo.user("xiedong")) == {
        "市商务综合行政执法支队党总支", "执法一支部", "执法二支部", "市商务综合行政执法支队",
    }


def test_sub_branch_secretary_sees_only_own_branch(demo):
    assert visible_names(demo.user("tangliang")) == {"执法一支部"}


def test_retired_branch_secretary_sees_only_own_branch(demo):
    assert visible_names(demo.user("hanzhihua")) == {"离退休干部党支部"}


def test_department_head_sees_own_department(demo):
    assert visible_names(demo.user("fengjing")) == {"人事科"}
    assert scope_for(demo.user("fengjing")).roles == {DerivedRole.DEPARTMENT_HEAD}


def test_li_ming_sees_exactly_the_units_he_supervises(demo):
    scope = scope_for(demo.user("liming"))
    assert scope.has_role(DerivedRole.LEADER)
    supervised = {o.name for o in Organisation.objects.filter(pk__in=scope.supervised_org_ids)}
    assert supervised == {"市场运行科", "电子商务科", "市商务综合行政执法支队"}
    # The supervised units, plus the party organisations covering them (一岗双责), plus his own 党组 post.
    assert visible_names(demo.user("liming")) == {
        "中共示范市商务局党组",
        "市场运行科", "电子商务科", "市商务综合行政执法支队",
        "机关第二党支部", "市商务综合行政执法支队党总支", "执法一支部", "执法二支部",
    }


def test_wang_fang_does_not_see_li_mings_units(demo, client):
    names = visible_names(demo.user("wangfang"))
    assert names == {
        "中共示范市商务局党组", "对外贸易科", "外资科", "市口岸服务中心", "机关第三党支部", "市口岸服务中心党支部",
    }
    demo.client_for(client, "wangfang")
    assert client.get(reverse("branches:detail", args=[demo.org("市场运行科").pk])).status_code == 404


@pytest.mark.parametrize("username", ["chengang", "liuyang", "zhoutao", "wumin", "sunli"])
def test_inspectors_and_staff_see_everything(demo, username):
    user = demo.user(username)
    assert scope_for(user).sees_all
    assert visible_organisations(user).count() == ALL_ORGS


def test_party_group_secretary_sees_the_whole_tree(demo):
    assert len(visible_names(demo.user("zhangjianguo"))) == ALL_ORGS


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditadmin"])
def test_administrators_see_no_business_data(demo, username):
    user = demo.user(username)
    assert visible_names(user) == set()
    assert not scope_for(user).sees_all


def test_inactive_organisation_drops_out_of_scope(demo):
    Organisation.objects.filter(name="人事科").update(is_active=False)
    assert visible_names(demo.user("zhengwei")) >= {"机关第一党支部"}
    assert "人事科" not in set(visible_organisations(demo.user("zhengwei")).active().values_list("name", flat=True))
    assert "人事科" not in {o.name for o in Organisation.objects.filter(pk__in=scope_for(demo.user("zhengwei")).org_ids)}


def test_ended_post_no_longer_grants_scope(demo):
    from branches.models import Post

    Post.objects.filter(person__user__username="tangliang").update(is_active=False)
    assert visible_names(demo.user("tangliang")) == set()


def test_inactive_user_sees_nothing(demo):
    user = demo.user("chengang")
    user.is_active = False
    user.save()
    assert visible_names(user) == set()


def test_scope_is_computed_once_per_request_user(demo, django_assert_num_queries):
    user = demo.user("zhengwei")
    scope_for(user)
    with django_assert_num_queries(0):
        scope_for(user)

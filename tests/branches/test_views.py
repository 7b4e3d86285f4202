"""Organisation pages and the home page: what each role is shown, within a fixed number of queries."""
from django.urls import reverse

from branches.models import Organisation, OrgKind, Post, PostKind
from tests.factories import OrganisationFactory, PersonFactory


def test_home_shows_secretary_their_organisations(demo, client):
    demo.client_for(client, "zhengwei")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "郑伟" in text
    assert "机关第一党支部" in text and "办公室" in text
    assert "执法一支部" not in text


def test_home_shows_leader_supervised_units(demo, client):
    demo.client_for(client, "liming")
    text = client.get(reverse("home")).content.decode()
    assert "我分管的单位" in text
    for name in ("市场运行科", "电子商务科", "市商务综合行政执法支队"):
        assert name in text


def test_home_lists_expired_and_expiring_terms_for_staff(demo, client, on_demo_day):
    demo.client_for(client, "wumin")
    text = client.get(reverse("home")).content.decode()
    assert "换届提醒" in text
    assert "离退休干部党支部" in text and "已届满" in text
    assert "机关第二党支部" in text and "即将届满" in text


def test_home_term_reminders_stay_in_scope(demo, client, on_demo_day):
    demo.client_for(client, "zhengwei")
    text = client.get(reverse("home")).content.decode()
    assert "离退休干部党支部" not in text


def test_organisation_list_in_tree_order_for_secretary(demo, client):
    demo.client_for(client, "zhengwei")
    response = client.get(reverse("branches:list"))
    names = [o.name for o in response.context["organisations"]]
    assert names == ["机关第一党支部", "办公室", "人事科", "财务科"]


def test_organisation_page_shows_posts_terms_and_coverage(demo, client):
    demo.client_for(client, "wumin")
    org = demo.org("机关第一党支部")
    text = client.get(reverse("branches:detail", args=[org.pk])).content.decode()
    assert "郑伟" in text
    assert "办公室、人事科、财务科" in text
    assert "本届" in text and "往届" in text


def test_organisation_list_queries_do_not_grow(demo, client, django_assert_max_num_queries):
    demo.client_for(client, "wumin")
    with django_assert_max_num_queries(12):
        client.get(reverse("branches:list"))
    parent = demo.org("中共示范市商务局机关委员会")
    for i in range(60):
        OrganisationFactory(name=f"新建第{i}党支部", kind=OrgKind.BRANCH, parent=parent)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("branches:list"))
    assert len(response.context["organisations"]) == 84


def test_organisation_page_queries_do_not_grow_with_people(demo, client, django_assert_max_num_queries):
    demo.client_for(client, "wumin")
    org = demo.org("机关第一党支部")
    for _ in range(30):
        Post.objects.create(person=PersonFactory(), organisation=org, kind=PostKind.MEMBER)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("branches:detail", args=[org.pk]))
    assert response.content.decode().count("党员 · ") == 30


def test_home_query_count_is_bounded(demo, client, django_assert_max_num_queries):
    demo.client_for(client, "liming")
    with django_assert_max_num_queries(20):  # the page's summary and the to-do inbox (fixed per module)
        assert client.get(reverse("home")).status_code == 200


def test_non_numeric_organisation_id_is_404(demo, client):
    demo.client_for(client, "wumin")
    assert client.get("/orgs/abc/").status_code == 404
    assert Organisation.objects.count() == 24

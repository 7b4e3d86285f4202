"""三员分立: the system, security and audit administrators are sent to the admin site from every business landing
page (home, dashboards and their export, ledgers, lists, search, inbox), and their header offers only the admin."""
import pytest
from django.urls import reverse

LANDINGS = ["home", "my_responsibilities", "reports:pending", "reports:queue", "responsibility:index",
            "rectification:ledger", "rectification:export", "orglife:index", "assessment:index", "branches:list",
            "accountability:overview", "search:search", "todo:list", "notifications:list", "dashboard:overview",
            "dashboard:grid", "dashboard:export"]


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditadmin"])
def test_administrators_land_on_the_admin_site(demo, client, username):
    demo.client_for(client, username)
    for name in LANDINGS:
        response = client.get(reverse(name))
        assert (response.status_code, response["Location"]) == (302, reverse("admin:index")), name
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == 200


def test_the_header_of_an_administrator_offers_only_the_admin(demo, client):
    demo.client_for(client, "auditadmin")
    page = client.get(reverse("password_change")).content.decode()
    nav = page[page.index('class="mainnav"'):page.index("</nav>")]
    assert "管理后台" in nav and "首页" not in nav
    assert 'data-testid="todo-link"' not in page and 'role="search"' not in page


def test_business_users_and_the_break_glass_superuser_are_not_redirected(demo, client, django_user_model):
    demo.client_for(client, "zhengwei")
    assert client.get(reverse("home")).status_code == 200
    root = django_user_model.objects.create_superuser("root", password="x-Strong-Pass-123")
    client.force_login(root)
    assert client.get(reverse("dashboard:overview")).status_code == 200

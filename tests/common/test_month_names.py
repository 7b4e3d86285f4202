"""Month names follow the language: 10月 in Chinese, October / Oct in English (the dashboard's month picker)."""
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation


def render(text, language):
    with translation.override(language):
        return Template("{% load months %}" + text).render(Context({"m": 10}))


def test_month_names_in_each_language():
    assert render("{{ m|month_name }} {{ m|month_short }}", "zh-hans") == "10月 10月"
    assert render("{{ m|month_name }} {{ m|month_short }}", "en") == "October Oct"
    assert render("{{ 13|month_name }}", "en") == "13"


def test_the_dashboard_month_picker_reads_english_in_english(demo, client):
    demo.client_for(client, "chengang")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("dashboard:overview"), {"year": 2022, "month": 5}).content.decode()
    assert '<option value="5" selected>May</option>' in page and "5月</option>" not in page

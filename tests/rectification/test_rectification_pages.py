"""The ledger page, the measure page and their forms, through each user's scope."""
import datetime

import pytest
from django.urls import reverse

from rectification import services
from rectification.models import Batch, Measure, MeasureEvent, MeasureKind, MeasureState, MeasureUnit, Problem, Source
from tests.rectification.conftest import (BRANCH_PLANS, HR_RECORDS, LOOK_BACK, RECEPTION_CLEANUP, RECEPTION_RULE,
                                          measure, pdf_upload, travel)

DEMO_DAY = datetime.date(2026, 3, 15)


def ledger_page(client, **params):
    response = client.get(reverse("rectification:ledger"), params)
    assert response.status_code == 200
    return response


def listed(response):
    return [m.text for m, _span in response.context["rows"]]


def test_staff_see_the_whole_ledger_with_figures(demo, client, ledger):
    demo.client_for(client, "wumin")
    with travel(DEMO_DAY):
        response = ledger_page(client)
    figures = response.context["figures"]
    assert (figures.total, figures.closed, figures.long_term, figures.overdue, figures.awaiting_review) == (
        16, 6, 2, 7, 1)
    assert figures.completion_rate == 42.9
    assert len(listed(response)) == 16
    text = response.content.decode()
    assert "导入台账" in text and "42.9%" in text and "市委第三巡察组反馈问题整改台账" in text
    spans = [span for _m, span in response.context["rows"]]
    assert spans[:5] == [2, 0, 2, 0, 3]  # problem cells span their measures, as in the ledger


def test_filters(demo, client, ledger):
    demo.client_for(client, "chengang")
    with travel(DEMO_DAY):
        assert len(listed(ledger_page(client, status="overdue"))) == 7
        assert len(listed(ledger_page(client, overdue="on"))) == 7
        assert listed(ledger_page(client, status="awaiting_review")) == [RECEPTION_CLEANUP]
        assert len(listed(ledger_page(client, department=demo.org("人事科").pk))) == 3
        assert len(listed(ledger_page(client, unit="人事"))) == 3  # departments are searched by name
        assert listed(ledger_page(client, unit="没有这个部门")) == []
        by_leader = ledger_page(client, leader=measure(LOOK_BACK).leader_id)
        assert len(listed(by_leader)) == 6  # 张建国
        assert by_leader.context["figures"].total == 6
        assert len(listed(ledger_page(client, batch=ledger.pk, source=Source.PATROL))) == 16
        assert listed(ledger_page(client, source=Source.AUDIT)) == []
        # The figures ignore the status filter: they describe the measures the other filters select.
        assert ledger_page(client, status="overdue").context["figures"].total == 16


def test_branch_secretary_sees_only_measures_of_their_organisations(demo, client, ledger):
    demo.client_for(client, "tangliang")
    assert listed(ledger_page(client)) == [BRANCH_PLANS]  # 执法一支部 is one of 各党支部
    client.logout()
    demo.client_for(client, "zhengwei")  # 办公室 and, as 机关第一党支部书记, the 人事科 and 财务科 it covers
    assert len(listed(ledger_page(client))) == 9
    assert "导入台账" not in ledger_page(client).content.decode()


def test_other_secretary_gets_404_on_measure_page_evidence_and_every_post(demo, client, ledger):
    m = measure(HR_RECORDS)
    services.measure_report_progress(actor=demo.user("fengjing"), measure=m, text="进展", files=[pdf_upload()])
    evidence = m.evidence.get()
    demo.client_for(client, "tangliang")
    before = (MeasureEvent.objects.count(), m.evidence.count())
    assert client.get(reverse("rectification:measure", args=[m.pk])).status_code == 404
    assert client.get(reverse("rectification:evidence", args=[evidence.pk])).status_code == 404
    posts = {
        "progress": {"happened_on": "2022-05-01", "text": "越权报送", "files": pdf_upload()},
        "request_closure": {"comment": "越权申请"},
        "review": {"decision": "strike_off", "comment": ""},
        "assess": {"reviewed_on": "2022-05-01", "comment": "越权评估"},
    }
    for name, data in posts.items():
        assert client.post(reverse(f"rectification:{name}", args=[m.pk]), data).status_code == 404, name
    assert client.get(reverse("rectification:measure", args=[999999])).status_code == 404
    assert (MeasureEvent.objects.count(), m.evidence.count()) == before


def test_measure_page_offers_forms_by_role(demo, client, ledger):
    m = measure(RECEPTION_CLEANUP)
    url = reverse("rectification:measure", args=[m.pk])
    demo.client_for(client, "helei")  # 财务科 head: the measure is awaiting review, nothing to fill in
    page = client.get(url)
    assert page.context["progress_form"] is None and page.context["review_form"] is None
    client.logout()
    demo.client_for(client, "chengang")
    page = client.get(url)
    assert page.context["review_form"] is not None and "审核销号" in page.content.decode()
    text = page.content.decode()
    assert "导入台账：是否完成整改 已完成，是否销号 否；整改进展：已清理，清退2笔" in text  # the timeline

    response = client.post(reverse("rectification:review", args=[m.pk]), {"decision": "send_back",
                                                                          "comment": "请补充凭证"}, follow=True)
    assert "已退回整改" in response.content.decode()
    m.refresh_from_db()
    assert m.state == MeasureState.IN_PROGRESS
    client.logout()

    demo.client_for(client, "helei")
    page = client.get(url)
    assert page.context["progress_form"] is not None and page.context["closure_form"] is not None
    response = client.post(reverse("rectification:request_closure", args=[m.pk]), {"comment": ""}, follow=True)
    assert "至少上传一份佐证材料" in response.content.decode()
    client.post(reverse("rectification:progress", args=[m.pk]),
                {"happened_on": "2022-05-10", "text": "补充清退凭证", "files": [pdf_upload("凭证.pdf")]})
    client.post(reverse("rectification:request_closure", args=[m.pk]), {"comment": "已补充"})
    m.refresh_from_db()
    assert m.state == MeasureState.AWAITING_REVIEW and m.progress_text == "补充清退凭证"
    client.logout()

    demo.client_for(client, "liuyang")
    client.post(reverse("rectification:review", args=[m.pk]), {"decision": "strike_off", "comment": "同意"})
    m.refresh_from_db()
    assert m.state == MeasureState.CLOSED and m.closed_by == demo.user("liuyang")


def test_head_of_responsible_department_is_shown_why_they_cannot_review(demo, client, ledger):
    m = measure(LOOK_BACK)
    services.measure_report_progress(actor=demo.user("wumin"), measure=m, text="报告", files=[pdf_upload()])
    services.measure_request_closure(actor=demo.user("wumin"), measure=m)
    demo.client_for(client, "zhoutao")
    page = client.get(reverse("rectification:measure", args=[m.pk]))
    assert page.context["review_form"] is None and "不能审核本人负责的整改措施" in page.content.decode()
    assert client.post(reverse("rectification:review", args=[m.pk]), {"decision": "strike_off"}).status_code == 403
    m.refresh_from_db()
    assert m.state == MeasureState.AWAITING_REVIEW


def test_visible_but_not_responsible_user_is_forbidden_to_post(demo, client, ledger):
    m = measure(HR_RECORDS)
    demo.client_for(client, "zhengwei")  # sees 人事科 through 机关第一党支部, but 冯静 answers for it
    assert client.get(reverse("rectification:measure", args=[m.pk])).status_code == 200
    response = client.post(reverse("rectification:progress", args=[m.pk]),
                           {"happened_on": "2022-05-01", "text": "代报"})
    assert response.status_code == 403


def test_long_term_page_offers_periodic_review_to_inspectors(demo, client, ledger):
    m = measure(RECEPTION_RULE)
    demo.client_for(client, "chengang")
    page = client.get(reverse("rectification:measure", args=[m.pk]))
    assert page.context["assess_form"] is not None and page.context["review_form"] is None
    client.post(reverse("rectification:assess", args=[m.pk]), {"reviewed_on": "2022-04-02", "comment": "执行到位"})
    m.refresh_from_db()
    assert m.last_reviewed_on == datetime.date(2022, 4, 2)


def test_navigation_shows_the_ledger_to_users_who_see_organisations(demo, client):
    demo.client_for(client, "tangliang")
    assert "整改台账" in [label for label, _url, _key in client.get("/").context["nav_items"]]
    client.logout()
    demo.client_for(client, "sysadmin")  # 三员: the admin site only
    assert client.get("/").url == client.get(reverse("rectification:ledger")).url == reverse("admin:index")


def test_export_follows_scope_and_filters(demo, client, ledger):
    import io

    import openpyxl

    demo.client_for(client, "tangliang")
    response = client.get(reverse("rectification:export"))
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [ws.cell(r, 4).value for r in range(4, ws.max_row + 1)] == [BRANCH_PLANS]


def _bulk_ledger(demo, measures: int, per_problem: int = 10):
    """`measures` measures in one batch, built with bulk_create (no signals, no audit rows: fast)."""
    batch = Batch.objects.create(source=Source.SELF_CHECK, title=f"自查{measures}", feedback_on=datetime.date(2022, 1, 1))
    problems = Problem.objects.bulk_create([Problem(batch=batch, position=i, seq=str(i), category="作风建设",
                                                    description=f"问题{i}") for i in range(measures // per_problem)])
    leader, person = demo.user("liming").person, demo.user("gaofeng").person
    states = [MeasureState.OPEN, MeasureState.IN_PROGRESS, MeasureState.AWAITING_REVIEW, MeasureState.CLOSED]
    rows = Measure.objects.bulk_create([
        Measure(problem=p, position=j, text=f"措施{p.position}-{j}", leader=leader, person=person,
                units_text="市场运行科", deadline_text="2022年6月30日", due_on=datetime.date(2022, 6, 30),
                kind=MeasureKind.LONG_TERM if j == 0 else MeasureKind.DEADLINE, state=states[j % 4])
        for p in problems for j in range(per_problem)])
    org = demo.org("市场运行科")
    MeasureUnit.objects.bulk_create([MeasureUnit(measure=m, organisation=org) for m in rows])


@pytest.mark.parametrize("username", ["wumin", "gaofeng"])
def test_ledger_page_queries_do_not_grow_with_measures(demo, client, django_assert_max_num_queries, username):
    demo.client_for(client, username)
    _bulk_ledger(demo, 20)
    with django_assert_max_num_queries(16) as small:
        ledger_page(client)
    _bulk_ledger(demo, 5000)
    with travel(DEMO_DAY), django_assert_max_num_queries(len(small.captured_queries)):
        response = ledger_page(client, page=3)
    figures = response.context["figures"]
    assert figures.total == 5020 and len(response.context["rows"]) == 100
    # Per 10 measures: 1 long-term, and of the 9 others 2 closed, 2 awaiting review, 5 overdue (open or in progress).
    assert (figures.long_term, figures.closed, figures.awaiting_review, figures.overdue) == (502, 1004, 1004, 2510)
    assert figures.completion_rate == round(100 * 1004 / 4518, 1)


def _filter_form(response):
    text = response.content.decode()
    return text[text.index('<form method="get" class="filters'):text.index("</form>", text.index('class="filters'))]


def test_ledger_filters_do_not_grow_with_the_responsible_departments(demo, client, ledger):
    from branches.models import Organisation, OrgKind

    demo.client_for(client, "wumin")
    before = _filter_form(ledger_page(client))
    Organisation.objects.bulk_create([Organisation(name=f"新增科室{i}", kind=OrgKind.DEPARTMENT, sort_order=900 + i)
                                      for i in range(100)])
    extra = Measure.objects.get(text=LOOK_BACK)
    MeasureUnit.objects.bulk_create([MeasureUnit(measure=extra, organisation=org)
                                     for org in Organisation.objects.filter(name__startswith="新增科室")])
    after = ledger_page(client, unit="新增科室7")
    assert _filter_form(ledger_page(client)) == before and "新增科室" not in before
    assert listed(after) == [LOOK_BACK]
    assert 'value="新增科室7"' in _filter_form(after)

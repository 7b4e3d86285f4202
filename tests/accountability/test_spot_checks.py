"""回头看: a reproducible sample (seed recorded), 属实/不属实 with the roles allowed, 不属实 reopens the measure or returns
the report line, an empty population is refused."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accountability.models import SpotCheck, SpotCheckItem
from accountability.spotchecks import draw_sample, population, spot_check_draw, spot_check_verdict
from rectification.models import Batch, Measure, MeasureEvent, MeasureUnit, Problem

pytestmark = pytest.mark.django_db


def _closed_measures(demo, n):
    batch = Batch.objects.create(source="patrol", title="巡察反馈", feedback_on=datetime.date(2026, 1, 5))
    problem = Problem.objects.create(batch=batch, position=1, description="问题")
    closed_at = timezone.make_aware(datetime.datetime(2026, 3, 1, 10))
    units = ["办公室", "人事科", "财务科", "市场运行科"]
    made = []
    for i in range(n):
        m = Measure.objects.create(problem=problem, position=i + 1, text=f"措施{i + 1}", state="closed",
                                   closed_at=closed_at, closed_by=demo.user("chengang"))
        MeasureUnit.objects.create(measure=m, organisation=demo.org(units[i % 4]))
        made.append(m)
    return made


def test_draw_is_reproducible_from_the_seed():
    ids = list(range(1, 101))
    assert draw_sample(ids, 10, 42) == draw_sample(list(reversed(ids)), 10, 42)
    assert draw_sample(ids, 10, 42) != draw_sample(ids, 10, 43)
    assert len(draw_sample(ids, 500, 1)) == 100


def test_spot_check_records_seed_and_the_same_seed_draws_the_same_items(demo, on_demo_day):
    _closed_measures(demo, 30)
    chen = demo.user("chengang")
    args = {"kind": "measures", "date_from": datetime.date(2026, 1, 1), "date_to": datetime.date(2026, 3, 15), "size": 5}
    first = spot_check_draw(actor=chen, **args)
    again = spot_check_draw(actor=chen, seed=first.seed, **args)
    items = [list(c.items.order_by("position").values_list("measure_id", flat=True)) for c in (first, again)]
    assert items[0] == items[1] and len(items[0]) == 5
    assert (first.population_size, first.sample_size) == (30, 5)
    ids = [pk for pk, _org in population(kind="measures", date_from=args["date_from"], date_to=args["date_to"])]
    assert items[0] == draw_sample(ids, 5, first.seed)


def test_scope_limits_the_population(demo, on_demo_day):
    _closed_measures(demo, 8)
    check = spot_check_draw(actor=demo.user("zhoutao"), kind="measures", date_from=datetime.date(2026, 1, 1),
                            date_to=datetime.date(2026, 3, 15), size=10, organisation=demo.org("办公室"))
    assert check.population_size == 2
    assert set(check.items.values_list("organisation__name", flat=True)) == {"办公室"}


def test_empty_population_is_refused_and_nothing_recorded(demo, on_demo_day):
    with pytest.raises(ValidationError, match="没有可抽查的事项"):
        spot_check_draw(actor=demo.user("chengang"), kind="report_lines", date_from=datetime.date(2026, 1, 1),
                        date_to=datetime.date(2026, 3, 15), size=5)
    assert not SpotCheck.objects.exists()


@pytest.mark.parametrize("username", ["wumin", "zhangjianguo", "zhengwei", "liming"])
def test_only_inspectors_draw_and_check(demo, on_demo_day, username):
    _closed_measures(demo, 3)
    with pytest.raises(PermissionDenied):
        spot_check_draw(actor=demo.user(username), kind="measures", date_from=datetime.date(2026, 1, 1),
                        date_to=datetime.date(2026, 3, 15), size=2)


def test_untrue_finding_reopens_the_measure_and_is_final(demo, on_demo_day):
    _closed_measures(demo, 3)
    chen = demo.user("chengang")
    check = spot_check_draw(actor=chen, kind="measures", date_from=datetime.date(2026, 1, 1),
                            date_to=datetime.date(2026, 3, 15), size=3, seed=7)
    first, second = check.items.order_by("position")[:2]
    with pytest.raises(ValidationError, match="核查不属实时请说明情况"):
        spot_check_verdict(actor=chen, item=first, verdict="false")
    with pytest.raises(PermissionDenied):
        spot_check_verdict(actor=demo.user("wumin"), item=first, verdict="true")
    spot_check_verdict(actor=chen, item=first, verdict="false", note="走访发现未建立台账")
    spot_check_verdict(actor=chen, item=second, verdict="true")
    reopened = Measure.objects.get(pk=first.measure_id)
    assert (reopened.state, reopened.closed_at) == ("in_progress", None)
    assert MeasureEvent.objects.filter(measure=reopened, kind="returned").get().comment == \
        "回头看核查不属实：走访发现未建立台账"
    assert Measure.objects.get(pk=second.measure_id).state == "closed"
    with pytest.raises(ValidationError, match="已有核查结论"):
        spot_check_verdict(actor=chen, item=first, verdict="true")
    assert SpotCheckItem.objects.get(pk=first.pk).verdict == "false"


def test_untrue_report_line_returns_the_accepted_report(demo, on_demo_day):
    from reports.models import MonthlyReport, ReportEvent, ReportLine
    from tests.accountability.helpers import accepted_report

    report = accepted_report(demo, "机关第一党支部", 2026, 1)
    chen = demo.user("chengang")
    check = spot_check_draw(actor=chen, kind="report_lines", date_from=datetime.date(2026, 1, 1),
                            date_to=datetime.date(2026, 1, 31), size=1, seed=3)
    item = check.items.get()
    spot_check_verdict(actor=chen, item=item, verdict="false", note="会议记录不存在")
    report = MonthlyReport.objects.get(pk=report.pk)
    assert report.status == "returned"
    assert ReportLine.objects.get(pk=item.report_line_id).review_comment == "回头看核查不属实：会议记录不存在"
    assert ReportEvent.objects.filter(report=report).last().action == "returned"


def test_spot_check_pages(demo, client, on_demo_day):
    _closed_measures(demo, 4)
    c = demo.client_for(client, "chengang")
    response = c.post(reverse("accountability:spot_check_new"), {
        "population": "measures", "date_from": "2026-01-01", "date_to": "2026-03-15", "size": 2, "seed": 11})
    check = SpotCheck.objects.get()
    assert response.url == reverse("accountability:spot_check", args=[check.pk])
    html = c.get(response.url).content.decode()
    assert "随机种子 11" in html and "从 4 项中抽取 2 项" in html
    item = check.items.first()
    c.post(reverse("accountability:verdict", args=[item.pk]), {f"v{item.pk}-verdict": "false",
                                                               f"v{item.pk}-note": "不实"})
    html = c.get(reverse("accountability:spot_check", args=[check.pk])).content.decode()
    assert f"source=measure:{item.measure_id}&spot_item={item.pk}" in html
    response = c.post(reverse("accountability:spot_check_new"), {
        "population": "report_lines", "date_from": "2026-01-01", "date_to": "2026-03-15", "size": 2}, follow=True)
    assert "没有可抽查的事项" in response.content.decode()
    for username in ("wumin", "zhengwei", "auditadmin"):
        assert demo.client_for(client, username).get(response.request["PATH_INFO"]).status_code == 404
        assert demo.client_for(client, username).get(
            reverse("accountability:spot_check", args=[check.pk])).status_code == 404

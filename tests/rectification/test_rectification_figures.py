"""Overdue and completion rate on fixed dates: 长期坚持 is never overdue and is left out of the rate."""
import datetime

from django.urls import reverse

from rectification import services
from rectification.models import Measure, MeasureStatus
from tests.rectification.conftest import RECEPTION_CLEANUP, measure, pdf_upload, travel

# The sample's seven measures still 正在整改 fall due on 03-31, 05-31, 06-30 (three), 07-31 and 12-31 of 2022.


def figures_on(client, day):
    with travel(day):
        response = client.get(reverse("rectification:ledger"))
    return response.context["figures"], response.content.decode()


def test_figures_on_fixed_dates(demo, client, ledger):
    demo.client_for(client, "chengang")
    figures, text = figures_on(client, datetime.date(2022, 3, 1))
    assert (figures.total, figures.closed, figures.rated, figures.overdue) == (16, 6, 14, 0)
    assert figures.completion_rate == 42.9  # 6 of the 14 measures that are not 长期坚持
    assert (figures.in_progress, figures.awaiting_review, figures.long_term) == (7, 1, 2)

    figures, text = figures_on(client, datetime.date(2022, 6, 1))
    assert (figures.overdue, figures.in_progress) == (2, 5)  # 2022-03-31 and 2022-05-31 have passed
    assert 'data-testid="figure-overdue" class="tag tag-red">2<' in text

    figures, _text = figures_on(client, datetime.date(2022, 7, 1))
    assert figures.overdue == 5  # and the three due 2022-06-30
    assert figures.long_term == 2 and figures.awaiting_review == 1  # never overdue

    figures, _text = figures_on(client, datetime.date(2023, 1, 1))
    assert (figures.overdue, figures.in_progress, figures.completion_rate) == (7, 0, 42.9)


def test_striking_off_raises_the_rate(demo, client, ledger):
    with travel(datetime.date(2022, 6, 1)):
        m = measure(RECEPTION_CLEANUP)
        services.measure_send_back(actor=demo.user("chengang"), measure=m, reason="补充凭证")
        services.measure_report_progress(actor=demo.user("helei"), measure=m, text="凭证", files=[pdf_upload()])
        assert Measure.objects.figures().overdue == 3  # sent back after its 2022-04-30 deadline: overdue again
        services.measure_request_closure(actor=demo.user("helei"), measure=m)
        services.measure_strike_off(actor=demo.user("chengang"), measure=m)
        figures = Measure.objects.figures()
    assert (figures.closed, figures.rated, figures.completion_rate, figures.overdue) == (7, 14, 50.0, 2)


def test_status_is_one_rule_in_python_and_sql(demo, ledger):
    for day in (datetime.date(2022, 3, 1), datetime.date(2022, 6, 30), datetime.date(2022, 7, 1),
                datetime.date(2026, 3, 15)):
        for row in Measure.objects.with_status(day):
            assert row.status == row.status_on(day)
            assert row.is_overdue(day) == (row.status == MeasureStatus.OVERDUE)
    on_deadline = Measure.objects.get(text="建立干部选拔任用全程纪实制度")
    assert on_deadline.status_on(datetime.date(2022, 6, 30)) == MeasureStatus.IN_PROGRESS  # due that day, not late
    assert on_deadline.days_overdue(datetime.date(2022, 7, 3)) == 3


def test_empty_ledger_has_no_rate(demo):
    figures = Measure.objects.figures()
    assert figures.total == 0 and figures.completion_rate is None


def test_in_status_picks_the_rows_the_status_case_gives(ledger):
    """`in_status` (a plain condition, which the ranking's overdue count uses) and the CASE of `with_status` agree
    on every status, on dates before, between and after the sample's deadlines; a measure without a date too."""
    undated = Measure.objects.filter(state="closed").order_by("pk").first()  # reopened, without a date
    Measure.objects.filter(pk=undated.pk).update(due_on=None, state="open", kind="deadline")
    for day in (datetime.date(2022, 3, 1), datetime.date(2022, 6, 15), datetime.date(2023, 1, 1)):
        counted = 0
        for status in MeasureStatus.values:
            by_case = set(Measure.objects.with_status(day).filter(status=status).values_list("pk", flat=True))
            by_condition = set(Measure.objects.in_status(status, day).values_list("pk", flat=True))
            assert by_condition == by_case, (day, status)
            counted += len(by_case)
        assert counted == Measure.objects.count() == 16
    late = Measure.objects.in_status(MeasureStatus.OVERDUE, datetime.date(2023, 1, 1))
    assert late.count() == 7 and undated not in late  # the seven still 正在整改 (test_figures_on_fixed_dates)
    assert list(Measure.objects.in_status(MeasureStatus.NOT_STARTED, datetime.date(2023, 1, 1))) == [undated]

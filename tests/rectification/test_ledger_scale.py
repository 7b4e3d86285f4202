"""The ledger page costs the same whatever the size of the agency: as many queries, and as many bytes, with the
measures' responsible departments spread over 10 organisations as over 100 (one page of 100 measures shown)."""
import datetime

from django.urls import reverse

from branches.models import Organisation, OrgKind
from rectification.models import Batch, Measure, MeasureKind, MeasureState, MeasureUnit, Problem, Source
from rectification.views import PAGE_SIZE
from tests.rectification.conftest import travel

DAY = datetime.date(2022, 7, 15)
MEASURES = PAGE_SIZE + 20


def _agency(demo, organisations: int):
    """MEASURES measures, the i-th naming the (i mod n)-th of `organisations` new departments (names of equal
    length, so that only the number of organisations differs)."""
    Batch.objects.filter(title="规模台账").delete()  # the previous size's ledger, then its departments
    Organisation.objects.filter(name__startswith="规模科室").delete()
    orgs = Organisation.objects.bulk_create([Organisation(name=f"规模科室{i:03d}", kind=OrgKind.DEPARTMENT,
                                                          sort_order=1000 + i) for i in range(organisations)])
    batch = Batch.objects.create(source=Source.SELF_CHECK, title="规模台账", feedback_on=datetime.date(2022, 1, 1))
    problem = Problem.objects.create(batch=batch, position=1, seq="1", category="作风建设", description="问题")
    states = [MeasureState.OPEN, MeasureState.IN_PROGRESS, MeasureState.AWAITING_REVIEW, MeasureState.CLOSED]
    measures = Measure.objects.bulk_create([
        Measure(problem=problem, position=i, text=f"措施{i:03d}", due_on=datetime.date(2022, 6, 30),
                deadline_text="2022年6月底前", kind=MeasureKind.DEADLINE, state=states[i % 4]) for i in range(MEASURES)])
    MeasureUnit.objects.bulk_create([MeasureUnit(measure=m, organisation=orgs[i % organisations])
                                     for i, m in enumerate(measures)])


def test_ledger_queries_and_html_do_not_grow_with_the_organisations(demo, client, django_assert_max_num_queries):
    demo.client_for(client, "wumin")
    url = reverse("rectification:ledger")
    seen = {}
    for organisations in (10, 100):
        _agency(demo, organisations)
        with travel(DAY):
            client.get(url)  # warm
            with django_assert_max_num_queries(16) as queries:
                response = client.get(url)
        rows = response.context["rows"]
        assert len(rows) == PAGE_SIZE and response.context["figures"].total == MEASURES
        named = {m.units_label for m, _span in rows}
        assert len(named) == organisations  # the page did show the wider spread of departments
        seen[organisations] = (len(queries.captured_queries), len(response.content))
    assert seen[100][0] == seen[10][0]
    # Names of equal length: only the measures' ids, one digit longer in some links, may add a byte to a row
    # (a list of the departments would add some 3 KB).
    assert seen[10][1] <= seen[100][1] <= seen[10][1] + 2 * PAGE_SIZE


def test_each_row_shows_its_status_link_departments_and_deadline(demo, client):
    _agency(demo, 3)
    demo.client_for(client, "wumin")
    with travel(DAY):
        response = client.get(reverse("rectification:ledger"))
    text = response.content.decode()
    first = Measure.objects.get(text="措施000")  # open, due 2022-06-30: overdue on 15 July
    assert f'<a href="{reverse("rectification:measure", args=[first.pk])}">措施000</a>' in text
    row = text[text.index("措施000"):text.index("</tr>", text.index("措施000"))]
    assert "<td>规模科室000</td>" in row
    assert "<td>2022年6月底前</td>" in row  # the wording already says the month: no second date under it
    assert '<span class="tag tag-red" data-status="overdue">逾期</span>' in row
    closed = text[text.index("措施003"):text.index("</tr>", text.index("措施003"))]
    assert '<span class="tag tag-green" data-status="closed">已销号</span>' in closed

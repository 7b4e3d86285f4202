"""Background scoring reports its stages on the scheme as it goes: the start, one stage per automatic rule, the units
every tenth of them, saving, ranking; the page shows the stage while the job runs, and nothing is written once it
has finished."""
import re

import pytest
from django.urls import reverse

from assessment import tasks
from assessment.models import Scheme
from assessment.services import assessment_compute
from tests.assessment import assessment_scenario as scenario
from tests.assessment.assessment_scenario import AS_OF

pytestmark = pytest.mark.django_db

AUTOMATIC = ["月报按时报送", "清单事项完成", "整改措施按期销号", "组织生活按规定开展", "按期换届"]


def test_the_job_writes_each_stage_to_the_scheme_in_order(world, monkeypatch):
    scheme = scenario.make_scheme()
    Scheme.objects.filter(pk=scheme.pk).update(progress=0, stage="排队中")  # as compute_in_background leaves it
    seen = []
    real = tasks.scheme_progress

    def watching(scheme_id):
        report = real(scheme_id)

        def record(percent, stage):
            report(percent, stage)
            row = Scheme.objects.values_list("progress", "stage").get(pk=scheme_id)
            seen.append(row)
        return record

    monkeypatch.setattr(tasks, "scheme_progress", watching)
    assert tasks.compute_assessment(scheme.pk, scenario.staff().pk) == 8
    percents, stages = [p for p, _s in seen], [s for _p, s in seen]
    assert percents == sorted(percents) and percents[0] == 5 and percents[-1] == 90
    assert stages[0] == "开始计分"
    rule_stages = [s for s in stages if s.startswith("统计“") and "个组织" not in s]
    assert rule_stages == [f"统计“{name}”（{n}/5 项指标）" for n, name in enumerate(AUTOMATIC, start=1)]
    # Organisational life is worked out organisation by organisation, so it reports them as it goes (every tenth;
    # the demo's few organisations one by one).
    ticks = [re.search(r"：(\d+)/(\d+) 个组织$", s).groups() for s in stages if "个组织" in s]
    total = int(ticks[0][1])
    assert total >= 8 and [int(done) for done, _t in ticks] == list(range(total))
    assert all(s.startswith("统计“组织生活按规定开展”（4/5 项指标）：") for s in stages if "个组织" in s)
    # Eight units: one stage per unit (every tenth of eight rounds to one).
    assert [s for s in stages if s.startswith("计算各单位得分")] == [
        f"计算各单位得分（{n}/8 个单位）" for n in range(8)]
    assert "排名与评定等次" in stages
    scheme.refresh_from_db()
    assert (scheme.status, scheme.progress, scheme.stage) == ("computed", None, "")


def test_scoring_without_the_job_reports_the_same_stages_to_a_callback(world):
    scheme = scenario.make_scheme()
    stages = []
    assessment_compute(scheme=scheme, actor=scenario.staff(), as_of=AS_OF, progress=lambda p, s: stages.append(s))
    units = [s for s in stages if s.startswith("计算各单位得分")]
    assert len(units) == 8


def test_progress_after_the_job_finished_is_not_written(world):
    scheme = scenario.make_scheme()
    tasks.scheme_progress(scheme.pk)(50, "迟到的进度")
    assert Scheme.objects.values_list("progress", "stage").get(pk=scheme.pk) == (None, "")


def test_the_page_shows_the_running_stage(world, client):
    scheme = scenario.make_scheme()
    Scheme.objects.filter(pk=scheme.pk).update(progress=45, stage="统计“组织生活按规定开展”（4/5 项指标）")
    world["demo"].client_for(client, "wumin")
    text = client.get(reverse("assessment:scheme", args=[scheme.year])).content.decode()
    assert re.search(r'<progress max="100" value="45"', text)
    assert "统计“组织生活按规定开展”（4/5 项指标）" in text

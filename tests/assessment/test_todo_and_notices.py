"""The assessment in the to-do inbox and the notification centre: a unit's sheet while in 公示, objections for the
考核组 to answer, and a notice to the people concerned at each step."""
import datetime

from django.urls import reverse

from assessment.models import Result, Score
from assessment.services import (assessment_compute, assessment_finalise, assessment_publish, objection_answer,
                                 objection_raise, score_set)
from common.todo import todos_for
from notifications.models import Kind, Reminder
from tests.assessment import assessment_scenario as scenario
from tests.assessment.assessment_scenario import AS_OF
from tests.notifications.helpers import at


def rows(user, today):
    return {(g.label, item.title): item for g in todos_for(user, today) for item in g.items}


def notices(user):
    return list(Reminder.objects.filter(recipient=user, kind=Kind.ASSESSMENT).values_list("title", flat=True))


def test_publish_object_answer_and_final_reach_the_inbox_and_notifications(scheme, world, client):
    staff, demo = scenario.staff(), world["demo"]
    secretary, sunli = demo.user("zhengwei"), demo.user("sunli")
    assessment_compute(scheme=scheme, actor=staff, as_of=AS_OF)
    for score in Score.objects.filter(result__scheme=scheme, indicator__rule="manual"):
        score_set(score=score, actor=staff, points=20, reason="资料齐全")
    day = datetime.date(2027, 1, 10)
    assert not [t for t in rows(secretary, day) if t[0] == "公示中的考核结果"]
    assessment_publish(scheme=scheme, actor=staff, today=day)
    result = Result.objects.get(scheme=scheme, organisation=world["branch"])
    sheet = rows(secretary, day)[("公示中的考核结果", "机关第一党支部 2026年度考核评分表")]
    assert sheet.link == reverse("assessment:result", args=[result.pk])
    assert sheet.due_on == datetime.date(2027, 1, 15) and f"第 {result.rank} 名" in sheet.note
    # 郑伟 leads 机关第一党支部 and 办公室: one line each, both assessed units he runs.
    led = Result.objects.filter(scheme=scheme, organisation__name__in=["机关第一党支部", "办公室"], is_active=True)
    assert len([t for t in rows(secretary, day) if t[0] == "公示中的考核结果"]) == led.count()
    assert f"2026年度考核结果公示：机关第一党支部第 {result.rank} 名" in notices(secretary)
    assert not [t for t in rows(secretary, datetime.date(2027, 1, 16)) if t[0] == "公示中的考核结果"]

    objection = objection_raise(result=result, actor=secretary, text="二月月报系系统故障迟报", today=day)
    waiting = ("待答复的考核异议", "机关第一党支部对2026年度考核结果的异议")
    assert waiting in rows(staff, day) and waiting in rows(sunli, day)
    assert waiting not in rows(secretary, day)
    assert "机关第一党支部对2026年度考核结果提出异议，请答复" in notices(sunli)
    assert notices(staff).count("机关第一党支部对2026年度考核结果提出异议，请答复") == 1

    objection_answer(objection=objection, actor=staff, answer="经核实，维持原评分。")
    assert waiting not in rows(sunli, day)
    assert "2026年度考核异议已答复" in notices(secretary)
    assessment_finalise(scheme=scheme, actor=staff, today=datetime.date(2027, 1, 16))
    grade = Result.objects.get(pk=result.pk).get_grade_display()
    assert f"2026年度考核已定档：机关第一党支部 {grade}" in notices(secretary)

    with at(2027, 1, 12):
        demo.client_for(client, "zhengwei")
        listed = sum(len(g.items) for g in client.get(reverse("todo:list")).context["groups"])
        assert client.get(reverse("todo:count")).json()["count"] == listed

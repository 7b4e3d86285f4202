"""Progress → 申请销号 → 销号 or 退回, 长期坚持 reviews; evidence and an independent reviewer are required."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role, RoleGrant
from branches.models import Person
from rectification import services
from rectification.models import EventKind, MeasureState, MeasureStatus
from tests.rectification.conftest import (HR_RECORDS, LOOK_BACK, RECEPTION_CLEANUP, RECEPTION_RULE, measure,
                                          pdf_upload)

pytestmark = pytest.mark.usefixtures("ledger")


def timeline(m):
    return [(e.kind, e.actor.username if e.actor else None, e.comment) for e in m.events.order_by("created_at", "id")]


def test_department_head_reports_requests_closure_and_inspector_strikes_off(demo):
    fengjing, chengang = demo.user("fengjing"), demo.user("chengang")
    m = measure(HR_RECORDS)
    services.measure_report_progress(actor=fengjing, measure=m, text="纪实办法已印发",
                                     happened_on=datetime.date(2022, 6, 20), files=[pdf_upload("纪实办法.pdf")])
    m.refresh_from_db()
    assert m.state == MeasureState.IN_PROGRESS and m.progress_text == "纪实办法已印发"
    assert [e.name for e in m.evidence.all()] == ["纪实办法.pdf"]

    services.measure_request_closure(actor=fengjing, measure=m, comment="已按标准完成")
    m.refresh_from_db()
    assert m.state == MeasureState.AWAITING_REVIEW and m.closure_requested_by == fengjing
    assert m.status_on(datetime.date(2030, 1, 1)) == MeasureStatus.AWAITING_REVIEW  # never overdue while in review

    services.measure_strike_off(actor=chengang, measure=m, comment="材料齐全，同意销号")
    m.refresh_from_db()
    assert m.state == MeasureState.CLOSED and m.closed_by == chengang and m.closed_at is not None
    assert timeline(m)[1:] == [
        (EventKind.PROGRESS, "fengjing", "纪实办法已印发"),
        (EventKind.CLOSURE_REQUESTED, "fengjing", "已按标准完成"),
        (EventKind.STRUCK_OFF, "chengang", "材料齐全，同意销号"),
    ]
    assert m.events.get(kind=EventKind.PROGRESS).happened_on == datetime.date(2022, 6, 20)
    with pytest.raises(ValidationError):  # a second strike-off finds nothing to claim
        services.measure_strike_off(actor=demo.user("liuyang"), measure=m)


def test_closure_needs_evidence(demo):
    m = measure(HR_RECORDS)
    services.measure_report_progress(actor=demo.user("fengjing"), measure=m, text="正在起草")
    with pytest.raises(ValidationError, match="至少上传一份佐证材料"):
        services.measure_request_closure(actor=demo.user("fengjing"), measure=m)
    # Imported as finished but with no evidence in the system: the reviewer cannot strike it off either.
    awaiting = measure(RECEPTION_CLEANUP)
    with pytest.raises(ValidationError, match="没有佐证材料"):
        services.measure_strike_off(actor=demo.user("chengang"), measure=awaiting)
    awaiting.refresh_from_db()
    assert awaiting.state == MeasureState.AWAITING_REVIEW


def test_only_inspectors_strike_off(demo):
    m = measure(RECEPTION_CLEANUP)
    services.measure_send_back(actor=demo.user("chengang"), measure=m, reason="请补充清退凭证")
    services.measure_report_progress(actor=demo.user("helei"), measure=m, text="补充凭证", files=[pdf_upload()])
    services.measure_request_closure(actor=demo.user("helei"), measure=m)
    for username in ("wumin", "helei", "zhengwei", "liming"):
        with pytest.raises(PermissionDenied):
            services.measure_strike_off(actor=demo.user(username), measure=m)
    services.measure_strike_off(actor=demo.user("liuyang"), measure=m)
    m.refresh_from_db()
    assert m.state == MeasureState.CLOSED


def _awaiting_look_back(demo):
    m = measure(LOOK_BACK)
    services.measure_report_progress(actor=demo.user("wumin"), measure=m, text="回头看报告已形成",
                                     files=[pdf_upload("回头看报告.pdf")])
    services.measure_request_closure(actor=demo.user("wumin"), measure=m)
    m.refresh_from_db()
    return m


def test_department_head_cannot_strike_off_own_measure(demo):
    m = _awaiting_look_back(demo)
    m.person = None  # 周涛 is refused as 机关纪委书记 even when not named as 责任人
    m.save()
    with pytest.raises(PermissionDenied, match="不能审核本人所负责部门的整改措施"):
        services.measure_strike_off(actor=demo.user("zhoutao"), measure=m)
    with pytest.raises(PermissionDenied):
        services.measure_send_back(actor=demo.user("zhoutao"), measure=m, reason="自己退回")
    m.refresh_from_db()
    assert m.state == MeasureState.AWAITING_REVIEW
    services.measure_strike_off(actor=demo.user("chengang"), measure=m)


def test_responsible_person_cannot_strike_off(demo):
    m = _awaiting_look_back(demo)
    liuyang = demo.user("liuyang")
    m.person = Person.objects.get(user=liuyang)
    m.save()
    with pytest.raises(PermissionDenied, match="不能审核本人负责的整改措施"):
        services.measure_strike_off(actor=liuyang, measure=m)


def test_requester_cannot_strike_off(demo):
    liuyang = demo.user("liuyang")
    RoleGrant.objects.create(user=liuyang, role=Role.STAFF)  # an inspector who also works for 党建办
    liuyang = demo.user("liuyang")
    m = measure(HR_RECORDS)
    services.measure_report_progress(actor=liuyang, measure=m, text="代为上传", files=[pdf_upload()])
    services.measure_request_closure(actor=liuyang, measure=m)
    m.refresh_from_db()
    with pytest.raises(PermissionDenied, match="不能审核本人申请销号的整改措施"):
        services.measure_strike_off(actor=liuyang, measure=m)


def test_send_back_needs_a_reason_and_reopens(demo):
    m = measure(RECEPTION_CLEANUP)
    with pytest.raises(ValidationError, match="退回时请填写理由"):
        services.measure_send_back(actor=demo.user("chengang"), measure=m, reason="  ")
    services.measure_send_back(actor=demo.user("chengang"), measure=m, reason="未见清退凭证")
    m.refresh_from_db()
    assert m.state == MeasureState.IN_PROGRESS and m.closure_requested_by is None
    assert timeline(m)[-1] == (EventKind.RETURNED, "chengang", "未见清退凭证")
    assert m.status_on(datetime.date(2022, 5, 1)) == MeasureStatus.OVERDUE  # its deadline was 2022-04-30


def test_long_term_measures_are_reviewed_not_closed(demo):
    m = measure(RECEPTION_RULE)
    zhengwei, chengang = demo.user("zhengwei"), demo.user("chengang")
    services.measure_report_progress(actor=zhengwei, measure=m, text="一季度执行情况", files=[pdf_upload()])
    with pytest.raises(ValidationError, match="长期坚持的整改措施不销号"):
        services.measure_request_closure(actor=zhengwei, measure=m)
    with pytest.raises(PermissionDenied):  # 郑伟 heads 办公室: not his to assess
        services.measure_review_long_term(actor=zhengwei, measure=m, comment="很好")
    with pytest.raises(ValidationError, match="请填写评估意见"):
        services.measure_review_long_term(actor=chengang, measure=m, comment="")
    services.measure_review_long_term(actor=chengang, measure=m, comment="审批单执行到位，继续坚持",
                                      reviewed_on=datetime.date(2022, 4, 2))
    m.refresh_from_db()
    assert m.last_reviewed_on == datetime.date(2022, 4, 2) and m.state == MeasureState.IN_PROGRESS
    event = m.events.get(kind=EventKind.REVIEWED)
    assert (event.actor, event.happened_on, event.comment) == (chengang, datetime.date(2022, 4, 2),
                                                               "审批单执行到位，继续坚持")
    assert m.status_on(datetime.date(2040, 1, 1)) == MeasureStatus.LONG_TERM
    with pytest.raises(ValidationError, match="只有长期坚持"):
        services.measure_review_long_term(actor=chengang, measure=measure(HR_RECORDS), comment="x")


def test_only_the_responsible_side_reports(demo):
    m = measure(HR_RECORDS)
    for username in ("zhengwei", "chengang", "tangliang", "liming"):  # 郑伟 sees 人事科 through his branch
        with pytest.raises(PermissionDenied):
            services.measure_report_progress(actor=demo.user(username), measure=m, text="x")
    closed = measure("修订党组会议议事规则，明确第一议题学习及贯彻措施")
    with pytest.raises(ValidationError, match="不能再报送进展"):
        services.measure_report_progress(actor=demo.user("zhengwei"), measure=closed, text="补充")
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.measure_report_progress(actor=demo.user("fengjing"), measure=m, text="x",
                                         happened_on=datetime.date.today() + datetime.timedelta(days=2))

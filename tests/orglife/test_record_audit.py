"""Confirming or returning an organisational-life record is in the audit log with the reviewer and the reason."""
from orglife import services
from orglife.rules import RecordInput
from tests.audit_helpers import transitions
from tests.orglife.helpers import D, at, types


def test_return_and_accept_of_a_record_are_audited(demo, settings):
    settings.ORGLIFE_REVIEW = True
    zhengwei, wumin = demo.user("zhengwei"), demo.user("wumin")
    data = RecordInput(types=types("branch_committee"), date=D(2026, 3, 2), topic="3月支委会")
    with at(2026, 3, 15):
        record = services.record_create(actor=zhengwei, organisation=demo.org("机关第一党支部"), data=data)
        record = services.record_return(actor=wumin, record=record, reason="缺会议记录照片")
        record = services.record_update(actor=zhengwei, record=record, data=data)
        services.record_accept(actor=wumin, record=record, comment="记录完整")
    assert transitions(record) == [
        ("wumin", {"status": ["submitted", "returned"]}, "缺会议记录照片"),
        ("wumin", {"status": ["submitted", "accepted"]}, "记录完整"),
    ]

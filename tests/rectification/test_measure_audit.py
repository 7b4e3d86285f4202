"""Every 销号 transition is in the audit log: actor, before → after state, comment."""
import datetime

import pytest

from rectification import services
from tests.audit_helpers import transitions
from tests.rectification.conftest import HR_RECORDS, RECEPTION_CLEANUP, RECEPTION_RULE, measure, pdf_upload

pytestmark = pytest.mark.usefixtures("ledger")


def test_closure_request_strike_off_and_reopen_are_audited(demo):
    fengjing = demo.user("fengjing")
    m = measure(HR_RECORDS)
    services.measure_report_progress(actor=fengjing, measure=m, text="纪实办法已印发", files=[pdf_upload()])
    services.measure_request_closure(actor=fengjing, measure=m, comment="已按标准完成")
    services.measure_strike_off(actor=demo.user("chengang"), measure=m, comment="材料齐全，同意销号")
    services.measure_reopen(actor=demo.user("liuyang"), measure=m, reason="回头看：制度未执行")

    assert transitions(m) == [
        ("fengjing", {"state": ["in_progress", "awaiting_review"]}, "已按标准完成"),
        ("chengang", {"state": ["awaiting_review", "closed"]}, "材料齐全，同意销号"),
        ("liuyang", {"state": ["closed", "in_progress"]}, "回头看：制度未执行"),
    ]


def test_sending_back_is_audited_with_its_reason(demo):
    m = measure(RECEPTION_CLEANUP)  # imported as done: awaiting review
    services.measure_send_back(actor=demo.user("chengang"), measure=m, reason="请补充清退凭证")
    assert transitions(m) == [("chengang", {"state": ["awaiting_review", "in_progress"]}, "请补充清退凭证")]


def test_a_long_term_review_is_audited_with_its_date(demo):
    m = measure(RECEPTION_RULE)
    services.measure_review_long_term(actor=demo.user("chengang"), measure=m, comment="执行良好",
                                      reviewed_on=datetime.date(2022, 6, 30))
    assert transitions(m) == [("chengang", {"last_reviewed_on": ["None", "2022-06-30"]}, "执行良好")]

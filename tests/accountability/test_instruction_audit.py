"""督办/交办 transitions are in the audit log: each recipient's 签收, 反馈, 退回, 办结, and the notice's own status."""
import pytest

from accountability import instructions as svc
from tests.accountability.helpers import issue
from tests.audit_helpers import transitions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_recipient_transitions_and_closing_the_notice_are_audited(demo, on_demo_day):
    notice = issue(demo, "chengang", ["办公室"])
    office = notice.recipients.get()
    svc.recipient_acknowledge(actor=demo.user("zhengwei"), recipient=office)
    svc.recipient_reply(actor=demo.user("zhengwei"), recipient=office, text="已完成整改")
    svc.recipient_return(actor=demo.user("chengang"), recipient=office, reason="佐证材料不全")
    svc.recipient_reply(actor=demo.user("zhengwei"), recipient=office, text="已补充会议记录")
    svc.recipient_accept(actor=demo.user("liuyang"), recipient=office, comment="同意办结")

    assert transitions(office) == [
        ("zhengwei", {"state": ["pending", "acknowledged"]}, ""),
        ("zhengwei", {"state": ["acknowledged", "replied"]}, "已完成整改"),
        ("chengang", {"state": ["replied", "returned"]}, "佐证材料不全"),
        ("zhengwei", {"state": ["returned", "replied"]}, "已补充会议记录"),
        ("liuyang", {"state": ["replied", "closed"]}, "同意办结"),
    ]
    assert transitions(notice) == [("liuyang", {"status": ["issued", "closed"]}, "全部承办单位已办结")]


def test_withdrawing_a_notice_is_audited_with_its_reason(demo, on_demo_day):
    notice = issue(demo, "chengang", ["办公室", "执法一支部"])
    svc.instruction_withdraw(actor=demo.user("chengang"), instruction=notice, reason="问题已另案处理")
    assert transitions(notice) == [("chengang", {"status": ["issued", "withdrawn"]}, "问题已另案处理")]


def test_a_spot_check_verdict_and_the_measure_it_reopens_are_audited(demo, on_demo_day):
    import datetime

    from accountability.spotchecks import spot_check_draw, spot_check_verdict
    from rectification.models import Measure
    from tests.accountability.test_spot_checks import _closed_measures

    _closed_measures(demo, 2)
    chen = demo.user("chengang")
    check = spot_check_draw(actor=chen, kind="measures", date_from=datetime.date(2026, 1, 1),
                            date_to=datetime.date(2026, 3, 15), size=2, seed=7)
    item = check.items.order_by("position").first()
    spot_check_verdict(actor=chen, item=item, verdict="false", note="走访发现未建立台账")
    assert transitions(item) == [("chengang", {"verdict": ["pending", "false"]}, "走访发现未建立台账")]
    assert transitions(Measure.objects.get(pk=item.measure_id)) == [
        ("chengang", {"state": ["closed", "in_progress"]}, "回头看核查不属实：走访发现未建立台账")]

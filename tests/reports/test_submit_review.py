"""Filling in, submitting and reviewing a monthly report: rules, late flag, concurrency, immutability, history."""
import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import Evidence, MonthlyReport, ReportEvent, ReportLine, ReportLocked, ReportStatus
from reports.services import (IncompleteReport, LineInput, StaleDraft, evidence_add, evidence_delete,
                              monthly_report_accept, monthly_report_return, monthly_report_save, monthly_report_submit,
                              monthly_reports_generate)
from tests.reports.helpers import PDF_BYTES, at, fill, fresh, submit_complete

BRANCH = "机关第一党支部"


@pytest.fixture
def may(demo):
    """机关第一党支部's May 2022 report (items 11 三会一课 and 12 主题党日), generated on 1 May."""
    with at(2022, 5, 1, 0, 30):
        monthly_reports_generate(year=2022, month=5)
    return MonthlyReport.objects.get(organisation=demo.org(BRANCH), year=2022, month=5)


def lines_of(report):
    return list(fresh(report).lines.order_by("position", "id"))


def form_data(report, *lines, action="save"):
    """The report form as the browser posts it: `lines` are (status, done_text, problems, next_steps) in order."""
    data = {"version": str(fresh(report).version), action: "1"}
    for line, (status, done_text, problems, next_steps) in zip(lines_of(report), lines, strict=True):
        data.update({f"line-{line.pk}-status": status, f"line-{line.pk}-done_text": done_text,
                     f"line-{line.pk}-problems": problems, f"line-{line.pk}-next_steps": next_steps})
    return data


def pdf(name="会议记录.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


# ---------------------------------------------------------------- saving and submitting

def test_secretary_saves_an_incomplete_draft(demo, may):
    zhengwei = demo.user("zhengwei")
    first, second = lines_of(may)

    with at(2022, 5, 20):
        monthly_report_save(actor=zhengwei, report=may, version=1, lines={
            first.pk: LineInput(status="in_progress", done_text="  已召开支委会  ", next_steps="6月召开党员大会")})

    first.refresh_from_db()
    assert (first.status, first.done_text, first.next_steps) == ("in_progress", "已召开支委会", "6月召开党员大会")
    assert fresh(may).status == ReportStatus.DRAFT
    assert fresh(may).version == 2
    event = fresh(may).events.get(action=ReportEvent.Action.SAVED)
    assert (event.actor, event.comment) == (zhengwei, "修改 1 项")


def test_submit_with_a_line_missing_its_status_is_refused_naming_the_line_and_keeps_the_draft(demo, may):
    zhengwei = demo.user("zhengwei")
    first, second = lines_of(may)
    monthly_report_save(actor=zhengwei, report=may, version=1, lines={
        first.pk: LineInput(status="done", done_text="召开支部党员大会1次"), second.pk: LineInput(next_steps="下月开展")})

    with pytest.raises(IncompleteReport) as refused:
        monthly_report_submit(actor=zhengwei, report=fresh(may))

    assert refused.value.messages == ["第2项“开展主题党日活动”：未选择完成情况"]
    report = fresh(may)
    assert (report.status, report.submitted_at, report.version) == (ReportStatus.DRAFT, None, 2)
    first, second = lines_of(may)
    assert (first.status, first.done_text) == ("done", "召开支部党员大会1次")
    assert (second.status, second.next_steps) == ("", "下月开展")
    assert not report.events.filter(action=ReportEvent.Action.SUBMITTED).exists()


def test_incomplete_lines_are_numbered_as_the_form_numbers_them(demo, may):
    # Only the second line is incomplete: the message must say 第2项, not 第1项 (the first problem).
    fill(may, demo.user("zhengwei"), line2=LineInput(status="done"))

    with pytest.raises(IncompleteReport) as refused:
        monthly_report_submit(actor=demo.user("zhengwei"), report=fresh(may))

    assert refused.value.messages == ["第2项“开展主题党日活动”：已完成的事项需填写完成情况说明"]


@pytest.mark.parametrize(("line", "why"), [
    (LineInput(status="done", done_text="   "), "已完成的事项需填写完成情况说明"),
    (LineInput(status="not_started", done_text="无"), "“未开展”的事项需在“存在问题”中说明原因"),
    (LineInput(status="not_applicable"), "“不适用”的事项需在“存在问题”中说明原因"),
])
def test_done_needs_a_description_and_not_started_or_not_applicable_need_a_reason(demo, may, line, why):
    fill(may, demo.user("zhengwei"), line1=line)

    with pytest.raises(IncompleteReport) as refused:
        monthly_report_submit(actor=demo.user("zhengwei"), report=fresh(may))

    assert refused.value.messages == [f"第1项“严格落实“三会一课”制度”：{why}"]
    assert fresh(may).status == ReportStatus.DRAFT


def test_in_progress_and_reasoned_not_started_lines_may_be_submitted(demo, may):
    fill(may, demo.user("zhengwei"), line1=LineInput(status="in_progress"),
         line2=LineInput(status="not_started", problems="疫情防控，活动延期"))

    assert monthly_report_submit(actor=demo.user("zhengwei"), report=fresh(may)).status == ReportStatus.SUBMITTED


def test_submit_through_the_form_with_a_missing_status_saves_the_draft_and_names_the_line(demo, may, client):
    demo.client_for(client, "zhengwei")

    with at(2022, 6, 2):
        response = client.post(reverse("reports:detail", args=[may.pk]), form_data(
            may, ("done", "召开支部党员大会1次", "", ""), ("", "", "", "待开展"), action="submit"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "未提交，草稿已保存" in html
    assert "第2项“开展主题党日活动”：未选择完成情况" in html
    assert "召开支部党员大会1次" in html
    first, second = lines_of(may)
    assert (first.status, first.done_text, second.next_steps) == ("done", "召开支部党员大会1次", "待开展")
    assert fresh(may).status == ReportStatus.DRAFT


def test_complete_submit_waits_for_review_with_the_time_and_submitter(demo, may):
    zhengwei = demo.user("zhengwei")
    with at(2022, 6, 3, 9, 15) as moment:
        report = submit_complete(may, zhengwei)

    assert report.status == ReportStatus.SUBMITTED
    assert report.get_status_display() == "待审核"
    assert (report.submitted_at, report.submitted_by, report.days_late) == (moment, zhengwei, 0)
    assert report.events.filter(action=ReportEvent.Action.SUBMITTED, actor=zhengwei, comment="").count() == 1


@pytest.mark.parametrize(("when", "days_late"), [
    ((2022, 6, 7, 10, 0), 2),
    ((2022, 6, 5, 23, 30), 0),  # 15:30 UTC: still the 5th in Shanghai
    ((2022, 6, 6, 0, 30), 1),  # 16:30 UTC on the 5th: already the 6th in Shanghai
    ((2022, 5, 31, 10, 0), 0),
])
def test_may_report_is_flagged_late_by_whole_days_after_5_june(demo, may, when, days_late):
    with at(*when):
        report = submit_complete(may, demo.user("zhengwei"))

    assert report.days_late == days_late
    expected_comment = f"逾期 {days_late} 天提交" if days_late else ""
    assert report.events.get(action=ReportEvent.Action.SUBMITTED).comment == expected_comment


def test_december_report_submitted_on_6_january_is_one_day_late(demo):
    monthly_reports_generate(year=2022, month=12)
    december = MonthlyReport.objects.get(organisation=demo.org(BRANCH), year=2022, month=12)

    with at(2023, 1, 6):
        report = submit_complete(december, demo.user("zhengwei"))

    assert str(report.due_on) == "2023-01-05"
    assert report.days_late == 1


def test_a_second_submit_is_refused_and_there_is_one_submission(demo, may):
    zhengwei = demo.user("zhengwei")
    stale = fresh(fill(may, zhengwei))  # a second tab, opened before the first submit
    with at(2022, 6, 1):
        monthly_report_submit(actor=zhengwei, report=fresh(may))

        with pytest.raises(ValidationError):
            monthly_report_submit(actor=zhengwei, report=fresh(may))
        with pytest.raises(ValidationError, match="请勿重复提交"):
            monthly_report_submit(actor=zhengwei, report=stale)

    assert fresh(may).events.filter(action=ReportEvent.Action.SUBMITTED).count() == 1
    # Two submits really at once, on PostgreSQL: test_submit_concurrency.py.


# ---------------------------------------------------------------- two people, one draft

def test_saving_a_stale_version_raises_and_changes_nothing(demo, may):
    zhengwei = demo.user("zhengwei")
    first, _second = lines_of(may)
    mine, theirs = fresh(may), fresh(may)  # both opened at version 1
    monthly_report_save(actor=zhengwei, report=theirs, version=1,
                        lines={first.pk: LineInput(status="done", done_text="他人先保存的内容")})

    with pytest.raises(StaleDraft, match="草稿已被他人"):
        monthly_report_save(actor=zhengwei, report=mine, version=1,
                            lines={first.pk: LineInput(status="in_progress", done_text="我的内容")})

    first.refresh_from_db()
    assert (first.status, first.done_text) == ("done", "他人先保存的内容")
    assert fresh(may).version == 2
    assert fresh(may).events.filter(action=ReportEvent.Action.SAVED).count() == 1


def test_stale_save_through_the_form_is_409_with_the_typed_text_still_in_the_form(demo, may, client):
    zhengwei = demo.user("zhengwei")
    opened = form_data(may, ("in_progress", "我刚刚输入的完成情况", "我写的问题", ""), ("", "", "", "我的下步打算"))
    first, _second = lines_of(may)
    monthly_report_save(actor=zhengwei, report=fresh(may), version=1,
                        lines={first.pk: LineInput(status="done", done_text="他人先保存的内容")})
    demo.client_for(client, "zhengwei")

    response = client.post(reverse("reports:detail", args=[may.pk]), opened)

    assert response.status_code == 409
    html = response.content.decode()
    assert "草稿已被他人" in html and "您填写的内容未丢失" in html
    for typed in ("我刚刚输入的完成情况", "我写的问题", "我的下步打算"):
        assert typed in html
    assert f'name="line-{first.pk}-status" value="in_progress" checked' in html
    assert 'name="version" value="2"' in html  # saving again now is a deliberate overwrite
    first.refresh_from_db()
    assert first.done_text == "他人先保存的内容"


# ---------------------------------------------------------------- review

def test_reviewer_returns_with_a_reason_and_line_comment_and_the_secretary_resubmits(demo, may, client):
    zhengwei, wumin = demo.user("zhengwei"), demo.user("wumin")
    with at(2022, 6, 2):
        submit_complete(may, zhengwei)
    first, second = lines_of(may)

    with at(2022, 6, 3):
        demo.client_for(client, "wumin")
        response = client.post(reverse("reports:review", args=[may.pk]), {
            "decision": "return", "reason": "请补充佐证材料", f"line-{second.pk}-review_comment": "缺少主题党日照片"})
    assert response.status_code == 302
    report = fresh(may)
    assert (report.status, report.return_reason, report.reviewed_by) == (ReportStatus.RETURNED, "请补充佐证材料", wumin)
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.review_comment, second.review_comment) == ("", "缺少主题党日照片")

    with at(2022, 6, 4):
        demo.client_for(client, "zhengwei")
        page = client.get(reverse("reports:detail", args=[may.pk])).content.decode()
        assert "驳回原因：</strong>请补充佐证材料" in page
        assert "审核意见：缺少主题党日照片" in page
        pending = client.get(reverse("reports:pending")).content.decode()
        assert "驳回原因：请补充佐证材料" in pending
        response = client.post(reverse("reports:detail", args=[may.pk]), form_data(
            may, ("done", "召开支部党员大会1次", "", ""), ("done", "开展主题党日活动并拍照存档", "", ""),
            action="submit"))
    assert response.status_code == 302
    report = fresh(may)
    assert report.status == ReportStatus.SUBMITTED
    assert report.days_late == 0

    with at(2022, 6, 5):
        demo.client_for(client, "wumin")
        client.post(reverse("reports:review", args=[may.pk]), {"decision": "accept", "comment": "同意"})
    report = fresh(may)
    assert (report.status, report.get_status_display(), report.return_reason) == (ReportStatus.ACCEPTED, "审核通过", "")


def test_return_needs_a_reason_or_a_line_comment(demo, may):
    with at(2022, 6, 2):
        submit_complete(may, demo.user("zhengwei"))

    with pytest.raises(ValidationError, match="驳回时请填写原因"):
        monthly_report_return(actor=demo.user("wumin"), report=fresh(may), reason="  ")
    assert fresh(may).status == ReportStatus.SUBMITTED


def test_every_transition_is_recorded_with_actor_and_comment_and_shown_in_the_timeline(demo, may, client):
    zhengwei, wumin = demo.user("zhengwei"), demo.user("wumin")
    with at(2022, 6, 7):
        submit_complete(may, zhengwei)
    with at(2022, 6, 8):
        monthly_report_return(actor=wumin, report=fresh(may), reason="请补充会议记录")
    with at(2022, 6, 9):
        first, _ = lines_of(may)
        monthly_report_save(actor=zhengwei, report=fresh(may), version=fresh(may).version,
                            lines={first.pk: LineInput(status="done", done_text="召开支部党员大会，记录已补充")})
        monthly_report_submit(actor=zhengwei, report=fresh(may))
    with at(2022, 6, 10):
        monthly_report_accept(actor=wumin, report=fresh(may), comment="同意")

    events = [(e.action, e.actor and e.actor.username, e.comment) for e in fresh(may).events.order_by("at", "id")]
    assert events == [
        ("created", None, ""),
        ("saved", "zhengwei", "修改 2 项"),
        ("submitted", "zhengwei", "逾期 2 天提交"),
        ("returned", "wumin", "请补充会议记录"),
        ("saved", "zhengwei", "修改 1 项"),
        ("submitted", "zhengwei", "逾期 4 天提交"),
        ("accepted", "wumin", "同意"),
    ]
    demo.client_for(client, "zhengwei")
    html = client.get(reverse("reports:detail", args=[may.pk])).content.decode()
    timeline = html[html.index('data-testid="timeline"'):]
    for text in ("系统 <strong>生成</strong>", "2022-06-07 10:00</span> 郑伟 <strong>提交</strong>：逾期 2 天提交",
                 "2022-06-08 10:00</span> 吴敏 <strong>驳回</strong>：请补充会议记录",
                 "郑伟 <strong>保存</strong>：修改 1 项", "2022-06-10 10:00</span> 吴敏 <strong>审核通过</strong>：同意"):
        assert text in timeline
    assert "迟报 4 天" in html


def test_line_changes_are_in_the_audit_log_with_the_user(demo, may, client):
    first, second = lines_of(may)
    demo.client_for(client, "zhengwei")

    client.post(reverse("reports:detail", args=[may.pk]),
                form_data(may, ("done", "召开支部党员大会1次", "", ""), ("", "", "", "")))

    entries = LogEntry.objects.get_for_object(first)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor == demo.user("zhengwei")
    assert entry.changes_dict["status"] == ["", "done"]
    assert entry.changes_dict["done_text"] == ["", "召开支部党员大会1次"]
    assert not LogEntry.objects.get_for_object(second).exists()  # unchanged lines log nothing


# ---------------------------------------------------------------- who may review

def test_secretary_cannot_review_their_own_report(demo, may, client):
    with at(2022, 6, 2):
        submit_complete(may, demo.user("zhengwei"))

    with pytest.raises(PermissionDenied):
        monthly_report_accept(actor=demo.user("zhengwei"), report=fresh(may))
    demo.client_for(client, "zhengwei")
    assert client.post(reverse("reports:review", args=[may.pk]), {"decision": "accept"}).status_code == 403
    page = client.get(reverse("reports:detail", args=[may.pk])).content.decode()
    assert 'data-testid="review"' not in page
    assert fresh(may).status == ReportStatus.SUBMITTED


def test_people_who_are_not_reviewers_cannot_accept(demo, may, client):
    with at(2022, 6, 2):
        submit_complete(may, demo.user("zhengwei"))
        monthly_reports_generate(year=2022, month=5)
        personnel = submit_complete(MonthlyReport.objects.get(organisation=demo.org("人事科"), year=2022, month=5),
                                    demo.user("fengjing"))

    for username, report in (("tangliang", may), ("liming", may), ("zhengwei", personnel)):
        with pytest.raises(PermissionDenied):
            monthly_report_accept(actor=demo.user(username), report=fresh(report))
    # Through the page: another branch's secretary does not even find it; 郑伟 sees 人事科 (his branch covers it).
    demo.client_for(client, "tangliang")
    assert client.post(reverse("reports:review", args=[may.pk]), {"decision": "accept"}).status_code == 404
    demo.client_for(client, "zhengwei")
    assert client.post(reverse("reports:review", args=[personnel.pk]), {"decision": "accept"}).status_code == 403
    assert set(MonthlyReport.objects.filter(pk__in=[may.pk, personnel.pk]).values_list("status", flat=True)) == {
        ReportStatus.SUBMITTED}


@pytest.mark.parametrize(("setting", "reviewer", "not_reviewer"), [
    ("staff", "sunli", "chengang"),
    ("inspector", "chengang", "wumin"),
    ("leader", "liming", "wumin"),  # 李明 分管 市场运行科
])
def test_the_reviewer_role_follows_the_report_reviewer_setting(demo, settings, setting, reviewer, not_reviewer):
    settings.REPORT_REVIEWER = setting
    monthly_reports_generate(year=2022, month=5)
    with at(2022, 6, 2):
        report = submit_complete(MonthlyReport.objects.get(organisation=demo.org("市场运行科"), year=2022, month=5),
                                 demo.user("gaofeng"))

    with pytest.raises(PermissionDenied):
        monthly_report_accept(actor=demo.user(not_reviewer), report=fresh(report))
    assert monthly_report_accept(actor=demo.user(reviewer), report=fresh(report)).status == ReportStatus.ACCEPTED


# ---------------------------------------------------------------- an accepted report is final

@pytest.fixture
def accepted(demo, may, media_root):
    zhengwei = demo.user("zhengwei")
    with at(2022, 6, 2):
        fill(may, zhengwei)
        evidence_add(actor=zhengwei, line=lines_of(may)[0], upload=pdf())
        monthly_report_submit(actor=zhengwei, report=fresh(may))
        monthly_report_accept(actor=demo.user("wumin"), report=fresh(may))
    return fresh(may)


def snapshot(report):
    report = fresh(report)
    return (report.status, report.version, report.updated_at, report.return_reason,
            list(report.lines.order_by("pk").values_list("status", "done_text", "problems", "next_steps",
                                                        "review_comment")),
            list(Evidence.objects.filter(line__report=report).values_list("pk", "file")),
            report.events.count())


def test_services_refuse_to_change_an_accepted_report(demo, accepted):
    zhengwei, wumin = demo.user("zhengwei"), demo.user("wumin")
    before = snapshot(accepted)
    line = lines_of(accepted)[0]
    evidence = Evidence.objects.get(line=line)
    attempts = {
        "save": lambda: monthly_report_save(actor=zhengwei, report=fresh(accepted), version=accepted.version,
                                            lines={line.pk: LineInput(status="in_progress")}),
        "save stale object": lambda: monthly_report_save(
            actor=zhengwei, report=MonthlyReport(pk=accepted.pk, organisation=accepted.organisation,
                                                 status=ReportStatus.DRAFT), version=accepted.version, lines={}),
        "submit": lambda: monthly_report_submit(actor=zhengwei, report=fresh(accepted)),
        "evidence add": lambda: evidence_add(actor=zhengwei, line=line, upload=pdf("补充.pdf")),
        "evidence delete": lambda: evidence_delete(actor=zhengwei, evidence=evidence),
        "return": lambda: monthly_report_return(actor=wumin, report=fresh(accepted), reason="重新审核"),
        "accept again": lambda: monthly_report_accept(actor=wumin, report=fresh(accepted)),
    }
    for name, attempt in attempts.items():
        with pytest.raises(ValidationError):
            attempt()
        assert snapshot(accepted) == before, name
    assert evidence.file.storage.exists(evidence.file.name)


def test_direct_posts_change_nothing_on_an_accepted_report(demo, accepted, client):
    before = snapshot(accepted)
    evidence = Evidence.objects.get(line__report=accepted)
    demo.client_for(client, "zhengwei")
    data = form_data(accepted, ("not_started", "改写", "改写", "改写"), ("in_progress", "改写", "", ""), action="submit")
    data[f"line-{lines_of(accepted)[0].pk}-files"] = pdf("偷偷补充.pdf")

    response = client.post(reverse("reports:detail", args=[accepted.pk]), data)
    assert response.status_code == 400
    assert "报告已审核通过，不能修改" in response.content.decode()
    client.post(reverse("reports:evidence_delete", args=[evidence.pk]))
    demo.client_for(client, "wumin")
    client.post(reverse("reports:review", args=[accepted.pk]), {"decision": "return", "reason": "改判"})
    client.post(reverse("reports:detail", args=[accepted.pk]), data)

    assert snapshot(accepted) == before
    assert evidence.file.storage.exists(evidence.file.name)


def test_accepted_report_form_shows_no_inputs(demo, accepted, client):
    demo.client_for(client, "zhengwei")
    html = client.get(reverse("reports:detail", args=[accepted.pk])).content.decode()
    assert "<textarea" not in html and 'type="file"' not in html and "提交审核" not in html


def test_model_saves_and_deletes_refuse_an_accepted_report(accepted):
    report = fresh(accepted)
    line = report.lines.first()
    evidence = Evidence.objects.get(line__report=report)
    line.done_text = "改写"
    report.return_reason = "改写"
    evidence.original_name = "改名.pdf"

    for attempt in (report.save, line.save, evidence.save, line.delete, evidence.delete, report.delete,
                    lambda: ReportLine.objects.create(report=report, assignment=line.assignment, position=9)):
        with pytest.raises(ReportLocked):
            attempt()

    assert fresh(report).lines.count() == 2
    assert Evidence.objects.filter(pk=evidence.pk).exists()

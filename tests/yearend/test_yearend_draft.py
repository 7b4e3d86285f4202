"""The summary draft (.docx): the speeches' review structure with every figure filled from the data."""
import io
import re

import docx
from django.apps import apps

from yearend.summary_doc import write_summary
from yearend.figures import year_figures
from yearend.scope import year_scope_for_system
from tests.yearend.conftest import TODAY, YEAR
from tests.yearend.yearend_counts import line_counts, list_counts, measure_counts, report_counts, term_counts


def draft_text(root=None, today=TODAY):
    out = io.BytesIO()
    figures = year_figures(year_scope_for_system(year=YEAR, root=root, today=today))
    write_summary(figures, out)
    document = docx.Document(io.BytesIO(out.getvalue()))
    return "\n".join(p.text for p in document.paragraphs), document


def pct(part, whole):
    return f"{round(100 * part / whole, 1):.1f}".rstrip("0").rstrip(".")


def test_draft_follows_the_review_structure(demo):
    text, document = draft_text()
    headings = [p.text for p in document.paragraphs if re.match(r"^[一二三]、|^（[一二三四五]）", p.text)]
    assert headings == ["一、2022年工作回顾", "（一）压实主体责任，照单履责", "（二）强化理论武装，筑牢思想根基",
                        "（三）夯实基层基础，规范组织生活", "（四）抓实整改落实，推动问题清零", "（五）从严监督管理，抓早抓小",
                        "二、存在的问题", "三、2023年工作打算"]
    assert document.paragraphs[0].text == "中共示范市商务局党组2022年度全面从严治党暨党风廉政建设工作总结"
    assert not re.search(r"[XxＸ]{1,2}\s*[次个项份名人%]", text)  # no blanks where the data has an answer


def test_every_figure_in_the_draft_equals_an_independent_count(demo, main_list):
    text, _document = draft_text()
    lists, r, lines, m, t = list_counts(main_list), report_counts(), line_counts(), measure_counts(), term_counts()
    expected = [
        f"《{main_list.title}》，将全年工作梳理细化为{lists['categories']}个方面、{lists['items']}项具体任务，"
        f"分解落实到{lists['units']}个责任单位（共{lists['assignments']}项次）",
        f"全年应报月度报告{r['due']}份，按时报送{r['on_time']}份，按时报送率{pct(r['on_time'], r['due'])}%，"
        f"迟报{r['late']}份，未报送{r['missing']}份，被驳回待重新报送{r['returned']}份。",
        f"照单报告事项{lines['total']}项次，其中已完成{lines['done']}项次，完成率{pct(lines['done'], lines['total'])}%。",
        f"制定整改措施{m['total']}项",
        f"已完成整改并销号{m['closed']}项，已完成待审核销号{m['awaiting_review']}项，需要长期坚持{m['long_term']}项；"
        f"除需要长期坚持项外，整改完成率{pct(m['closed'], m['total'] - m['long_term'])}%，"
        f"尚有{m['total'] - m['long_term'] - m['closed']}项正在推进（其中逾期{m['overdue']}项）。",
        f"全年{t['renewed']}个党组织完成换届，其中按期换届{t['on_time']}个，逾期换届{t['late']}个。",
        f"尚有{t['expired']}个党组织任期届满未换届。",
        "对照1批次反馈的8个问题",
    ]
    for sentence in expected:
        assert sentence in text, sentence
    assert "5个方面、25项具体任务" in text and "按期换届2个" in text


def test_meetings_study_and_talks_come_from_the_organisational_life_records(demo):
    from orglife.compliance import year_counts

    text, _document = draft_text()
    n = year_counts(organisation=demo.org("中共示范市商务局党组"), year=YEAR)
    assert f"全年开展第一议题学习{n['first_topic']}次、理论学习中心组学习{n['central_group']}次。" in text
    assert (f"召开支部党员大会{n['party_assembly']}次、支委会{n['branch_committee']}次、党小组会{n['group_meeting']}次，"
            f"讲党课{n['party_lecture']}次，开展主题党日{n['theme_day']}次。") in text
    assert f"开展谈心谈话{n['heart_talk']}次、廉政谈话{n['integrity_talk']}次。" in text
    assert (n["first_topic"], n["central_group"], n["branch_committee"], n["heart_talk"]) == (11, 4, 21, 6)
    assert "组织生活会、民主评议党员、警示教育本年度尚无记录" in text


def test_all_measures_struck_off_reads_as_the_speeches_do(demo):
    from rectification.models import Measure, MeasureKind

    Measure.objects.exclude(kind=MeasureKind.LONG_TERM).update(state="closed")
    text, _document = draft_text()
    assert "除需要长期坚持项外，所有整改措施全部完成到位，整改完成率100%。" in text
    assert "正在推进" not in text


def test_without_records_the_draft_asks_for_them_instead_of_leaving_blanks(demo):
    if apps.is_installed("orglife"):
        from orglife.models import Record

        Record.objects.all().delete()
    text, _document = draft_text()
    assert "【本年度尚无第一议题、理论学习中心组等学习记录，请补充。】" in text
    assert "【本年度尚无谈心谈话、廉政谈话记录，请补充。】" in text
    assert not re.search(r"[XxＸ]{1,2}\s*[次个项份]", text)


def test_a_subtree_draft_counts_only_its_organisations(demo):
    root = demo.org("市商务综合行政执法支队党总支")
    text, _document = draft_text(root=root)
    ids = {root.pk, demo.org("执法一支部").pk, demo.org("执法二支部").pk}
    r = report_counts(ids)
    assert text.startswith("市商务综合行政执法支队党总支2022年度")
    assert f"全年应报月度报告{r['due']}份，按时报送{r['on_time']}份" in text
    assert "全年1个党组织完成换届，其中按期换届0个，逾期换届1个。" in text  # 执法一支部, 106 days late

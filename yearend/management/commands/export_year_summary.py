"""`manage.py export_year_summary YEAR --output PATH [--org ID] [--draft PATH]`: the year-end workbook (and draft)
for the whole agency or one organisation's subtree, without Celery."""
import datetime
import os

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from branches.models import Organisation
from yearend.assessment_sheet import assessment_paragraphs
from yearend.supervision_sheet import supervision_paragraphs
from yearend.summary_doc import write_summary
from yearend.scope import year_scope_for_system
from yearend.workbook import write_workbook


def _open(path: str):
    try:
        return open(path, "wb")
    except OSError as exc:
        raise CommandError(f"无法写入 {path}：{exc.strerror or exc}") from None


class Command(BaseCommand):
    help = "写出某年度的年度台账（Excel）；--draft 同时写出年度工作总结初稿（Word）。"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="年度，如 2022")
        parser.add_argument("--output", required=True, help="工作簿路径（.xlsx）")
        parser.add_argument("--org", type=int, help="只统计该组织（ID）及其下级；缺省为全部组织")
        parser.add_argument("--draft", help="总结初稿路径（.docx）")
        parser.add_argument("--today", type=datetime.date.fromisoformat,
                            help="统计截至日期（YYYY-MM-DD），缺省为今天")

    def handle(self, *args, year, output, org=None, draft=None, today=None, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度 {year} 不在 2000–2100 之间。")
        root = None
        if org is not None:
            root = Organisation.objects.filter(pk=org).first()
            if root is None:
                raise CommandError(f"没有 ID 为 {org} 的组织。")
        ys = year_scope_for_system(year=year, root=root, today=today or timezone.localdate())
        handles = [(output, _open(output))]
        try:
            if draft:
                handles.append((draft, _open(draft)))
            figures = write_workbook(ys, handles[0][1])
            if draft:
                write_summary(figures, handles[1][1], assessment=assessment_paragraphs(ys) + supervision_paragraphs(ys))
        except BaseException:
            for path, handle in handles:
                handle.close()
                os.unlink(path)  # no half-written file left behind
            raise
        for _path, handle in handles:
            handle.close()
        r, m = figures.reports, figures.measures
        self.stdout.write(f"{figures.label}{year}年度台账已写入 {output}" + (f"，总结初稿已写入 {draft}" if draft else "")
                          + f"：事项 {figures.items} 项，月报应报 {r.due} 份、按时 {r.on_time} 份，"
                            f"整改措施 {m.total} 项、已销号 {m.closed} 项。")

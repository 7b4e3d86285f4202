from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("月度报告")

    def ready(self):
        from common.todo import register_deadline_provider, register_todo_provider

        from .todo import report_deadlines, report_todo_count, report_todos

        register_todo_provider(report_todos, count=report_todo_count)
        register_deadline_provider(report_deadlines)

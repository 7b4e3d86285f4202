from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = _("整改台账")

    def ready(self):
        from common.todo import register_deadline_provider, register_todo_provider

        from .todo import measure_deadlines, measure_todo_count, measure_todos

        register_todo_provider(measure_todos, count=measure_todo_count)
        register_deadline_provider(measure_deadlines)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("年度考核")

    def ready(self):
        from common.todo import register_todo_provider

        from .todo import assessment_todo_count, assessment_todos

        register_todo_provider(assessment_todos, count=assessment_todo_count)

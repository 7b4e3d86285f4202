from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("组织机构")

    def ready(self):
        from common.todo import register_deadline_provider, register_todo_provider

        from .todo import term_deadlines, term_todo_count, term_todos

        register_todo_provider(term_todos, count=term_todo_count)
        register_deadline_provider(term_deadlines)

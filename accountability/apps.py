from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("问责")

    def ready(self):
        from . import audit, reminders  # noqa: F401  (audit registration; reminder rules join notifications.rules)

        reminders.register()

        from common.todo import register_deadline_provider, register_todo_provider

        from .todo import instruction_deadlines, instruction_todo_count, instruction_todos

        register_todo_provider(instruction_todos, count=instruction_todo_count)
        register_deadline_provider(instruction_deadlines)

        from common.review_hints import register_review_hint_provider

        from .hints import reuse_hints

        register_review_hint_provider(reuse_hints)

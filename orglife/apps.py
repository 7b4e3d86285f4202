from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrglifeConfig(AppConfig):
    name = "orglife"
    verbose_name = _("组织生活记实")

    def ready(self):
        from common.todo import register_todo_provider
        from notifications import rules

        from .reminders import orglife_candidates
        from .todo import leader_talk_todo_count, leader_talk_todos, orglife_todo_count, orglife_todos

        # The reminder engine scans every rule in notifications.rules.RULES; this app adds its own there.
        if orglife_candidates not in rules.RULES:
            rules.RULES.append(orglife_candidates)
        register_todo_provider(orglife_todos, count=orglife_todo_count)
        register_todo_provider(leader_talk_todos, count=leader_talk_todo_count)

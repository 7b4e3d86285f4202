"""The notification centre's filters, parsed from the query string."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind


class CentreFilter(forms.Form):
    STATES = [("", _("全部")), ("unread", _("未读")), ("read", _("已读"))]

    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别")), *Kind.choices])
    state = forms.ChoiceField(label=_("状态"), required=False, choices=STATES)

    def filter(self, reminders):
        """Apply the valid filters; anything malformed is ignored rather than refused."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("kind"):
            reminders = reminders.filter(kind=data["kind"])
        if data.get("state") == "unread":
            reminders = reminders.filter(read_at__isnull=True)
        elif data.get("state") == "read":
            reminders = reminders.filter(read_at__isnull=False)
        return reminders

"""Organisational life in the to-do inbox: the meetings the organisations the user runs must still hold this period."""
from __future__ import annotations

import datetime

from django.urls import reverse

from common.todo import Todo

from .selectors import my_gaps


def orglife_todos(user, today: datetime.date):
    for result in my_gaps(user=user, today=today):
        link = reverse("orglife:organisation", args=[result.organisation.pk])
        for check in result.open_gaps:
            yield Todo("本期还需召开的组织生活", f"{result.organisation.name}：{check.message(today)}", link, order=45,
                       due_on=check.period.end, note=f"应{check.required}次，已记录{check.held}次")

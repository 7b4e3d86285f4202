"""The to-do inbox and the calendar feed across apps: what each app lists for a user, and where it registers.

Every app that gives people work registers, in its AppConfig.ready():

    from common.todo import register_deadline_provider, register_todo_provider
    register_todo_provider(my_todos, count=my_todo_count)  # my_todos(user, today) -> iterable of Todo,
                                                           # my_todo_count(user, today) -> how many it would yield
    register_deadline_provider(my_deadlines)  # my_deadlines(user, start, end) -> iterable of Deadline

- A to-do is something this user must act on now, with a link to the page where they act; the inbox lists every
  row the providers return. The header count, fetched on every page, asks each provider's counter instead: the
  number of rows its listing would return, counted in SQL over the queryset the listing reads (one function builds
  it for both, so they cannot drift), never by building the rows. Where the listing decides in Python (orglife's
  requirements), the counter takes the length of the same list and says why.
- A deadline is a dated event in the user's scope (the calendar feed lists those between `start` and `end`).
- Providers read through the user's scope (`visible_to(user)`, `branches.scope`); they must cost a fixed number of
  queries whatever the number of rows. This module sits in `common`, so any app may register without depending
  on the app that shows the inbox.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Todo:
    group: str  # the section it is listed under, e.g. "待审核的月度报告"
    title: str
    link: str
    order: int = 50  # sections sort by it (10: reports, 20: rectification, 30: instructions, 40: orglife …)
    due_on: datetime.date | None = None
    overdue_days: int = 0
    note: str = ""


@dataclass(frozen=True)
class Deadline:
    uid: str  # stable across feeds, e.g. "report-2026-11"; the calendar updates the event instead of adding one
    title: str
    on: datetime.date
    link: str = ""
    description: str = ""


TodoListing = Callable[[object, datetime.date], Iterable[Todo]]
TodoCounter = Callable[[object, datetime.date], int]
DeadlineProvider = Callable[[object, datetime.date, datetime.date], Iterable[Deadline]]


@dataclass(frozen=True)
class TodoProvider:
    listing: TodoListing
    count: TodoCounter  # the number of rows `listing` returns for the same user and day


TODO_PROVIDERS: list[TodoProvider] = []
DEADLINE_PROVIDERS: list[DeadlineProvider] = []


def register_todo_provider(listing: TodoListing, *, count: TodoCounter) -> None:
    provider = TodoProvider(listing, count)
    if provider not in TODO_PROVIDERS:
        TODO_PROVIDERS.append(provider)


def register_deadline_provider(provider: DeadlineProvider) -> None:
    if provider not in DEADLINE_PROVIDERS:
        DEADLINE_PROVIDERS.append(provider)


@dataclass
class TodoGroup:
    label: str
    order: int
    items: list[Todo]


def todos_for(user, today: datetime.date) -> list[TodoGroup]:
    """Every provider's rows for the user, grouped into sections; overdue first within a section."""
    if user is None or not user.is_authenticated:
        return []
    groups: dict[str, TodoGroup] = {}
    for provider in TODO_PROVIDERS:
        for todo in provider.listing(user, today):
            groups.setdefault(todo.group, TodoGroup(todo.group, todo.order, [])).items.append(todo)
    far = datetime.date.max
    for group in groups.values():
        group.items.sort(key=lambda t: (-t.overdue_days, t.due_on or far, t.title))
    return sorted(groups.values(), key=lambda g: (g.order, g.label))


def todo_count_for(user, today: datetime.date) -> int:
    """How many rows `todos_for` lists for the user, without building them (the header's count)."""
    if user is None or not user.is_authenticated:
        return 0
    return sum(provider.count(user, today) for provider in TODO_PROVIDERS)


def deadlines_for(user, start: datetime.date, end: datetime.date) -> list[Deadline]:
    if user is None or not user.is_active:
        return []
    found: dict[str, Deadline] = {}
    for provider in DEADLINE_PROVIDERS:
        for deadline in provider(user, start, end):
            found.setdefault(deadline.uid, deadline)
    return sorted(found.values(), key=lambda d: (d.on, d.uid))

"""Every URL pattern × every demo role × an object inside and outside the role's scope answers as declared in
tests/security/matrix.py and admin_matrix.py; a pattern declared nowhere fails the suite (see README.md)."""
import copy
import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client

from branches.demo import seed_demo
from branches.models import Organisation
from demo.accountability import seed_demo_accountability
from demo.activity import seed_demo_activity
from demo.assessment import seed_demo_assessment
from tests.conftest import DEMO_DAY, Demo
from tests.security.admin_matrix import (ADMIN_MODELS, ADMIN_PAGES, ADMIN_PUBLIC, ADMIN_ROLES, ADMIN_STAND_INS,
                                         ADMIN_ROWS, ADMIN_USERS, MODEL_ACTIONS, admin_expect, admin_public_expect,
                                         model_allows)
from tests.security.harness import send, table, url_patterns
from tests.security.matrix import ROUTES
from tests.security.objects import KINDS, seed_missing_rows
from tests.security.rules import ADMINS, ANON, ROLES, STAND_INS

pytestmark = pytest.mark.django_db
PATTERNS = dict(url_patterns())
FIXED_URLS = {"admin:app_list": "/admin/branches/", "admin/(?P<url>.*)$": "/admin/no-such-page/"}


def _model_pattern_names(label: str) -> list[str]:
    app, model = label.split(".")
    return [f"admin:{app}_{model}_{action}" for action in MODEL_ACTIONS] + [f"admin/{app}/{model}/<path:object_id>/"]


def _declared() -> set[str]:
    names = set(ROUTES) | set(ADMIN_PAGES) | set(ADMIN_PUBLIC)
    for label in ADMIN_MODELS:
        names.update(_model_pattern_names(label))
    return names


def _url(name: str, kwargs: dict) -> str:
    if name in FIXED_URLS:
        return FIXED_URLS[name]
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), PATTERNS[name])


# ---------------------------------------------------------------- the demo agency, seeded once for the module

class World:
    def __init__(self):
        demo = Demo()
        self.users = {role: demo.user(role) for role in ROLES if role != ANON}
        self.users.update({name: demo.user(name) for name in STAND_INS})
        self.rows = {}  # (kind, user id): the rows inside and outside that user's scope
        self.clients = {ANON: Client()}
        for role in ROLES[1:]:
            self.clients[role] = Client()
            self.clients[role].force_login(self.users[role])

    def ask(self, role: str, method: str, url: str):
        """One request; cookies are put back, so that logging out or switching language changes no later case."""
        client = self.clients[role]
        cookies = copy.deepcopy(client.cookies)
        try:
            return send(client, method, url)
        finally:
            client.cookies = cookies


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), time_machine.travel(
            datetime.datetime.combine(DEMO_DAY, datetime.time(10), ZoneInfo("Asia/Shanghai")), tick=False):
        outer = transaction.atomic()
        outer.__enter__()
        seed_demo(today=DEMO_DAY)
        seed_demo_activity(today=DEMO_DAY)
        seed_demo_accountability(today=DEMO_DAY)
        seed_demo_assessment(today=DEMO_DAY)
        demo = Demo()
        seed_missing_rows(today=DEMO_DAY, users={u: demo.user(u) for u in (*ROLES[1:], *STAND_INS)})
        built = World()
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


class Mismatches(list):
    HEADER = ("pattern", "method", "role", "object", "url", "expected", "got", "detail")

    def check(self, name, method, role, place, url, expected, answer, may_write=False):
        """`may_write`: the answer (ok, login …) with which this role may change data; any other must change none."""
        detail = answer.detail
        wrote = answer.writes and answer.outcome != (may_write or None)
        if answer.outcome != expected or wrote:
            if wrote:
                detail = f"changed {', '.join(sorted(answer.writes))} {detail}".strip()
            self.append((name, method.upper(), role, place, url, expected, answer.outcome, detail))

    def report(self, what: str) -> str:
        return f"{len(self)} of {what} answered otherwise than declared:\n" + table(self, self.HEADER)


# ---------------------------------------------------------------- the tests

def test_every_url_pattern_is_declared_in_the_matrix():
    undeclared = sorted(set(PATTERNS) - _declared())
    stale = sorted(_declared() - set(PATTERNS))
    assert not undeclared, ("URL patterns missing from tests/security/matrix.py (or admin_matrix.py for the admin); "
                            f"declare who may open them: {undeclared}")
    assert not stale, f"declared in the permission matrix but no longer in the URL conf: {stale}"


def test_every_registered_admin_model_is_declared():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMIN_MODELS)


def test_stand_in_users_hold_the_same_roles_and_scope_as_the_users_the_matrix_runs_for(world):
    from branches.scope import scope_for

    for user, stand_in in STAND_INS.items():
        mine, theirs = scope_for(world.users[user]), scope_for(world.users[stand_in])
        assert world.users[user].granted_roles == world.users[stand_in].granted_roles
        assert (mine.sees_all, mine.roles, mine.org_ids) == (theirs.sees_all, theirs.roles, theirs.org_ids)
        assert mine.sees_all
    for user, stand_in in ADMIN_STAND_INS.items():
        assert world.users[user].granted_roles == world.users[stand_in].granted_roles


def test_the_matrix_sees_what_a_request_writes_and_that_the_savepoint_undoes_it(world, on_demo_day):
    from notifications.models import Reminder

    unread = Reminder.objects.filter(recipient=world.users["zhengwei"], read_at__isnull=True).count()

    answer = world.ask("zhengwei", "post", "/notifications/read/")

    assert (answer.outcome, answer.writes) == ("ok", frozenset({"notifications_reminder"}))
    assert Reminder.objects.filter(recipient=world.users["zhengwei"], read_at__isnull=True).count() == unread > 0


def test_the_matrix_reads_the_pages_it_checks_for_business_data(world, on_demo_day):
    assert "机关第一党支部" in world.ask("zhengwei", "get", "/orgs/search/?q=支部").text
    answer = world.ask("sysadmin", "get", "/orgs/search/?q=支部")
    assert (answer.outcome, answer.text) == ("ok", '{"results": []}')


def _places(world, role: str, kind_name: str | None, fixed: dict):
    """(place, kwargs) to try: no object; or the first row inside and the first outside the role's scope."""
    if kind_name is None:
        return [("-", fixed)]
    kind = KINDS[kind_name]
    # Anonymous users are turned away before anything is read: one row of each side is enough.
    viewer = world.users["zhengwei" if role == ANON else role]
    if (kind_name, viewer.pk) not in world.rows:
        world.rows[kind_name, viewer.pk] = [("in", kind.inside(viewer)), ("out", kind.outside(viewer))]
    found = world.rows[kind_name, viewer.pk]
    if role == ANON:
        found = [next((place, row) for place, row in found if row is not None)]
    return [(place, {**fixed, kind.arg: kind.value(row)}) for place, row in found if row is not None]


def _site_url(name: str, route, kwargs: dict) -> str:
    if route.query:
        return f"{_url(name, route.kwargs)}?{route.query}={kwargs['pk']}"
    return _url(name, kwargs) + (f"?{route.params}" if route.params else "")


def test_site_pages_answer_every_role_inside_and_outside_its_scope_as_declared(world, on_demo_day):
    mismatches, opened = Mismatches(), set()
    # 三员分立: the system, security and audit administrators see no business data, not even which units exist.
    org_names = list(Organisation.objects.values_list("name", flat=True))
    for name, route in ROUTES.items():
        methods = [("get", route.get)] + ([("post", route.post)] if route.post else [])
        for role in ROLES:
            for place, kwargs in _places(world, role, route.kind, route.kwargs):
                url = _site_url(name, route, kwargs)
                for method, rule in methods:
                    answer = world.ask(role, method, url)
                    if (place == "in" and role in rule.who and answer.outcome == rule.granted) or (
                            place == "out" and role not in (ANON, *ADMINS) and answer.outcome == rule.out):
                        opened.add((name, place))
                    expected = rule.expect(role, place)
                    mismatches.check(name, method, role, place, url, expected, answer,
                                     rule.may_write(role) and expected)
                    if role in ADMINS and (seen := [org for org in org_names if org in answer.text]):
                        mismatches.append((name, method.upper(), role, place, url, "no business data", "shown",
                                           "、".join(seen[:3])))
    assert not mismatches, mismatches.report("the site's pages")
    # A scoped row that no role could open from inside, or never tried outside anyone's scope, proves nothing.
    scoped = {name for name, route in ROUTES.items() if route.kind}
    never_inside = sorted(name for name in scoped if (name, "in") not in opened)
    never_outside = sorted(name for name in scoped if (name, "out") not in opened)
    assert not never_inside, f"no role allowed to open these got them from inside its scope: {never_inside}"
    assert not never_outside, f"no business role was refused these from outside its scope: {never_outside}"


def _admin_object(label: str):
    # The newest row: a leaf rather than the root of the tree, whose delete page would gather the whole agency.
    model = apps.get_model(label)
    row = model._default_manager.filter(**ADMIN_ROWS.get(label, {})).order_by("-pk").first()
    return row.pk if row is not None else 0


def _admin_methods(action: str, role: str, perms: dict) -> tuple[str, ...]:
    """GET, and an empty POST where the page takes a form; the admin turns business roles away whatever the method,
    and an empty POST to a delete page only shows the confirmation again."""
    if action not in ("add", "change", "delete") or role == ANON or role not in ADMIN_USERS:
        return ("get",)
    if action == "delete" and model_allows(perms, action, "post", role):
        return ("get",)
    return ("get", "post")


def test_admin_pages_answer_every_role_as_declared(world, on_demo_day):
    mismatches = Mismatches()
    org = Organisation.objects.order_by("pk").first()
    page_kwargs = {"content_type_id": ContentType.objects.get_for_model(Organisation).pk, "object_id": org.pk,
                   "id": world.users["zhengwei"].pk}
    for role in ADMIN_ROLES:
        for name, method in ADMIN_PUBLIC.items():
            url = _url(name, {})
            expected = admin_public_expect(name, role)
            mismatches.check(name, method, role, "-", url, expected, world.ask(role, method, url),
                             may_write=expected)
        for name, (who, denied) in ADMIN_PAGES.items():
            url = _url(name, page_kwargs)
            mismatches.check(name, "get", role, "-", url, admin_expect(role, role in who, denied),
                             world.ask(role, "get", url))
        for label, perms in ADMIN_MODELS.items():
            app, model = label.split(".")
            object_id = _admin_object(label)
            for action in (*MODEL_ACTIONS, "redirect"):
                name = f"admin:{app}_{model}_{action}" if action != "redirect" else \
                    f"admin/{app}/{model}/<path:object_id>/"
                url = _url(name, {"object_id": object_id})
                for method in _admin_methods(action, role, perms):
                    allowed = model_allows(perms, action, method, role)
                    expected = admin_expect(role, allowed)
                    mismatches.check(name, method, role, str(object_id), url, expected,
                                     world.ask(role, method, url), may_write=allowed and expected)
    assert not mismatches, mismatches.report("the admin pages")

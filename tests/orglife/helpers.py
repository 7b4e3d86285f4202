"""Helpers for the organisational-life tests: records written straight to the database, a frozen clock, files."""
import contextlib
import datetime
from zoneinfo import ZoneInfo

import time_machine

from branches.models import Organisation, Person
from orglife.models import Record, RecordStatus, RecordType

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = datetime.date
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


@contextlib.contextmanager
def at(year, month, day, hour=10, minute=0):
    """Freeze the clock at a local (Asia/Shanghai) moment."""
    with time_machine.travel(datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI), tick=False):
        yield


def types(*codes):
    found = {t.code: t for t in RecordType.objects.filter(code__in=codes)}
    return [found[code] for code in codes]


def person(name):
    return Person.objects.get(name=name)


def add(org, codes, date, *, topic="", status=RecordStatus.ACCEPTED, talker=None, talked_to=(), by=None):
    """One record of `org` (a name or an Organisation) counting as each type code given."""
    from django.contrib.auth import get_user_model

    if isinstance(org, str):
        org = Organisation.objects.get(name=org)
    by = by or get_user_model().objects.get(username="wumin")
    record = Record.objects.create(organisation=org, date=date, topic=topic or "、".join(codes), status=status,
                                   created_by=by, talker=person(talker) if talker else None)
    record.types.set(types(*codes))
    if talked_to:
        record.talked_to.set([person(name) for name in talked_to])
    return record

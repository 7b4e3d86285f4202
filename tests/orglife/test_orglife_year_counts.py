"""Year-end figures ("全年组织第一议题学习X次…"): the counts per type equal an independent count."""
import random

import pytest

from branches.models import Organisation
from orglife.compliance import Rulebook, year_counts
from orglife.models import Record, RecordStatus, RecordType
from tests.orglife.helpers import D, add


@pytest.fixture(scope="module")
def _records_for_module(_demo_seeded_for_module, django_db_blocker):
    """300 records over 2025–2027 in every organisation that records anything, each of one to three of its types
    (written once for the module, inside the module's seed transaction, which is rolled back at its end)."""
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock():
        rng = random.Random(9)
        rulebook = Rulebook()
        orgs = [(org, rulebook.recordable_types(org)) for org in Organisation.objects.all()]
        orgs = [(org, kinds) for org, kinds in orgs if kinds]
        statuses = [RecordStatus.ACCEPTED] * 6 + [RecordStatus.SUBMITTED, RecordStatus.RETURNED]
        wumin = get_user_model().objects.get(username="wumin")
        planned = []
        for n in range(300):
            org, kinds = rng.choice(orgs)
            chosen = rng.sample(kinds, k=min(len(kinds), rng.choice([1, 1, 2, 3])))
            day = D(rng.choice([2025, 2026, 2026, 2026, 2027]), rng.randint(1, 12), rng.randint(1, 28))
            planned.append((Record(organisation=org, date=day, topic=f"记录{n}", status=rng.choice(statuses),
                                   created_by=wumin), chosen))
        Record.objects.bulk_create([record for record, _chosen in planned])
        Record.types.through.objects.bulk_create([
            Record.types.through(record_id=record.pk, recordtype_id=t.pk) for record, chosen in planned for t in chosen])


@pytest.fixture
def a_year_of_records(_records_for_module, demo):
    return demo


def independent_count(root_name, year):
    """Walk the tree by parent links and count record by record, type by type."""
    orgs = {org.pk: org for org in Organisation.objects.all()}
    root = orgs[Organisation.objects.get(name=root_name).pk]

    def inside(org):
        while org is not None:
            if org.pk == root.pk:
                return True
            org = orgs.get(org.parent_id)
        return False

    counts = {t.code: 0 for t in RecordType.objects.all()}
    for record in Record.objects.prefetch_related("types").select_related("organisation"):
        if record.date.year == year and record.status != RecordStatus.RETURNED and inside(record.organisation):
            for record_type in record.types.all():
                counts[record_type.code] += 1
    return counts


@pytest.mark.parametrize("root", ["中共示范市商务局党组", "中共示范市商务局机关委员会", "市商务综合行政执法支队党总支",
                                  "机关第一党支部"])
@pytest.mark.parametrize("year", [2025, 2026])
def test_year_counts_equal_an_independent_count(a_year_of_records, root, year):
    counts = year_counts(organisation=Organisation.objects.get(name=root), year=year)
    assert counts == independent_count(root, year)
    assert list(counts) == list(RecordType.objects.order_by("sort_order").values_list("code", flat=True))


def test_the_whole_agency_counts_every_record_of_the_year(a_year_of_records):
    counts = year_counts(organisation=Organisation.objects.get(name="中共示范市商务局党组"), year=2026)
    counted = Record.objects.filter(date__year=2026).exclude(status=RecordStatus.RETURNED)
    assert sum(counts.values()) == sum(r.types.count() for r in counted) > 100


def test_fixed_figures_of_the_party_group(demo):
    """In 2023, a year the random records above leave alone."""
    group = "中共示范市商务局党组"
    for month in range(1, 13):
        add(group, ["first_topic"], D(2023, month, 5))
    for month in (3, 6, 9, 12):
        add(group, ["central_group", "first_topic"], D(2023, month, 20))
    add(group, ["integrity_talk"], D(2023, 4, 1), talker="赵强", talked_to=["郑伟"])
    add(group, ["integrity_talk", "heart_talk"], D(2023, 5, 1), talker="李明", talked_to=["高峰"])
    add(group, ["warning_edu"], D(2023, 7, 1), status=RecordStatus.RETURNED)
    add("机关第一党支部", ["warning_edu"], D(2023, 7, 2))
    add(group, ["first_topic"], D(2024, 1, 5))
    counts = year_counts(organisation=Organisation.objects.get(name=group), year=2023)
    assert {code: n for code, n in counts.items() if n} == {
        "first_topic": 16, "central_group": 4, "integrity_talk": 2, "heart_talk": 1, "warning_edu": 1}
    branch = year_counts(organisation=Organisation.objects.get(name="机关第二党支部"), year=2023)
    assert set(branch.values()) == {0}

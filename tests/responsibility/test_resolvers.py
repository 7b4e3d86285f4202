"""UnitResolver and PersonResolver: how unit and person names written in a sheet are found."""
import pytest
from django.db import transaction

from branches.demo import seed_demo
from branches.models import Organisation, OrgKind
from common.imports.names import PersonResolver, UnitResolver, UnknownName
from tests.conftest import DEMO_DAY, Demo
from tests.factories import OrganisationFactory, PersonFactory

BRANCHES = ["机关第一党支部", "机关第二党支部", "机关第三党支部", "离退休干部党支部", "执法一支部", "执法二支部",
            "市商务发展服务中心党支部", "市口岸服务中心党支部"]
DEPARTMENTS = ["办公室", "人事科", "财务科", "市场运行科", "电子商务科", "对外贸易科", "外资科", "法规科"]



# The demo agency seeded once for this module (as tests/accounts/conftest.py does): the seed runs in a
# transaction held open for the module and rolled back at its end; each test runs in its own savepoint.
@pytest.fixture(scope="module")
def _demo_seeded_for_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        seed_demo(today=DEMO_DAY)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_seeded_for_module, db):
    return Demo()

@pytest.fixture
def units(demo):
    resolver = UnitResolver()

    def resolve(text):
        return [(org.name, lead) for org, lead in resolver.resolve(text)]

    return resolve


@pytest.fixture
def people(demo):
    return PersonResolver()


def unknown(call, *args, **kwargs) -> UnknownName:
    with pytest.raises(UnknownName) as caught:
        call(*args, **kwargs)
    return caught.value


# ---------------------------------------------------------------- units: names


@pytest.mark.parametrize("text, name", [
    ("办公室", "办公室"),
    ("中共示范市商务局机关委员会", "中共示范市商务局机关委员会"),
    ("机关党委", "中共示范市商务局机关委员会"),  # short name
    ("党建办", "中共示范市商务局机关委员会"),  # alias
    ("机关纪委", "中共示范市商务局机关纪律检查委员会"),
    ("执法支队", "市商务综合行政执法支队"),
    ("外贸科", "对外贸易科"),
    ("第一党支部", "机关第一党支部"),
    ("  办公室\u3000", "办公室"),  # surrounding spaces are ignored
    ("执法支队党总支", "市商务综合行政执法支队党总支"),
])
def test_a_unit_is_found_by_name_short_name_or_alias(units, text, name):
    assert units(text) == [(name, True)]


def test_separators_between_units(units):
    expected = [("办公室", True), ("人事科", False), ("财务科", False), ("法规科", False)]
    assert units("办公室、人事科、财务科、法规科") == expected
    assert units("办公室，人事科,财务科；法规科") == expected
    assert units("办公室 人事科　财务科\n法规科") == expected
    assert units("办公室、、人事科；财务科/法规科") == expected


def test_a_unit_named_twice_is_kept_once(units):
    assert units("办公室、局办公室、人事科") == [("办公室", True), ("人事科", False)]


# ---------------------------------------------------------------- units: lead and co-operating


def test_without_marks_the_first_named_unit_leads(units):
    assert units("机关党委、办公室") == [("中共示范市商务局机关委员会", True), ("办公室", False)]


def test_a_lead_mark_makes_every_other_unit_co_operate(units):
    assert units("办公室、人事科（牵头）") == [("办公室", False), ("人事科", True)]
    assert units("办公室(牵头)、人事科、财务科") == [("办公室", True), ("人事科", False), ("财务科", False)]
    assert units("办公室（牵头）、人事科（牵头）、财务科") == [("办公室", True), ("人事科", True), ("财务科", False)]


def test_a_co_operate_mark_leaves_the_unmarked_units_leading(units):
    assert units("办公室（配合）、人事科") == [("办公室", False), ("人事科", True)]
    assert units("办公室、人事科（协办）、财务科") == [("办公室", True), ("人事科", False), ("财务科", True)]
    assert units("机关党委（牵头）、办公室（配合）") == [("中共示范市商务局机关委员会", True), ("办公室", False)]


def test_when_every_unit_co_operates_the_first_leads(units):
    assert units("办公室（配合）、人事科（配合）") == [("办公室", True), ("人事科", False)]


def test_lead_and_co_operate_prefixes(units):
    assert units("牵头单位：办公室、人事科 配合单位：财务科、法规科") == [
        ("办公室", True), ("人事科", True), ("财务科", False), ("法规科", False)]
    assert units("牵头：机关纪委；配合：各科室") == [("中共示范市商务局机关纪律检查委员会", True)] + [
        (name, False) for name in DEPARTMENTS]


# ---------------------------------------------------------------- units: groups


def test_group_names_expand_and_each_member_leads_its_part(units):
    assert units("各党支部") == [(name, True) for name in BRANCHES]
    assert units("各科室") == [(name, True) for name in DEPARTMENTS]
    assert units("局属各单位") == [("市商务综合行政执法支队", True), ("市商务发展服务中心", True), ("市口岸服务中心", True)]
    assert units("各党总支") == [("市商务综合行政执法支队党总支", True)]
    assert len(units("各科室和局属单位")) == 11


def test_a_group_after_a_unit_still_leads_unless_marked(units):
    assert units("机关党委、各党支部") == [("中共示范市商务局机关委员会", True)] + [(name, True) for name in BRANCHES]
    assert units("机关党委（牵头）、各党支部（配合）") == [("中共示范市商务局机关委员会", True)] + [
        (name, False) for name in BRANCHES]


def test_a_unit_inside_a_group_is_not_repeated(units):
    result = units("办公室（牵头）、各科室")
    assert result[0] == ("办公室", True)
    assert [name for name, _lead in result] == DEPARTMENTS


def test_inactive_organisations_are_not_found_nor_expanded(demo):
    Organisation.objects.filter(name="离退休干部党支部").update(is_active=False)
    resolver = UnitResolver()
    assert len(resolver.resolve("各党支部")) == 7
    with pytest.raises(UnknownName):
        resolver.resolve("离退休干部党支部")


def test_a_group_without_members_is_an_error(demo):
    Organisation.objects.filter(kind=OrgKind.SUBORDINATE_UNIT).update(is_active=False)
    error = unknown(UnitResolver().resolve, "局属各单位")
    assert "局属各单位" in error.message and "没有对应的单位" in error.message


# ---------------------------------------------------------------- units: errors


def test_an_unknown_unit_suggests_close_names(units):
    error = unknown(units, "办工室")
    assert error.message == "未找到责任单位“办工室”"
    assert error.suggestions[0] == "办公室"
    assert "机关第一党支部" in unknown(units, "机关第一支部").suggestions
    assert "人事科" in unknown(units, "办公室、人事处").suggestions


def test_an_empty_cell_is_an_error(units):
    assert unknown(units, "").message == "责任单位为空"
    assert unknown(units, " 、 ").message == "责任单位为空"


def test_a_name_shared_by_two_organisations_is_ambiguous(demo):
    OrganisationFactory(name="市商务发展服务中心综合科", short_name="综合科", kind=OrgKind.DEPARTMENT)
    OrganisationFactory(name="市口岸服务中心综合科", short_name="综合科", kind=OrgKind.DEPARTMENT)
    resolver = UnitResolver()
    error = unknown(resolver.resolve, "办公室、综合科")
    assert "综合科" in error.message and "多个单位" in error.message
    assert "市商务发展服务中心综合科" in error.message and "市口岸服务中心综合科" in error.message
    assert error.suggestions == []
    # the full names still work
    assert [o.name for o, _ in resolver.resolve("市口岸服务中心综合科")] == ["市口岸服务中心综合科"]


def test_an_alias_shared_with_another_organisations_name_is_ambiguous(demo):
    OrganisationFactory(name="执法支队", kind=OrgKind.DEPARTMENT, aliases="")
    # "执法支队" is now one organisation's name and another's short name
    error = unknown(UnitResolver().resolve, "执法支队")
    assert "多个单位" in error.message


# ---------------------------------------------------------------- people


def test_a_person_is_found_by_name(people):
    person = people.resolve("张建国")
    assert (person.name, person.user.username) == ("张建国", "zhangjianguo")
    assert people.resolve(" 李 明 ").name == "李明"


def test_a_blank_person_is_none(people):
    assert people.resolve("") is None
    assert people.resolve(None) is None
    assert people.resolve("  ") is None


@pytest.mark.parametrize("text", ["分管领导", "班子成员", "各分管领导", "党组成员"])
def test_generic_leaders_are_kept_as_text_only_where_allowed(people, text):
    assert people.resolve(text, allow_generic=True) is None
    with pytest.raises(UnknownName):
        people.resolve(text)


def test_an_unknown_person_suggests_close_names(people):
    error = unknown(people.resolve, "张建军")
    assert error.message == "未找到人员“张建军”"
    assert "张建国" in error.suggestions
    assert len(error.suggestions) <= 3


def test_two_people_with_the_same_name_are_ambiguous(demo):
    PersonFactory(name="李明", title="科员")
    error = unknown(PersonResolver().resolve, "李明")
    assert "有2名人员名为“李明”" in error.message
    assert error.suggestions == []
    assert PersonResolver().resolve("王芳").name == "王芳"


def test_an_inactive_namesake_is_not_ambiguous(demo):
    PersonFactory(name="李明", is_active=False)
    assert PersonResolver().resolve("李明").title == "副局长"


def test_ambiguous_lead_leader_fails_the_import(demo, tmp_path):
    import openpyxl

    from responsibility.services import ImportRejected, responsibility_list_import

    PersonFactory(name="赵强")
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "责任内容", "牵头领导", "责任单位", "完成时限"])
    wb.active.append([1, "学习", "赵强", "办公室", "每月"])
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(ImportRejected) as caught:
        responsibility_list_import(actor=demo.user("wumin"), source=str(tmp_path / "x.xlsx"), year=2022)
    [error] = caught.value.plan.errors
    assert (error.row, error.column, error.value) == (2, "C", "赵强")
    assert "有2名人员名为“赵强”" in error.message

"""The default record types and how often each is required (NOTES: 三会一课 and the 党组's study and talks)."""
from django.db import migrations

BRANCH, GENERAL_BRANCH, PARTY_GROUP = "branch", "general_branch", "party_group"
ALL_PARTY = ["party_group", "party_committee", "organ_committee", "organ_discipline", "general_branch", "branch"]

# (code, name, aliases, group, verb, period, required count, applies to, is a talk)
DEFAULT_TYPES = [
    ("party_assembly", "支部党员大会", "党员大会、支部大会、党支部党员大会、支部党员大会会议", "three_meetings", "召开",
     "quarter", 1, [BRANCH], False),
    ("branch_committee", "支委会", "支部委员会、支部委员会会议、支委会议、党支部委员会会议、总支委员会、党总支委员会会议",
     "three_meetings", "召开", "month", 1, [BRANCH, GENERAL_BRANCH], False),
    ("group_meeting", "党小组会", "党小组会议、小组会", "three_meetings", "召开", "month", 1, [BRANCH], False),
    ("party_lecture", "党课", "讲党课、专题党课、党课教育", "three_meetings", "讲", "quarter", 1, [BRANCH], False),
    ("theme_day", "主题党日", "主题党日活动、党员活动日、固定党日", "org_life", "开展", "month", 1, [BRANCH], False),
    ("org_life_meeting", "组织生活会", "专题组织生活会、年度组织生活会", "org_life", "召开", "year", 1, [BRANCH], False),
    ("member_review", "民主评议党员", "民主评议、党员民主评议", "org_life", "开展", "year", 1, [BRANCH], False),
    ("heart_talk", "谈心谈话", "谈心、谈话谈心、谈心谈话活动", "talk", "开展", "year", 1, [PARTY_GROUP, BRANCH], True),
    ("integrity_talk", "廉政谈话", "廉政谈心、廉洁谈话、廉政提醒谈话、提醒谈话", "talk", "开展", "year", 1,
     [PARTY_GROUP, BRANCH], True),
    ("warning_edu", "警示教育", "警示教育活动、警示教育大会、警示教育会", "study", "开展", "year", 1, ALL_PARTY, False),
    ("first_topic", "第一议题学习", "第一议题、党组会第一议题", "study", "开展", "month", 1, [PARTY_GROUP], False),
    ("central_group", "理论学习中心组学习", "中心组学习、理论中心组学习、理论学习中心组、中心组专题学习、党组理论学习中心组学习",
     "study", "开展", "quarter", 1, [PARTY_GROUP], False),
]


def create_types(apps, schema_editor):
    RecordType = apps.get_model("orglife", "RecordType")
    for order, (code, name, aliases, group, verb, period, count, kinds, is_talk) in enumerate(DEFAULT_TYPES, start=1):
        RecordType.objects.get_or_create(code=code, defaults={
            "name": name, "aliases": aliases, "group": group, "verb": verb, "period": period, "required_count": count,
            "applies_to": kinds, "is_talk": is_talk, "sort_order": order * 10})


def remove_types(apps, schema_editor):
    RecordType = apps.get_model("orglife", "RecordType")
    RecordType.objects.filter(code__in=[row[0] for row in DEFAULT_TYPES], records__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("orglife", "0001_initial")]
    operations = [migrations.RunPython(create_types, remove_types)]

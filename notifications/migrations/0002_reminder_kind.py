from django.db import migrations, models

KIND_BY_MODEL = {
    ("reports", "monthlyreport"): "report",
    ("rectification", "measure"): "measure",
    ("branches", "committeeterm"): "term",
    ("branches", "organisation"): "orglife",
    ("branches", "person"): "orglife",
}


def fill_kind(apps, schema_editor):
    Reminder = apps.get_model("notifications", "Reminder")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for (app_label, model), kind in KIND_BY_MODEL.items():
        ct = ContentType.objects.filter(app_label=app_label, model=model).first()
        if ct is not None:
            Reminder.objects.filter(content_type=ct).update(kind=kind)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reminder",
            name="kind",
            field=models.CharField(choices=[("report", "月度报告"), ("measure", "整改措施"), ("term", "换届"),
                                            ("orglife", "组织生活"), ("instruction", "督办交办"),
                                            ("assessment", "考核评议"), ("other", "其他")],
                                   db_index=True, default="other", max_length=20, verbose_name="类别"),
        ),
        migrations.RunPython(fill_kind, migrations.RunPython.noop),
    ]

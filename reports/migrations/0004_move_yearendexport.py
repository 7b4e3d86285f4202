# The year-end export moved to the yearend app: its table is renamed, its rows kept (yearend 0001 takes the model).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0003_report_late_entry'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name='yearendexport', table='yearend_yearendexport')],
            state_operations=[migrations.DeleteModel(name='YearEndExport')],
        ),
    ]

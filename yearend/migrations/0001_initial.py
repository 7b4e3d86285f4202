# The year-end export, moved here from reports: the table already exists (reports 0004 renamed it), so this only
# records the model, and the content type follows it so that permissions granted on it still apply.

import common.files
import django.db.models.deletion
import yearend.models
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, old='reports', new='yearend'):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new, model='yearendexport').exists():
        ContentType.objects.using(db).filter(app_label=old, model='yearendexport').update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old='yearend', new='reports')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('branches', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('reports', '0004_move_yearendexport'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='YearEndExport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                        ('status', models.CharField(choices=[('queued', '排队中'), ('running', '生成中'), ('done', '已完成'), ('failed', '失败')], default='queued', max_length=10, verbose_name='状态')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='进度（%）')),
                        ('stage', models.CharField(blank=True, max_length=50, verbose_name='当前步骤')),
                        ('label', models.CharField(blank=True, max_length=200, verbose_name='统计范围')),
                        ('workbook', models.FileField(blank=True, max_length=200, storage=common.files.PrivateStorage('yearend'), upload_to=yearend.models._export_path, verbose_name='年度台账')),
                        ('draft', models.FileField(blank=True, max_length=200, storage=common.files.PrivateStorage('yearend'), upload_to=yearend.models._export_path, verbose_name='总结初稿')),
                        ('error', models.TextField(blank=True, verbose_name='错误信息')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='申请时间')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='开始时间')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                        ('organisation', models.ForeignKey(blank=True, help_text='留空为申请人可见的全部组织。', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='branches.organisation', verbose_name='组织')),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='申请人')),
                    ],
                    options={
                        'verbose_name': '年度台账导出',
                        'verbose_name_plural': '年度台账导出',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]

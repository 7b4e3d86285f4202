"""Archive audit entries older than AUDIT_RETENTION_DAYS to a signed file, then remove them from the database."""
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from accounts.audit_archive import ArchiveBusy, audit_archive


class Command(BaseCommand):
    help = "把超过保存期限（AUDIT_RETENTION_DAYS）的审计记录导出为签名归档文件，然后从数据库中删除"

    def handle(self, *args, **options):
        try:
            result = audit_archive()
        except ArchiveBusy as busy:
            raise CommandError(str(busy)) from None
        if not result.total:
            self.stdout.write("没有超过保存期限的审计记录，未生成归档。")
            return
        counts = "，".join(f"{apps.get_model(label)._meta.verbose_name} {n} 条" for label, n in result.rows.items())
        self.stdout.write(f"已归档 {result.total} 条审计记录到 {result.name}（{counts}），并从数据库中删除。")

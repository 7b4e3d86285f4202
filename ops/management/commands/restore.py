"""manage.py restore: put a backup back onto an empty database and an empty file folder, checking every hash."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "从 manage.py backup 写的 .tar 恢复到空数据库和空文件目录；逐一核对校验值，恢复后核对每张表的行数。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份文件（.tar）")

    def handle(self, *args, archive, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"找不到备份文件：{path}")
        try:
            manifest = backup_restore(archive=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已恢复：{len(manifest['tables'])} 张表，{len(manifest['files'])} 个文件"
                          f"（备份时间 {manifest['created_at']}）")

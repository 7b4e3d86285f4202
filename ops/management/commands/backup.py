"""manage.py backup: database dump, private files and a manifest with hashes in one .tar."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库（PostgreSQL 用 pg_dump，SQLite 一致性复制）、佐证材料等私有文件和带校验值的清单，写成一个 .tar 文件。"

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "backups"),
                        help="备份文件存放目录（默认 var/backups）")

    def handle(self, *args, output, **options):
        try:
            archive = backup_create(output_dir=Path(output))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(str(archive))

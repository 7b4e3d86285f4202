"""Check every audit archive's content hash, signature and chain; exit non-zero on any break."""
from django.core.management.base import BaseCommand, CommandError

from accounts.audit_archive import audit_verify


class Command(BaseCommand):
    help = "校验全部审计归档的内容摘要、签名与前后衔接；发现问题时以非零状态退出"

    def handle(self, *args, **options):
        count, problems = audit_verify()
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"审计归档校验未通过：{len(problems)} 处问题（共 {count} 个归档）。")
        self.stdout.write(f"审计归档校验通过：共 {count} 个归档，内容、签名与前后衔接均完好。")

"""Create the demo agency 示范市商务局 with a login for every role (safe to run again)."""
from django.core.management.base import BaseCommand
from django.utils import timezone

from branches.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "创建示范市商务局演示数据及各角色演示账号；重复运行不会改变已有数据。"

    def handle(self, *args, **options):
        counts = seed_demo(today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS("演示数据已就绪：" + "，".join(f"{k} {v}" for k, v in counts.items())))
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<14} {role}")

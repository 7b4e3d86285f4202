"""Create the demo agency 示范市商务局 with a login for every role (safe to run again)."""
from django.core.management.base import BaseCommand
from django.utils import timezone

from branches.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "创建示范市商务局演示数据及各角色演示账号；重复运行不会改变已有数据。"

    def add_arguments(self, parser):
        parser.add_argument("--no-activity", action="store_true",
                            help="只创建组织机构和账号，不导入清单、台账，不生成月报")

    def handle(self, *args, no_activity=False, **options):
        today = timezone.localdate()
        counts = seed_demo(today=today)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪：" + "，".join(f"{k} {v}" for k, v in counts.items())))
        if not no_activity:
            from demo.activity import seed_demo_activity

            activity = seed_demo_activity(today=today)
            self.stdout.write(self.style.SUCCESS(f"{today.year}年演示业务数据：" + "，".join(
                f"{k} {v}" for k, v in activity.items())))
            from demo.orglife import seed_demo_orglife

            orglife = seed_demo_orglife(today=today)
            self.stdout.write(self.style.SUCCESS(f"{today.year}年组织生活记实：" + "，".join(
                f"{k} {v}" for k, v in orglife.items())))
            from demo.accountability import seed_demo_accountability

            seed_demo_accountability(today=today)
            from demo.assessment import seed_demo_assessment

            assessed = seed_demo_assessment(today=today)
            self.stdout.write(self.style.SUCCESS(f"{today.year}年度考核（已计分，未公示）：" + "，".join(
                f"{k} {v}" for k, v in assessed.items())))
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<14} {role}")

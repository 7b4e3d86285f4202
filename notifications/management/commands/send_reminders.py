"""Run the reminder scan and delivery without Celery, printing what is sent."""
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.services import deliveries_send, reminders_scan


class Command(BaseCommand):
    help = "扫描到期和逾期事项，生成并发送提醒（与 Celery 定时任务相同）。--dry-run 只显示将要发送的提醒。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只显示，不写入、不发送")
        parser.add_argument("--date", help="按该日期计算（YYYY-MM-DD），默认今天")
        parser.add_argument("--queue", action="store_true", help="交给 Celery worker 执行（不在本进程内运行）")

    def handle(self, *args, dry_run, date, queue=False, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{date}") from None
        if queue:
            from ops.outbox import enqueue, is_waiting

            key = f"reminders:scan:{today.isoformat()}"
            enqueue("notifications.scan_reminders", kwargs={"date": today.isoformat()}, key=key)
            if is_waiting(key):
                self.stdout.write(f"消息队列暂不可用：{today:%Y-%m-%d} 的提醒扫描已记录，恢复后自动交给 Celery")
            else:
                self.stdout.write(f"已交给 Celery：{today:%Y-%m-%d} 的提醒扫描与发送")
            return
        result = reminders_scan(today=today, dry_run=dry_run)
        label = "将生成" if dry_run else "已生成"
        self.stdout.write(f"{today:%Y-%m-%d}：{len(result.candidates)} 个到期/逾期事项，{label} {len(result.created)} 条新提醒")
        for reminder in sorted(result.created, key=lambda r: (r.level != "red", r.recipient_id, r.title)):
            self.stdout.write(f"  [{reminder.get_level_display()}] → {reminder.recipient}：{reminder.title}")
        if not dry_run:
            counts = deliveries_send()
            self.stdout.write(f"外部渠道：发送 {counts['sent']} 条，失败 {counts['failed']} 条")

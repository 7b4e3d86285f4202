"""Which report models the audit log follows (field changes with actor and time)."""
from auditlog.registry import auditlog

from .models import Evidence, MonthlyReport, ReportLine

auditlog.register(MonthlyReport)
auditlog.register(ReportLine)
auditlog.register(Evidence)

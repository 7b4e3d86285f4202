"""Which rectification models the audit log follows (the timeline rows are themselves the record of transitions)."""
from auditlog.registry import auditlog

from .models import Batch, Evidence, Measure, MeasureUnit, Problem

auditlog.register(Batch)
auditlog.register(Problem)
auditlog.register(Measure)
auditlog.register(MeasureUnit)
auditlog.register(Evidence, exclude_fields=["file"])

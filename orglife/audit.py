"""Which organisational-life models the audit log follows (field changes with actor and time)."""
from auditlog.registry import auditlog

from .models import Attachment, Record, RecordType, RequirementOverride

auditlog.register(RecordType)
auditlog.register(RequirementOverride)
auditlog.register(Record, m2m_fields={"types", "talked_to"})
auditlog.register(Attachment, exclude_fields=["file"])

"""Which 问责 models the audit log follows (changes); reads of 问责 records go to AccessLog."""
from auditlog.registry import auditlog

from .models import (AccountabilityRecord, Instruction, InstructionAttachment, Recipient, RecordAttachment,
                     SpotCheckItem, TalkRecord)

auditlog.register(Instruction)
auditlog.register(Recipient)
auditlog.register(InstructionAttachment, exclude_fields=["file"])
auditlog.register(TalkRecord, m2m_fields={"talkers", "interviewees"})
auditlog.register(AccountabilityRecord)
auditlog.register(RecordAttachment, exclude_fields=["file"])
auditlog.register(SpotCheckItem)

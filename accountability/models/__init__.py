"""The 问责 models, one module per concern."""
from .checks import (CheckPopulation, EvidenceFingerprint, SpotCheck, SpotCheckItem, TextFingerprint,  # noqa: F401
                     Verdict)
from .instructions import (Instruction, InstructionAttachment, InstructionEvent, InstructionKind,  # noqa: F401
                           InstructionStatus, Recipient, RecipientState)
from .records import (AccessLog, AccountabilityForm, AccountabilityMeasure, AccountabilityRecord,  # noqa: F401
                      RecordAttachment, SubjectKind, TalkKind, TalkRecord)

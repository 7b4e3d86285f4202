"""Which assessment models the audit log follows (score changes also keep their own reasoned history rows)."""
from auditlog.registry import auditlog

from .models import Indicator, Objection, Result, Scheme, Score, ScoreChange, Vote

auditlog.register(Scheme)
auditlog.register(Indicator)
auditlog.register(Result)
auditlog.register(Score)
auditlog.register(ScoreChange, exclude_fields=["evidence"])
auditlog.register(Vote)
auditlog.register(Objection)

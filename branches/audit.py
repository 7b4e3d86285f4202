"""Which organisation models the audit log follows."""
from auditlog.registry import auditlog

from .models import CommitteeTerm, Organisation, Person, Post, Supervision

auditlog.register(Organisation, m2m_fields={"covers"})
auditlog.register(Person)
auditlog.register(Post)
auditlog.register(Supervision)
auditlog.register(CommitteeTerm)

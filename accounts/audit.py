"""Which models the audit log follows (django-auditlog records actor, time and changed fields)."""
from auditlog.registry import auditlog
from django.contrib.auth import get_user_model

from .models import RoleGrant

auditlog.register(get_user_model(), exclude_fields=["password", "last_login"])
auditlog.register(RoleGrant)

"""Which models the audit log follows (django-auditlog records actor, time and changed fields)."""
from auditlog.registry import auditlog
from django.contrib.auth import get_user_model

from .models import RoleGrant

# A password change is recorded (masked), so a reset by the system administrator is visible to the audit admin.
auditlog.register(get_user_model(), exclude_fields=["last_login"], mask_fields=["password"])
auditlog.register(RoleGrant)

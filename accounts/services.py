"""What administrators do to accounts: one function per action, recorded by the audit log."""
from django.db import transaction

from .models import RoleGrant


@transaction.atomic
def role_grant(*, actor, user, role) -> RoleGrant:
    grant = RoleGrant(user=user, role=role, granted_by=actor)
    grant.full_clean()
    grant.save()
    return grant

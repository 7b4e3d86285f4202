"""Login lockout: AXES_FAILURE_LIMIT failures lock a user name from any address, and LOGIN_ADDRESS_FAILURE_LIMIT
failures from one address lock that address for every user name (password spraying), both for AXES_COOLOFF_TIME.

django-axes counts each lockout parameter separately but compares every count with the one failure limit, so the
address count is folded in here: once it reaches its own limit, the request counts as at the user-name limit."""
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        counts = {}
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            key = parameter if isinstance(parameter, str) else "+".join(parameter)
            counts[key] = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
        by_name = counts.get("username", 0)
        if counts.get("ip_address", 0) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(by_name, get_failure_limit(request, credentials))
        return by_name

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A successful login clears that user name's failures only: signing in to one's own account must not wipe
        # what an address ran up against other names.
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count

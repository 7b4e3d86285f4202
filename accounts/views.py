"""The home page and the health check."""
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from branches.scope import scope_for
from branches.selectors import home_summary


def home(request):
    today = timezone.localdate()
    return render(request, "home.html", {
        "summary": home_summary(user=request.user, today=today),
        "scope": scope_for(request.user),
        "today": today,
    })


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, "ok"
    except Exception as exc:  # any failure is reported, never raised
        return False, type(exc).__name__


def _broker_ok() -> tuple[bool, str]:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=3)
        return True, "ok"
    except Exception as exc:
        return False, type(exc).__name__


@login_not_required
@never_cache
@require_GET
def healthz(request):
    db_ok, db_detail = _database_ok()
    broker_ok, broker_detail = _broker_ok()
    healthy = db_ok and broker_ok
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": db_detail, "broker": broker_detail},
        status=200 if healthy else 503,
    )

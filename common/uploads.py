"""The request size limit Django applies itself, as nginx does with client_max_body_size: a request whose declared
body is larger than UPLOAD_MAX_REQUEST_MB is answered 413 before anything reads it, so an over-size upload never
reaches a temporary file, a form or a view (per-file limits: evidence in common/files, imports in common/tables)."""
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation


def request_limit_bytes() -> int:
    return int(settings.UPLOAD_MAX_REQUEST_MB * 1024 * 1024)


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django treats a malformed length as no body
        if declared > request_limit_bytes():
            # The language middleware has not run yet: the page speaks the chosen language like every other page.
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
            with translation.override(language):
                page = render_to_string("413.html", {"limit_mb": settings.UPLOAD_MAX_REQUEST_MB})
            response = HttpResponse(page, status=413)
            response["Connection"] = "close"  # the unread body must not be taken for the next request
            return response
        return self.get_response(request)

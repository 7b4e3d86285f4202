"""The 问责 pages: instructions, talks and records, spot checks and reuse flags, one module each."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect


def run_action(request, action, success: str, back: str, then=None):
    """Run one service call; refusals and rule violations come back as a message on the page `back`."""
    try:
        result = action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(request, success)
    return redirect(then(result) if then else back)


def form_errors(request, form, back: str):
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(back)

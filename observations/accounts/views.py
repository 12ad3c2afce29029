"""Sign-in locks: the answer to a locked sign-in, and the coordinators' page of locks.

The counting is django-axes' (observations.accounts.logins). ``lockout_response`` is
its ``AXES_LOCKOUT_CALLABLE``: axes' middleware calls it for a refused sign-in on the
login page (and the admin's), the API token view calls it too, so both say the same
thing, in the reader's language (the page's prefix, or the API's Accept-Language).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from ..access import access_for
from ..errors import DomainError
from . import logins


def lockout_message(minutes: int) -> str:
    return ngettext(
        "Too many failed sign-ins: this account or this address is locked for %(minutes)d "
        "minute. A coordinator can unlock it sooner.",
        "Too many failed sign-ins: this account or this address is locked for %(minutes)d "
        "minutes. A coordinator can unlock it sooner.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """HTTP 429 for a sign-in refused by the lock, with ``Retry-After`` in seconds: JSON
    ``{"code": "locked_out", "detail": ...}`` under /api/, else a page."""
    seconds = logins.seconds_left(logins.lock_ends_at(request, credentials), request)
    minutes = -(-seconds // 60)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"code": "locked_out", "detail": lockout_message(minutes), "field": None}, status=429
        )
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"message": lockout_message(minutes), "minutes": minutes},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response


@login_required
def login_locks(request):
    """The locks a coordinator (or an admin) may lift, with a button for each."""
    access = access_for(request.user)
    if not access.can_unlock_accounts:
        raise Http404
    return render(request, "registration/locks.html", {"locks": logins.current_locks(access)})


@login_required
@require_POST
def login_unlock(request):
    access = access_for(request.user)
    if not access.can_unlock_accounts:
        raise Http404
    try:
        lock = logins.unlock(
            access=access,
            user=request.user,
            kind=request.POST.get("kind", ""),
            value=request.POST.get("value", ""),
        )
    except DomainError as exc:  # one answer for "ended" and "not yours": nothing leaks
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, gettext("Unlocked: %(what)s can sign in again.") % {"what": lock.value}
        )
    return redirect("login-locks")

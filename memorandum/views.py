"""Cross-app pages: the home page, a health check for load balancers, sign-in lock-outs."""

import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_ipv46_address
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from memorandum import signin
from memorandum.catalogue.models import Edition
from memorandum.lib.middleware import busy, database_busy, refused
from memorandum.lib.middleware import server_error as api_server_error
from memorandum.lib.validation import text_problem


def home(request: HttpRequest) -> HttpResponse:
    """Go straight to the edition when there is one to show; otherwise list what exists."""
    editions = list(Edition.objects.visible_to(request.user))
    if len(editions) == 1:
        return redirect(editions[0])
    return render(request, "home.html", {"editions": editions})


def healthz(request: HttpRequest) -> JsonResponse:
    """Answers 200 when the database answers: what a load balancer polls."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _unlock_refusal(username: str, address: str) -> str:
    """Why the lock-out form's account or address cannot be unlocked, or ""."""
    if not username and not address:
        return _("Choose an account or an address to unlock.")
    # A control character is no account's name (and PostgreSQL refuses NUL: a 500).
    if text_problem(username):
        return _(
            "The account name contains a control character (an invisible character such "
            "as NUL); no account has such a name. Nothing was unlocked."
        )
    if text_problem(address):
        return _(
            "The address contains a control character (an invisible character such as "
            "NUL). Nothing was unlocked."
        )
    if address:
        try:
            validate_ipv46_address(address)
        except ValidationError:
            return _(
                "This is not an IP address (such as 192.0.2.7 or 2001:db8::7). Nothing was unlocked."
            )
    return ""


@login_required
@permission_required("axes.view_accessattempt", raise_exception=True)
@require_http_methods(["GET", "POST"])
def lockouts(request: HttpRequest) -> HttpResponse:
    """The secretariat's view of failed sign-ins, where it lifts a lock-out early."""
    if request.method == "POST":
        if not request.user.has_perm("axes.delete_accessattempt"):
            raise PermissionDenied
        username = request.POST.get("username", "").strip()[:255]
        address = request.POST.get("ip_address", "").strip()[:64]
        if refusal := _unlock_refusal(username, address):
            return refused(request, _("The request was refused"), refusal, 400)
        signin.unlock(by=request.user, username=username or None, ip_address=address or None)
        if username:
            messages.success(request, _("Account %(name)s unlocked.") % {"name": username})
        else:
            messages.success(request, _("Address %(address)s unlocked.") % {"address": address})
        return redirect("lockouts")
    return render(
        request,
        "registration/lockouts.html",
        {
            "rows": signin.failed_sign_ins(),
            "limit": settings.AXES_FAILURE_LIMIT,
            "cooloff": signin.cool_off(),
            "can_unlock": request.user.has_perm("axes.delete_accessattempt"),
        },
    )


# --- Error pages ------------------------------------------------------------------------
# In the site's layout, in the visitor's language, with a way back. Django calls these only
# when DEBUG is off (production); the 400 page is memorandum.lib.middleware.bad_request.

# When even the layout cannot be drawn (the database is down), a page without it.
BARE_SERVER_ERROR = """<!doctype html><html lang="nl"><meta charset="utf-8">
<title>Memorandum</title><body style="font-family:sans-serif;max-width:40rem;margin:2rem auto">
<h1>Er ging iets mis · Une erreur s'est produite · Something went wrong</h1>
<p>Probeer het over enkele minuten opnieuw. · Réessayez dans quelques minutes. ·
Try again in a few minutes.</p><p><a href="/">Memorandum</a></p></body></html>"""


def _error_page(request: HttpRequest, status: int, heading: str, message: str) -> HttpResponse:
    context = {"heading": heading, "message": message, "status": status}
    return render(request, "error.html", context, status=status)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.user.is_authenticated:
        message = _("Your account does not give access to this page.")
    else:
        message = _("This page is only for signed-in users. Log in to see it.")
    return _error_page(request, 403, _("No access"), message)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _("There is no page at this address. It may have moved, or the link is incomplete.")
    return _error_page(request, 404, _("Page not found"), message)


def server_error(request: HttpRequest) -> HttpResponse:
    if database_busy(sys.exc_info()[1]):  # not a fault: the embedded database was busy
        return busy(request)
    if request.path.startswith("/api/"):  # an RFC 9457 problem, as every other API error
        return api_server_error(request)
    message = _(
        "Something went wrong on our side; nothing you did caused it. The error has been "
        "recorded. Try again in a few minutes."
    )
    try:
        return _error_page(request, 500, _("Something went wrong"), message)
    except Exception:  # the error may be in what every page needs (database, templates)
        return HttpResponse(BARE_SERVER_ERROR, status=500)

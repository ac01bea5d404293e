"""Personal API tokens on the profile page: create (the secret shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from memorandum.api import services
from memorandum.api.forms import TokenForm
from memorandum.api.models import ApiToken
from memorandum.lib.confirm import Confirmation, render_confirmation


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=form.expires_at(),
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return render(request, "api/token_form.html", {"form": form}, status=400)
    # Shown on this page only: not stored, not in a redirect, not cached by the browser.
    response = render(request, "api/token_created.html", {"token": token, "secret": secret})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    if request.method == "POST":
        services.token_revoke(token=token, by=request.user, request=request)
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
        return redirect("catalogue:profile")
    return render_confirmation(
        request,
        Confirmation(
            title=_("Revoke the token “%(name)s”") % {"name": token.name},
            consequences=[_("Programs that use this token can no longer reach the API.")],
            button=_("Revoke"),
            cancel_url=reverse("catalogue:profile"),
            irreversible=True,
        ),
    )

"""Cross-app pages: the home page and a health check for load balancers."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from memorandum.catalogue.models import Edition


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

"""The audit log for the secretariat: filter, read, export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from memorandum.audit import export
from memorandum.audit.forms import AuditFilterForm
from memorandum.audit.models import Action, AuditEntry
from memorandum.audit.services import record
from memorandum.lib.downloads import download_response
from memorandum.lib.paging import paginate

# An export larger than this is refused with a message: narrow the filters instead.
EXPORT_LIMIT = 100_000


@login_required
@permission_required("audit.view_auditentry", raise_exception=True)
def log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    entries = form.apply(AuditEntry.objects.select_related("content_type"))
    page, query_string = paginate(request, entries)
    return render(
        request, "audit/log.html", {"form": form, "page": page, "query_string": query_string}
    )


@login_required
@permission_required("audit.export_auditentry", raise_exception=True)
def log_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return render(request, "audit/log.html", {"form": form, "page": None}, status=400)
    entries = form.apply(AuditEntry.objects.select_related("content_type"))
    count = entries.count()
    if count > EXPORT_LIMIT:
        messages.error(
            request,
            _("That is more than %(limit)s entries: narrow the filters (e.g. a date range).")
            % {"limit": f"{EXPORT_LIMIT:,}".replace(",", ".")},
        )
        return redirect(f"{reverse('audit:log')}?{request.GET.urlencode()}")
    writer = export.to_csv if fmt == "csv" else export.to_xlsx
    content = writer(entries.iterator(chunk_size=2000))
    record(
        Action.AUDIT_LOG_EXPORTED,
        request=request,
        rows=count,
        format=fmt.upper(),
        filters={k: v for k, v in request.GET.items() if v},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return download_response(content, f"audit-log-{stamp}.{fmt}")

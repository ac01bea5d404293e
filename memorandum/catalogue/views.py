"""Catalogue pages: edition home, browse and search, recommendation detail and history,
export and import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from memorandum.accounts import services as account_services
from memorandum.audit import services as audit
from memorandum.catalogue import exchange, register, succession
from memorandum.catalogue.actions import next_edition_confirmation
from memorandum.catalogue.forms import (
    CatalogueFilterForm,
    CompareVersionsForm,
    ImportForm,
    NextEditionForm,
    ProfileForm,
    RegisterImportForm,
)
from memorandum.catalogue.models import (
    Edition,
    Phase,
    PoliceZone,
    Recommendation,
    RecommendationKind,
    ReferenceKind,
    UserProfile,
)
from memorandum.catalogue.notices import notices_for
from memorandum.catalogue.people import public_name
from memorandum.catalogue.selectors import edition_for, recommendation_for
from memorandum.imports import views as imports
from memorandum.imports.models import ImportKind
from memorandum.lib.diff import diff_html, text_diffs
from memorandum.lib.downloads import download_response
from memorandum.lib.paging import paginate
from memorandum.roadmap.succession import ACHIEVED_RULE


def edition_home(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_for(request.user, slug)
    recommendations = Recommendation.objects.visible_to(request.user).filter(edition=edition)
    counts = {
        "domains": edition.domains.count(),
        "recommendations": recommendations.filter(kind=RecommendationKind.RECOMMENDATION).count(),
        "commitments": recommendations.filter(kind=RecommendationKind.COMMITMENT).count(),
    }
    return render(
        request,
        "catalogue/edition.html",
        {
            "edition": edition,
            "counts": counts,
            "phases": Phase.choices,
            "timeline": edition.timeline.all(),
        },
    )


def catalogue(request: HttpRequest, slug: str) -> HttpResponse:
    """Browse by domain and theme, filter by kind and status, search in both languages."""
    edition = edition_for(request.user, slug)
    can_see_drafts = request.user.has_perm("catalogue.view_unpublished")
    form = CatalogueFilterForm(request.GET or None, edition=edition, show_status=can_see_drafts)
    queryset = Recommendation.objects.visible_to(request.user).filter(edition=edition)
    queryset = (
        form.apply(queryset)
        .select_related("domain", "theme__domain")
        .order_by("domain__number", "-kind", "number")
    )
    page, query_string = paginate(request, queryset)
    groups: dict = {}
    notices = notices_for(request.user, page.object_list)
    for recommendation in page.object_list:
        recommendation.notices = notices.get(recommendation.pk, [])
        groups.setdefault(recommendation.domain, []).append(recommendation)
    context = {
        "edition": edition,
        "form": form,
        "page": page,
        "groups": groups,
        "total": page.paginator.count,
        "can_see_drafts": can_see_drafts,
        "query_string": query_string,
    }
    template = "catalogue/_results.html" if request.htmx else "catalogue/catalogue.html"
    return render(request, template, context)


def recommendation_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    edition = edition_for(request.user, slug)
    recommendation = recommendation_for(request.user, edition, code)
    references = recommendation.references.all()
    grouped_references = [
        (label, [r for r in references if r.kind == kind]) for kind, label in ReferenceKind.choices
    ]
    addressees, addressed_to_all = recommendation.addressed_to()
    return render(
        request,
        "catalogue/recommendation.html",
        {
            "edition": edition,
            "recommendation": recommendation,
            "addressees": addressees,
            "addressed_to_all": addressed_to_all,
            "references": [(label, refs) for label, refs in grouped_references if refs],
            "notices": notices_for(request.user, [recommendation]).get(recommendation.pk, []),
            "versions": recommendation.history.select_related("history_user").all()[:5],
            "version_count": recommendation.history.count(),
        },
    )


def recommendation_history(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Every version (who, when, what) and a readable comparison of any two of them."""
    edition = edition_for(request.user, slug)
    recommendation = recommendation_for(request.user, edition, code)
    versions = list(recommendation.history.select_related("history_user").all())
    comparison = None
    form = CompareVersionsForm(request.GET or None)
    if versions and form.is_bound and form.is_valid():
        by_id = {v.history_id: v for v in versions}
        old, new = by_id.get(form.cleaned_data["old"]), by_id.get(form.cleaned_data["new"])
        if old is None or new is None:
            form.add_error(None, _("Choose two versions of this recommendation."))
        else:
            if old.history_date > new.history_date:
                old, new = new, old
            comparison = {"old": old, "new": new, "fields": _compare(old, new)}
    elif len(versions) >= 2 and not form.is_bound:
        comparison = {
            "old": versions[1],
            "new": versions[0],
            "fields": _compare(versions[1], versions[0]),
        }
    return render(
        request,
        "catalogue/history.html",
        {
            "edition": edition,
            "recommendation": recommendation,
            "versions": versions,
            "form": form,
            "comparison": comparison,
            "show_authors": request.user.is_authenticated,
        },
    )


def _compare(old, new) -> list[dict]:
    rows = text_diffs(old, new, Recommendation)
    for name, label in (
        ("status", _("Status")),
        ("domain_id", _("Work domain")),
        ("theme_id", _("Theme")),
    ):
        if getattr(old, name) != getattr(new, name):
            rows.append(
                {
                    "label": label,
                    "lang": "",
                    "diff": diff_html(str(_display(old, name)), str(_display(new, name))),
                }
            )
    return rows


def _display(version, name: str):
    if name == "status":
        return version.instance.get_status_display() if version.status else ""
    if name == "domain_id":
        return version.domain or ""
    return version.theme or ""


def export_catalogue(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    edition = edition_for(request.user, slug)
    if fmt not in exchange.EXPORTERS:
        raise Http404
    if not request.user.has_perm("catalogue.view_unpublished") and not edition.is_public:
        raise Http404
    exporter = exchange.EXPORTERS[fmt]
    # Visitors without the right to see drafts get the public catalogue only.
    return download_response(
        exporter(edition, public_only=not request.user.has_perm("catalogue.view_unpublished")),
        f"memorandum-{edition.slug}.{fmt}",
    )


@login_required
@permission_required("catalogue.change_recommendation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_catalogue(request: HttpRequest, slug: str) -> HttpResponse:
    edition = get_object_or_404(Edition, slug=slug)
    return imports.import_page(
        request,
        kind=ImportKind.CATALOGUE,
        edition=edition,
        form=ImportForm(request.POST or None, request.FILES or None),
        run=lambda name, content: exchange.import_file(edition, name, content),
        template="catalogue/import.html",
        columns=exchange.COLUMNS,
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_profile(request: HttpRequest) -> HttpResponse:
    """My profile: my zone or organisation, language, and whether visitors see my name."""
    profile, _created = UserProfile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        account_services.update_own_details(
            user=request.user,
            preferred_language=form.cleaned_data["preferred_language"],
            show_name_publicly=form.cleaned_data["show_name_publicly"],
            request=request,
        )
        messages.success(request, _("Your profile was saved."))
        return redirect("catalogue:profile")
    return render(
        request,
        "catalogue/profile.html",
        {
            "form": form,
            "profile": profile,
            "shown_to_visitors": public_name(request.user),
            "name": request.user.get_full_name() or request.user.username,
        },
    )


@login_required
@permission_required("catalogue.change_policezone", raise_exception=True)
@require_http_methods(["GET", "POST"])
def zone_register(request: HttpRequest) -> HttpResponse:
    """The member register: export, import (all or nothing), zones still without an account."""
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = register.import_register(upload.name, upload.read(), request=request)
        if result.ok:
            audit.record(
                audit.Action.IMPORTED,
                request=request,
                target_label="member register",
                what="member_register",
                file=upload.name,
                created=result.created,
                updated=result.updated,
            )
            messages.success(request, result.summary())
            return redirect("catalogue:register")
    context = {
        "form": form,
        "result": result,
        "columns": register.COLUMNS,
        "required": register.REQUIRED,
        "zones": PoliceZone.objects.filter(ended_on=None).count(),
        "ended": PoliceZone.objects.exclude(ended_on=None).count(),
        "without_account": register.zones_without_account(),
    }
    return render(request, "catalogue/register.html", context)


@login_required
@permission_required("catalogue.change_policezone", raise_exception=True)
@require_http_methods(["GET"])
def zone_register_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in register.EXPORTERS:
        raise Http404
    exporter = register.EXPORTERS[fmt]
    response = download_response(exporter(), f"member-register.{fmt}")
    # the corps chiefs' and delegates' e-mail addresses are personal data
    audit.record(
        audit.Action.PERSONAL_DATA_EXPORTED,
        request=request,
        target_label="member register",
        what="member_register",
        format=fmt,
    )
    return response


@login_required
@permission_required("catalogue.add_edition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def next_edition(request: HttpRequest) -> HttpResponse:
    """Start the next edition: the form, the confirmation of what is copied and carried
    over, then the new edition."""
    source = Edition.objects.filter(slug=request.GET.get("from", "")).first()
    form = NextEditionForm(request.POST or None, initial={"source": source})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = succession.succession_plan(data["source"])
        if "confirm" not in request.POST:
            confirmation = next_edition_confirmation(form, plan)
            context = {"confirm": confirmation, "plan": plan, "rule": ACHIEVED_RULE}
            return render(request, "catalogue/next_edition_confirm.html", context)
        try:
            edition = succession.edition_start_next(
                source=data["source"],
                slug=data["slug"],
                texts=form.texts(),
                period_start=data["period_start"],
                period_end=data["period_end"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Edition %(period)s was started.") % {"period": edition.period}
            )
            return redirect(edition)
    return render(request, "catalogue/next_edition.html", {"form": form, "rule": ACHIEVED_RULE})


def edition_changes(request: HttpRequest, slug: str) -> HttpResponse:
    """What changed since the previous memorandum (404 for an edition without one)."""
    edition = edition_for(request.user, slug)
    public_only = not request.user.has_perm("catalogue.view_unpublished")
    changes = succession.changes_since_previous(edition, public_only=public_only)
    if changes is None:
        raise Http404
    return render(
        request,
        "catalogue/changes.html",
        {
            "edition": edition,
            "changes": changes,
            "rule": ACHIEVED_RULE,
            "can_see_drafts": not public_only,
        },
    )

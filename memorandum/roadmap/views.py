"""Roadmap pages: dashboard, follow-up per recommendation, initiative detail and its forms."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from memorandum.catalogue.models import Edition, Recommendation
from memorandum.catalogue.notices import notices_for
from memorandum.catalogue.selectors import edition_for, recommendation_for
from memorandum.imports import views as imports
from memorandum.imports.models import ImportKind
from memorandum.lib import charts
from memorandum.lib.downloads import download_response
from memorandum.roadmap import exchange, report, selectors, services
from memorandum.roadmap.forms import (
    DashboardFilterForm,
    FollowUpImportForm,
    IndicatorForm,
    InitiativeForm,
    MeasurementForm,
    MilestoneDoneForm,
    MilestoneForm,
    PointOfAttentionForm,
    ReportForm,
    UpdateForm,
)
from memorandum.roadmap.models import (
    Initiative,
    InitiativeStatus,
    Measurement,
    Milestone,
    PointOfAttention,
    Update,
    today,
)
from memorandum.roadmap.services import initiative_record_update

SVG = "image/svg+xml"
MAX_CHART_ROWS = 60  # beyond this a bar chart is unreadable; the tables always list everything


def initiative_for(user, edition: Edition, pk: int) -> Initiative:
    """The initiative, if this user may read it (404 otherwise)."""
    return get_object_or_404(
        Initiative.objects.visible_to(user).select_related("edition", "lead_zone"),
        edition=edition,
        pk=pk,
    )


def editable_initiative(user, slug: str, pk: int) -> tuple[Edition, Initiative]:
    edition = edition_for(user, slug)
    initiative = initiative_for(user, edition, pk)
    if not initiative.can_edit(user):
        raise PermissionDenied
    return edition, initiative


def _filtered(request: HttpRequest, edition: Edition):
    initiatives = Initiative.objects.visible_to(request.user).filter(edition=edition)
    form = DashboardFilterForm(
        request.GET or None, edition=edition, initiatives=initiatives, user=request.user
    )
    return form, form.apply(initiatives)


def _recommendations(
    request: HttpRequest, edition: Edition, form: DashboardFilterForm
) -> list[Recommendation]:
    queryset = (
        Recommendation.objects.visible_to(request.user)
        .filter(edition=edition)
        .select_related("domain")
    )
    if form.is_valid() and form.cleaned_data.get("domain"):
        queryset = queryset.filter(domain_id=form.cleaned_data["domain"])
    return list(queryset.order_by("domain__number", "-kind", "number"))


def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Status per domain and recommendation, timeline, overdue milestones, indicators, gaps."""
    edition = edition_for(request.user, slug)
    form, initiatives = _filtered(request, edition)
    listed = list(selectors.with_details(initiatives).order_by("start_date", "id"))
    recommendations = _recommendations(request, edition, form)
    context = {
        "edition": edition,
        "form": form,
        "initiatives": listed,
        "by_domain": selectors.status_by_domain(edition, listed),
        "by_recommendation": selectors.status_by_recommendation(recommendations, listed),
        "statuses": InitiativeStatus.choices,
        "overdue": selectors.overdue_milestones(initiatives),
        "indicators": selectors.indicators_of(initiatives),
        "points": selectors.open_points(initiatives),
        "uncovered": selectors.uncovered(
            recommendations, Initiative.objects.visible_to(request.user).filter(edition=edition)
        ),
        "query": request.GET.urlencode(),
        "today": today(),
        "can_add": request.user.has_perm("roadmap.add_initiative"),
    }
    template = "roadmap/_dashboard.html" if request.htmx else "roadmap/dashboard.html"
    return render(request, template, context)


def status_chart(request: HttpRequest, slug: str, by: str) -> HttpResponse:
    edition = edition_for(request.user, slug)
    form, initiatives = _filtered(request, edition)
    listed = list(selectors.with_details(initiatives))
    if by == "domain":
        rows = selectors.status_by_domain(edition, listed)
        title = _("Initiatives per work domain, by status")
    elif by == "recommendation":
        rows = selectors.status_by_recommendation(_recommendations(request, edition, form), listed)
        title = _("Initiatives per recommendation, by status")
        if len(rows) > MAX_CHART_ROWS:
            # A full-scale edition has hundreds of recommendations: chart those with initiatives.
            rows = [row for row in rows if row.total][:MAX_CHART_ROWS]
    else:
        raise Http404
    svg = charts.status_bars(
        [(row.label, row.counts) for row in rows], title, InitiativeStatus.choices
    )
    return HttpResponse(svg, content_type=SVG)


def timeline_chart(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_for(request.user, slug)
    _form, initiatives = _filtered(request, edition)
    listed = initiatives.prefetch_related("milestones").order_by("start_date", "id")[
        :MAX_CHART_ROWS
    ]
    bars, marks = selectors.timeline_rows(list(listed))
    return HttpResponse(
        charts.timeline(bars, marks, today(), _("Initiatives and milestones")), content_type=SVG
    )


def recommendation_follow_up(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The follow-up form of one recommendation or commitment: all its initiatives."""
    edition = edition_for(request.user, slug)
    recommendation = recommendation_for(request.user, edition, code)
    initiatives = selectors.follow_up(
        recommendation, Initiative.objects.visible_to(request.user).filter(edition=edition)
    )
    for initiative in initiatives:
        initiative.served_lines = [
            pair
            for link in initiative.links.all()
            if link.recommendation_id == recommendation.pk
            for pair in link.action_texts()
        ]
    return render(
        request,
        "roadmap/recommendation.html",
        {
            "edition": edition,
            "recommendation": recommendation,
            "initiatives": initiatives,
            "actions": recommendation.action_items(),
            "can_add": request.user.has_perm("roadmap.add_initiative"),
            # What other apps pin on the recommendation (e.g. impact notes of new missions).
            "notices": notices_for(request.user, [recommendation]).get(recommendation.pk, []),
        },
    )


def initiative_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition = edition_for(request.user, slug)
    initiative = initiative_for(request.user, edition, pk)
    can_edit = initiative.can_edit(request.user)
    return render(
        request,
        "roadmap/initiative.html",
        {
            "edition": edition,
            "initiative": initiative,
            "links": initiative.links.select_related("recommendation"),
            "updates": initiative.updates.select_related("author__profile__zone"),
            "milestones": initiative.milestones.all(),
            "indicators": initiative.indicators.prefetch_related("measurements"),
            "points": initiative.points_of_attention.select_related("raised_by__profile__zone"),
            "can_edit": can_edit,
            # Same rule as Update.attachment_readable_by: no link that 404s for visitors.
            "can_read_private": can_edit or request.user.has_perm("roadmap.view_initiative"),
            "can_raise": request.user.has_perm("roadmap.add_pointofattention") or can_edit,
            "done_form": MilestoneDoneForm(),
            "today": today(),
        },
    )


def small_form(
    request: HttpRequest, edition, initiative, form, title: str, *, multipart: bool = False
) -> HttpResponse:
    """The page of one of the small forms on an initiative (update, milestone, measurement…)."""
    return render(
        request,
        "roadmap/small_form.html",
        {
            "edition": edition,
            "initiative": initiative,
            "form": form,
            "title": title,
            "multipart": multipart,
        },
    )


def saved(request: HttpRequest, form, save: Callable[[], object], done: str, to=None):
    """Run ``save`` on a valid posted form: the redirect after it, or None to show the form again.

    A ``ValidationError`` from the service goes on the form. The redirect goes to ``to``, or to
    what ``save`` returned.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save()
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, done)
    return redirect(to or result)


def initiative_form(request: HttpRequest, edition, form, initiative) -> HttpResponse:
    """The page that creates (``initiative`` None) or edits an initiative."""
    context = {"edition": edition, "form": form, "initiative": initiative}
    return render(request, "roadmap/initiative_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def initiative_create(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.has_perm("roadmap.add_initiative"):
        raise PermissionDenied
    edition = edition_for(request.user, slug)
    initial = {"start_date": today()}
    code = request.GET.get("recommendation", "")
    if code:
        recommendation = recommendation_for(request.user, edition, code)
        initial["serves"] = [str(recommendation.pk)]
    form = InitiativeForm(request.POST or None, initial=initial, edition=edition, user=request.user)
    create = partial(services.initiative_create, edition=edition, form=form)
    return saved(request, form, create, _("The initiative was created.")) or initiative_form(
        request, edition, form, None
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition, initiative = editable_initiative(request.user, slug, pk)
    form = InitiativeForm(
        request.POST or None, instance=initiative, edition=edition, user=request.user
    )
    update = partial(services.initiative_update, form=form)
    return saved(request, form, update, _("The initiative was saved."), initiative) or (
        initiative_form(request, edition, form, initiative)
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition, initiative = editable_initiative(request.user, slug, pk)
    form = UpdateForm(request.POST or None, request.FILES or None, initiative=initiative)

    def record():
        data = form.cleaned_data
        fields = ("text", "date", "status", "progress", "attachment", "attachment_public")
        initiative_record_update(
            initiative=initiative, author=request.user, **{name: data[name] for name in fields}
        )

    return saved(request, form, record, _("The update was recorded."), initiative) or small_form(
        request, edition, initiative, form, _("Record an update"), multipart=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_milestone(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition, initiative = editable_initiative(request.user, slug, pk)
    form = MilestoneForm(request.POST or None, instance=Milestone(initiative=initiative))
    return saved(request, form, form.save, _("The milestone was added."), initiative) or small_form(
        request, edition, initiative, form, _("Add a milestone")
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_milestone(request: HttpRequest, slug: str, pk: int, milestone_pk: int) -> HttpResponse:
    edition, initiative = editable_initiative(request.user, slug, pk)
    milestone = get_object_or_404(initiative.milestones, pk=milestone_pk)
    form = MilestoneForm(request.POST or None, instance=milestone)
    return saved(request, form, form.save, _("The milestone was saved."), initiative) or small_form(
        request, edition, initiative, form, _("Edit the milestone")
    )


@login_required
@require_POST
def milestone_done(request: HttpRequest, slug: str, pk: int, milestone_pk: int) -> HttpResponse:
    edition, initiative = editable_initiative(request.user, slug, pk)
    milestone = get_object_or_404(initiative.milestones, pk=milestone_pk)
    form = MilestoneDoneForm(request.POST)
    if form.is_valid():
        milestone.done_date = form.cleaned_data["done_date"]
        milestone.save(update_fields=["done_date"])
        messages.success(request, _("The milestone is marked done."))
        return redirect(initiative)
    return small_form(
        request,
        edition,
        initiative,
        form,
        _("Mark “%(milestone)s” done") % {"milestone": milestone.title},
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_indicator(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition, initiative = editable_initiative(request.user, slug, pk)
    form = IndicatorForm(
        request.POST or None, instance=initiative.indicators.model(initiative=initiative)
    )
    return saved(request, form, form.save, _("The indicator was added."), initiative) or small_form(
        request, edition, initiative, form, _("Add an indicator")
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_measurement(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition, initiative = editable_initiative(request.user, slug, pk)
    if not initiative.indicators.exists():
        messages.error(request, _("Add an indicator first; measurements belong to an indicator."))
        return redirect(initiative)
    initial = {"date": today(), "indicator": request.GET.get("indicator")}
    form = MeasurementForm(request.POST or None, initial=initial, initiative=initiative)
    form.instance.recorded_by = request.user
    return saved(request, form, form.save, _("The measurement was added."), initiative) or (
        small_form(request, edition, initiative, form, _("Add a measurement"))
    )


@login_required
@require_POST
def delete_measurement(
    request: HttpRequest, slug: str, pk: int, measurement_pk: int
) -> HttpResponse:
    """Remove a mistaken measurement (its history stays in the back office)."""
    _edition, initiative = editable_initiative(request.user, slug, pk)
    get_object_or_404(Measurement, indicator__initiative=initiative, pk=measurement_pk).delete()
    messages.success(request, _("The measurement was removed."))
    return redirect(initiative)


def indicator_chart(request: HttpRequest, slug: str, pk: int, indicator_pk: int) -> HttpResponse:
    edition = edition_for(request.user, slug)
    initiative = initiative_for(request.user, edition, pk)
    indicator = get_object_or_404(initiative.indicators, pk=indicator_pk)
    points = [(m.date, float(m.value)) for m in indicator.measurements.all()]
    title = _("Baseline %(baseline)s (dotted), target %(target)s (dashed)") % {
        "baseline": f"{indicator.baseline.normalize():f}",
        "target": f"{indicator.target.normalize():f}",
    }
    svg = charts.indicator_line(
        points, float(indicator.baseline), float(indicator.target), indicator.unit, title
    )
    return HttpResponse(svg, content_type=SVG)


@login_required
@require_http_methods(["GET", "POST"])
def raise_point(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition = edition_for(request.user, slug)
    initiative = initiative_for(request.user, edition, pk)
    if not (
        request.user.has_perm("roadmap.add_pointofattention") or initiative.can_edit(request.user)
    ):
        raise PermissionDenied
    form = PointOfAttentionForm(
        request.POST or None,
        instance=PointOfAttention(initiative=initiative, raised_by=request.user),
    )
    return saved(
        request, form, form.save, _("The point of attention was added."), initiative
    ) or small_form(request, edition, initiative, form, _("Raise a point of attention"))


@login_required
@require_POST
def resolve_point(request: HttpRequest, slug: str, pk: int, point_pk: int) -> HttpResponse:
    _edition, initiative = editable_initiative(request.user, slug, pk)
    point = get_object_or_404(initiative.points_of_attention, pk=point_pk)
    point.resolved, point.resolved_on = True, today()
    point.save(update_fields=["resolved", "resolved_on"])
    messages.success(request, _("The point of attention is marked resolved."))
    return redirect(initiative)


def update_attachment(request: HttpRequest, slug: str, pk: int, update_pk: int) -> FileResponse:
    """Attachments are served through the initiative's permissions, never as public media."""
    edition = edition_for(request.user, slug)
    initiative = initiative_for(request.user, edition, pk)
    update = get_object_or_404(Update, initiative=initiative, pk=update_pk)
    if not update.attachment_readable_by(request.user):
        raise Http404  # a private attachment does not exist for visitors
    return FileResponse(
        update.attachment.open("rb"), as_attachment=True, filename=update.attachment_name()
    )


def follow_up_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The follow-up form as XLSX (of one recommendation with ?recommendation=R3)."""
    edition = edition_for(request.user, slug)
    initiatives = Initiative.objects.visible_to(request.user).filter(edition=edition).order_by("id")
    name = f"opvolgformulier-{edition.slug}"
    code = request.GET.get("recommendation", "")
    if code:
        recommendation = recommendation_for(request.user, edition, code)
        initiatives = initiatives.filter(recommendations=recommendation)
        name += f"-{recommendation.code}"
    return download_response(exchange.export_xlsx(edition, initiatives), f"{name}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_import(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_for(request.user, slug)
    return imports.import_page(
        request,
        kind=ImportKind.FOLLOW_UP,
        edition=edition,
        form=FollowUpImportForm(request.POST or None, request.FILES or None),
        run=lambda _name, content: exchange.import_xlsx(edition, content, request.user),
        template="roadmap/import.html",
        columns=exchange.COLUMNS,
    )


@login_required
def progress_report(request: HttpRequest, slug: str) -> HttpResponse:
    """Choose a period, a language and a format; the report downloads as PDF or DOCX."""
    edition = edition_for(request.user, slug)
    start, end = ReportForm.default_period()
    form = ReportForm(
        request.GET or None,
        initial={
            "date_from": start,
            "date_to": end,
            "language": request.LANGUAGE_CODE[:2]
            if request.LANGUAGE_CODE[:2] in ("nl", "fr")
            else "nl",
            "format": "pdf",
        },
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        initiatives = Initiative.objects.visible_to(request.user).filter(edition=edition)
        content, _type = report.render(
            edition,
            initiatives,
            data["date_from"],
            data["date_to"],
            data["language"],
            data["format"],
        )
        filename = f"voortgangsrapport-{edition.slug}-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}-{data['language']}.{data['format']}"
        return download_response(content, filename)
    return render(request, "roadmap/report_form.html", {"edition": edition, "form": form})

"""Read endpoints of the catalogue, the assembly, the surveys and the publications, and the
secretariat's catalogue writes. Each reads through the selectors the web pages use, so the
API shows a caller exactly what the site shows them."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, Prefetch
from django.forms import model_to_dict, modelform_factory
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.response import Response

from memorandum.api import serializers as s
from memorandum.api.conventions import ApiView, listing
from memorandum.assembly.models import Decision
from memorandum.catalogue.exchange.formats import COLUMNS
from memorandum.catalogue.models import (
    Edition,
    Recommendation,
    RecommendationKind,
    Status,
    Theme,
    WorkDomain,
)
from memorandum.catalogue.selectors import edition_for, recommendation_for
from memorandum.catalogue.services import next_number
from memorandum.lib.validation import GuardedModelForm, is_plain_number
from memorandum.publication.models import PublicationFile, PublicationVersion
from memorandum.survey import results
from memorandum.survey.models import Survey
from memorandum.survey.views import can_see_results, listed_surveys

EDITION = OpenApiParameter(
    "slug", str, OpenApiParameter.PATH, description="Edition, e.g. 2024-2028"
)


class EditionList(ApiView):
    """Editions the caller may see, newest first, with their phase."""

    serializer_class = s.EditionSerializer

    def get_queryset(self):
        return Edition.objects.visible_to(self.request.user)

    @listing(s.EditionSerializer, "editions_list")
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class EditionDetail(ApiView):
    serializer_class = s.EditionSerializer

    @extend_schema(operation_id="edition_read")
    def get(self, request, slug: str):
        return Response(self.get_serializer(edition_for(request.user, slug)).data)


class DomainList(ApiView):
    """The edition's work domains with their themes (the export's columns)."""

    serializer_class = s.DomainSerializer
    pagination_class = None

    @listing(s.DomainSerializer, "domains_list")
    def get(self, request, slug: str):
        edition = edition_for(request.user, slug)
        domains = WorkDomain.objects.filter(edition=edition).prefetch_related(
            Prefetch("themes", queryset=Theme.objects.select_related("domain"))
        )
        return Response(self.get_serializer(domains, many=True).data)


RECOMMENDATION_FILTERS = [
    OpenApiParameter("domain", int, description="Domain number"),
    OpenApiParameter("theme", str, description="Theme code, e.g. 3.2"),
    OpenApiParameter("kind", str, enum=RecommendationKind.values),
    OpenApiParameter("status", str, enum=Status.values, description="Public: adopted only"),
    OpenApiParameter("q", str, description="Words, accents and case ignored"),
]


def _filter_recommendations(queryset, params):
    if is_plain_number(params.get("domain", "")):
        queryset = queryset.filter(domain__number=int(params["domain"]))
    elif params.get("domain"):
        raise exceptions.ValidationError({"domain": [_("Give a domain number.")]})
    if params.get("theme"):
        domain, _sep, number = params["theme"].partition(".")
        if not (is_plain_number(domain) and is_plain_number(number)):
            raise exceptions.ValidationError({"theme": [_("Give a theme code such as 3.2.")]})
        queryset = queryset.filter(theme__domain__number=int(domain), theme__number=int(number))
    for name in ("kind", "status"):
        if params.get(name):
            queryset = queryset.filter(**{name: params[name]})
    if params.get("q"):
        queryset = queryset.search(params["q"][:200])
    return queryset


class _EditionBoundForm(GuardedModelForm):
    """The edition is not a field (it is the path), but its unique number rule must still be
    checked by the form: a number already taken is a 400 with the form's message, not an
    ``IntegrityError``."""

    def _get_validation_exclusions(self):
        return set(super()._get_validation_exclusions()) - {"edition"}


RecommendationForm = modelform_factory(
    Recommendation,
    form=_EditionBoundForm,
    fields=[c for c in COLUMNS["recommendations"]],
)


def _form_data(edition: Edition, data: dict, instance: Recommendation | None) -> dict:
    """The API's codes (domain number, theme 3.2, addressee and reference orders) as the form's
    choices; an unknown code becomes a value the form refuses with its own message."""
    fields = RecommendationForm._meta.fields
    form_data = model_to_dict(instance, fields=fields) if instance is not None else {}
    for name in ("addressees", "references"):
        form_data[name] = [obj.pk for obj in form_data.get(name, [])]
    form_data.update(
        {k: v for k, v in data.items() if k not in ("domain", "theme", "addressees", "references")}
    )
    if "domain" in data:
        domain = edition.domains.filter(number=data["domain"]).first()
        form_data["domain"] = domain.pk if domain else 0
    if data.get("theme"):
        domain_number, _sep, number = str(data["theme"]).partition(".")
        theme = None
        if is_plain_number(domain_number) and is_plain_number(number):
            theme = Theme.objects.filter(
                domain__edition=edition, domain__number=int(domain_number), number=int(number)
            ).first()
        form_data["theme"] = theme.pk if theme else 0
    elif "theme" in data:
        form_data["theme"] = None
    for name, related in (("addressees", edition.addressees), ("references", edition.references)):
        if name in data:
            found = dict(related.filter(order__in=data[name]).values_list("order", "pk"))
            form_data[name] = [found.get(order, 0) for order in data[name]]
    if instance is None:
        form_data.setdefault("status", Status.DRAFT)
        if "number" not in form_data and form_data.get("kind") in RecommendationKind.values:
            form_data["number"] = next_number(edition, form_data["kind"])
    return form_data


def _save_recommendation(request, edition: Edition, instance: Recommendation | None):
    perm = "catalogue.change_recommendation" if instance else "catalogue.add_recommendation"
    if not request.user.has_perm(perm):
        raise exceptions.PermissionDenied()
    serializer = s.RecommendationWriteSerializer(data=request.data, partial=instance is not None)
    serializer.is_valid(raise_exception=True)
    form = RecommendationForm(
        data=_form_data(edition, serializer.validated_data, instance),
        instance=instance or Recommendation(edition=edition),
    )
    for name in ("domain", "theme"):
        form.fields[name].queryset = form.fields[name].queryset.filter(
            **({"edition": edition} if name == "domain" else {"domain__edition": edition})
        )
    form.fields["addressees"].queryset = edition.addressees.all()
    form.fields["references"].queryset = edition.references.all()
    if not form.is_valid():
        raise exceptions.ValidationError({name: list(errs) for name, errs in form.errors.items()})
    with transaction.atomic():
        recommendation = form.save(commit=False)
        if instance is None and "number" not in serializer.validated_data:
            # the number checked above was provisional: taken again under the edition's lock,
            # so that two creations at the same moment do not both get it
            recommendation.number = next_number(edition, recommendation.kind)
        recommendation._change_reason = "api"
        recommendation.save()
        form.save_m2m()
    return recommendation


class RecommendationList(ApiView):
    """Recommendations and commitments the caller may see (the public: adopted ones of
    published editions), with the catalogue export's columns. The secretariat may POST."""

    serializer_class = s.RecommendationSerializer

    def get_queryset(self):
        return (
            Recommendation.objects.visible_to(self.request.user)
            .select_related("edition", "domain", "theme__domain")
            .prefetch_related("addressees", "references")
            .order_by("-kind", "number")
        )

    @listing(
        s.RecommendationSerializer,
        "recommendations_list",
        parameters=[EDITION, *RECOMMENDATION_FILTERS],
    )
    def get(self, request, slug: str):
        edition = edition_for(request.user, slug)
        queryset = _filter_recommendations(self.get_queryset().filter(edition=edition), request.GET)
        self.last_modified = queryset.aggregate(last=Max("updated_at"))["last"]
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="recommendation_create",
        request=s.RecommendationWriteSerializer,
        responses={201: s.RecommendationSerializer},
    )
    def post(self, request, slug: str):
        edition = edition_for(request.user, slug)
        recommendation = _save_recommendation(request, edition, None)
        return Response(self.get_serializer(recommendation).data, status=201)


class RecommendationDetail(ApiView):
    serializer_class = s.RecommendationSerializer

    def _get(self, request, slug: str, code: str) -> tuple[Edition, Recommendation]:
        edition = edition_for(request.user, slug)
        return edition, recommendation_for(request.user, edition, code)

    @extend_schema(operation_id="recommendation_read")
    def get(self, request, slug: str, code: str):
        _edition, recommendation = self._get(request, slug, code)
        self.last_modified = recommendation.updated_at
        return Response(self.get_serializer(recommendation).data)

    @extend_schema(
        operation_id="recommendation_update",
        request=s.RecommendationWriteSerializer,
        responses=s.RecommendationSerializer,
    )
    def patch(self, request, slug: str, code: str):
        edition, recommendation = self._get(request, slug, code)
        recommendation = _save_recommendation(request, edition, recommendation)
        return Response(self.get_serializer(recommendation).data)


class RecommendationVersions(ApiView):
    """Every stored version of a recommendation, newest first (as on its history page)."""

    serializer_class = s.VersionSerializer

    @listing(s.VersionSerializer, "recommendation_versions_list")
    def get(self, request, slug: str, code: str):
        edition = edition_for(request.user, slug)
        recommendation = recommendation_for(request.user, edition, code)
        page = self.paginate_queryset(
            recommendation.history.order_by("-history_date", "-history_id")
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class DecisionList(ApiView):
    """Decisions of the General Assembly: published ones (with their minutes) for everyone,
    pending ones too for the secretariat and assembly members."""

    serializer_class = s.DecisionSerializer

    @listing(
        s.DecisionSerializer,
        "decisions_list",
        parameters=[OpenApiParameter("recommendation", str, description="e.g. R3")],
    )
    def get(self, request, slug: str):
        edition = edition_for(request.user, slug)
        decisions = (
            Decision.objects.visible_to(request.user)
            .filter(item__meeting__edition=edition)
            .select_related("item__meeting", "item__recommendation", "merge_into")
            .order_by("item__meeting__starts_at", "item__order", "pk")
        )
        code = request.GET.get("recommendation", "")
        if code:
            try:
                decisions = decisions.filter(
                    item__recommendation=recommendation_for(request.user, edition, code)
                )
            except Http404:
                decisions = decisions.none()
        page = self.paginate_queryset(decisions)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class PublicationList(ApiView):
    """Published versions of the memorandum with their files (links and SHA-256)."""

    serializer_class = s.PublicationSerializer

    @listing(s.PublicationSerializer, "publications_list")
    def get(self, request, slug: str):
        edition = edition_for(request.user, slug)
        files = PublicationFile.objects.defer("content").select_related("version__edition")
        versions = (
            PublicationVersion.objects.for_edition(edition)
            .latest_first()
            .select_related("edition")
            .prefetch_related(Prefetch("files", queryset=files))
        )
        page = self.paginate_queryset(versions)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def _surveys(request, edition: Edition):
    """The surveys the web's survey list shows this caller (``survey.views.listed_surveys``)."""
    listed = [survey.pk for survey in listed_surveys(request.user, edition)]
    return Survey.objects.filter(pk__in=listed).select_related("edition")


class SurveyList(ApiView):
    serializer_class = s.SurveySerializer

    @listing(s.SurveySerializer, "surveys_list")
    def get(self, request, slug: str):
        page = self.paginate_queryset(_surveys(request, edition_for(request.user, slug)))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class SurveyDetail(ApiView):
    serializer_class = s.SurveySerializer

    @extend_schema(operation_id="survey_read")
    def get(self, request, slug: str, pk: int):
        survey = get_object_or_404(_surveys(request, edition_for(request.user, slug)), pk=pk)
        return Response(self.get_serializer(survey).data)


class SurveyResults(ApiView):
    """The published result: order, bootstrap intervals, the method, participation — read
    through ``publishable_rows`` (no scores when withheld, nothing below k ballots)."""

    serializer_class = s.ResultsSerializer

    @extend_schema(operation_id="survey_results_read")
    def get(self, request, slug: str, pk: int):
        survey = get_object_or_404(_surveys(request, edition_for(request.user, slug)), pk=pk)
        tally = survey.latest_tally()
        if tally is None or not can_see_results(request.user, survey):
            raise Http404
        view = results.view_model(survey, tally)
        rows = results.publishable_rows(survey, tally)
        self.last_modified = tally.created_at
        data = {
            "survey": survey.pk,
            "method": view["method"],
            "interval_level_percent": view["level_percent"],
            "min_group": view["min_group"],
            "ballots": view["ballots"],
            "tallied_at": tally.created_at,
            "withheld": not rows and bool(view["order"]) or view["withheld"],
            "scores_withheld": view["scores_withheld"],
            "participation": view["participation"],
            "participation_rows": [
                {k: row[k] for k in ("kind", "label", "expected", "voted", "percent")}
                for row in view["participation_rows"]
            ],
            "rows": rows,
        }
        return Response(self.get_serializer(data).data)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
def not_found(request, *args, **kwargs):
    raise Http404

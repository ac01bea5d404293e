"""The roadmap: initiatives with milestones, indicators and measurements, and updates, as the
follow-up pages show them; owners (and the secretariat) record progress through the same
forms and service as on the site."""

from __future__ import annotations

from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from memorandum.api.conventions import ApiView, listing
from memorandum.api.serializers import Link, Text
from memorandum.catalogue.people import public_name
from memorandum.catalogue.selectors import edition_for
from memorandum.lib.validation import is_plain_number
from memorandum.roadmap.forms import MeasurementForm, MilestoneDoneForm, UpdateForm
from memorandum.roadmap.models import Initiative, InitiativeStatus, today
from memorandum.roadmap.selectors import with_details
from memorandum.roadmap.services import initiative_record_update
from memorandum.roadmap.views import editable_initiative, initiative_for


class MeasurementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    note = serializers.CharField()


class IndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name_nl = serializers.CharField()
    name_fr = serializers.CharField()
    unit = serializers.CharField()
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2)
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    direction = serializers.CharField()
    achievement = serializers.IntegerField(allow_null=True, help_text="% from baseline to target")
    measurements = MeasurementSerializer(many=True)


class MilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title_nl = serializers.CharField()
    title_fr = serializers.CharField()
    due_date = serializers.DateField()
    done_date = serializers.DateField(allow_null=True)


class UpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    author = serializers.SerializerMethodField()
    text = serializers.CharField()
    status_before = serializers.CharField()
    status_after = serializers.CharField()
    progress_after = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()

    @extend_schema_field(str)
    def get_author(self, update) -> str:
        """As on the page: visitors see the zone or organisation unless the person opted in."""
        return public_name(update.author, self.context["request"].user)


class InitiativeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    edition = serializers.CharField(source="edition.slug")
    title_nl = serializers.CharField()
    title_fr = serializers.CharField()
    description_nl = serializers.CharField()
    description_fr = serializers.CharField()
    serves = serializers.SerializerMethodField()
    lead_organisation = serializers.CharField()
    lead_zone = serializers.CharField(source="lead_zone.code", allow_null=True)
    partners = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=InitiativeStatus.values)
    progress = serializers.IntegerField()
    is_public = serializers.BooleanField()
    is_synthetic = serializers.BooleanField()
    last_update = serializers.DateField(source="last_update_date", allow_null=True)
    updated_at = serializers.DateTimeField()
    milestones = MilestoneSerializer(many=True, source="milestones.all")
    indicators = IndicatorSerializer(many=True, source="indicators.all")
    web_url = Link()

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_serves(self, initiative) -> list[str]:
        """Recommendation codes, with action lines as ``R3.2``."""
        return [code for link in initiative.links.all() for code in link.codes()]


class InitiativeDetailSerializer(InitiativeSerializer):
    updates = UpdateSerializer(many=True, source="updates.all")


ROADMAP_FILTERS = [
    OpenApiParameter("status", str, enum=InitiativeStatus.values),
    OpenApiParameter("domain", int, description="Serves a recommendation of this domain"),
    OpenApiParameter("lead", str, description="Lead body, exactly"),
    OpenApiParameter("owner", str, enum=["me"], description="Only the initiatives I own"),
]


class InitiativeList(ApiView):
    """Initiatives the caller may read: the public sees public initiatives of published
    editions; members with a role all of a visible edition; owners always their own."""

    serializer_class = InitiativeSerializer

    @listing(InitiativeSerializer, "initiatives_list", parameters=ROADMAP_FILTERS)
    def get(self, request, slug: str):
        edition = edition_for(request.user, slug)
        initiatives = Initiative.objects.visible_to(request.user).filter(edition=edition)
        params = request.GET
        if params.get("status"):
            initiatives = initiatives.filter(status=params["status"])
        if params.get("domain"):
            if not is_plain_number(params["domain"]):
                raise exceptions.ValidationError({"domain": [_("Give a domain number.")]})
            initiatives = initiatives.filter(
                recommendations__domain__number=int(params["domain"])
            ).distinct()
        if params.get("lead"):
            initiatives = initiatives.filter(lead_organisation=params["lead"])
        if params.get("owner") == "me":
            initiatives = initiatives.filter(owners=request.user.pk or 0)
        self.last_modified = initiatives.aggregate(last=Max("updated_at"))["last"]
        page = self.paginate_queryset(with_details(initiatives).order_by("start_date", "id"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class InitiativeDetail(ApiView):
    serializer_class = InitiativeDetailSerializer

    @extend_schema(operation_id="initiative_read")
    def get(self, request, slug: str, pk: int):
        edition = edition_for(request.user, slug)
        initiative = initiative_for(request.user, edition, pk)
        initiative = with_details(Initiative.objects.filter(pk=initiative.pk)).prefetch_related(
            "updates__author__profile__zone"
        )[0]
        self.last_modified = initiative.updated_at
        return Response(self.get_serializer(initiative).data)


def _valid_form(request, given, form_class, defaults: dict, **kwargs):
    """The JSON body checked for shape by ``given``, then validated by the site's own form
    (its rules and messages); a refusal is a 400 with the form's field errors."""
    body = given(data=request.data)
    body.is_valid(raise_exception=True)
    form = form_class({**defaults, **body.validated_data}, **kwargs)
    if not form.is_valid():
        raise exceptions.ValidationError({name: list(errs) for name, errs in form.errors.items()})
    return form


class UpdateWrite(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="Default: today (Brussels).")
    text = Text()
    status = serializers.ChoiceField(choices=InitiativeStatus.values, required=False)
    progress = serializers.IntegerField(required=False, allow_null=True)


class CreateOnInitiative(ApiView):
    """A POST that adds something to an initiative its owners (or the secretariat) may edit,
    checked by the site's own form; the answer is what was added, with 201."""

    write: type[serializers.Serializer]
    form_class: type

    def create(self, request, initiative, form):
        raise NotImplementedError

    def post(self, request, slug: str, pk: int):
        _edition, initiative = editable_initiative(request.user, slug, pk)
        # What a client may leave out: today's date, no note, the status unchanged.
        defaults = {"date": today(), "note": "", "status": ""}
        form = _valid_form(request, self.write, self.form_class, defaults, initiative=initiative)
        return Response(self.get_serializer(self.create(request, initiative, form)).data, 201)


def _creates(operation_id: str, write, serializer):
    """The schema of a :class:`CreateOnInitiative`: that body in, that object out."""
    schema = extend_schema(operation_id=operation_id, request=write, responses={201: serializer})
    return extend_schema_view(post=schema)


@_creates("initiative_update_create", UpdateWrite, UpdateSerializer)
class UpdateCreate(CreateOnInitiative):
    """Record a progress update (an owner or the secretariat), as the “Record an update” form."""

    serializer_class, write, form_class = UpdateSerializer, UpdateWrite, UpdateForm

    def create(self, request, initiative, form):
        return initiative_record_update(
            initiative=initiative, author=request.user, **form.cleaned_data
        )


class MilestoneDoneWrite(serializers.Serializer):
    done_date = serializers.DateField(required=False, help_text="Default: today (Brussels).")


class MilestoneDone(ApiView):
    """Mark a milestone done, as the “Done” button on the initiative page."""

    serializer_class = MilestoneSerializer

    @extend_schema(
        operation_id="milestone_done", request=MilestoneDoneWrite, responses=MilestoneSerializer
    )
    def post(self, request, slug: str, pk: int, milestone: int):
        _edition, initiative = editable_initiative(request.user, slug, pk)
        target = get_object_or_404(initiative.milestones, pk=milestone)
        form = _valid_form(request, MilestoneDoneWrite, MilestoneDoneForm, {"done_date": today()})
        target.done_date = form.cleaned_data["done_date"]
        target.save(update_fields=["done_date"])
        return Response(self.get_serializer(target).data)


class MeasurementWrite(serializers.Serializer):
    indicator = serializers.IntegerField()
    date = serializers.DateField(required=False, help_text="Default: today (Brussels).")
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    note = Text(required=False, allow_blank=True)


@_creates("measurement_create", MeasurementWrite, MeasurementSerializer)
class MeasurementCreate(CreateOnInitiative):
    """Add a measurement to one of the initiative's indicators."""

    serializer_class, write, form_class = MeasurementSerializer, MeasurementWrite, MeasurementForm

    def create(self, request, initiative, form):
        form.instance.recorded_by = request.user
        return form.save()

"""What the API shows of each object. Content comes in both content languages (``*_nl``,
``*_fr``); codes (``R3``, domain numbers, theme ``3.2``) are the stable identifiers, as in
the catalogue export, so a client can switch between the export and the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from memorandum.catalogue.exchange.formats import COLUMNS, EDITION_FIELDS
from memorandum.catalogue.models import Edition, Recommendation, WorkDomain
from memorandum.lib.bilingual import bilingual_columns


class Link(serializers.Field):
    """The absolute address of an object's web page."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


Link = extend_schema_field({"type": "string", "format": "uri"})(Link)


class EditionSerializer(serializers.ModelSerializer):
    """The edition with the fields of the catalogue export's header."""

    web_url = Link()

    class Meta:
        model = Edition
        fields = [*EDITION_FIELDS, "web_url"]


class ThemeSerializer(serializers.Serializer):
    code = serializers.CharField()
    number = serializers.IntegerField()
    name_nl = serializers.CharField()
    name_fr = serializers.CharField()


class DomainSerializer(serializers.ModelSerializer):
    themes = ThemeSerializer(many=True, read_only=True)

    class Meta:
        model = WorkDomain
        fields = [*COLUMNS["domains"], "themes"]


def _recommendation_fields() -> dict[str, serializers.Field]:
    """The export's recommendation columns (``COLUMNS["recommendations"]``), as fields."""
    special = {
        "domain": lambda: serializers.IntegerField(
            source="domain.number", help_text="Domain number."
        ),
        "theme": lambda: serializers.CharField(
            source="theme.code", allow_null=True, help_text="Theme code, e.g. 3.2."
        ),
        "number": serializers.IntegerField,
        "addressees": serializers.SerializerMethodField,
        "references": serializers.SerializerMethodField,
    }
    return {name: special.get(name, serializers.CharField)() for name in COLUMNS["recommendations"]}


class _Orders:
    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_addressees(self, obj) -> list[int]:
        return [a.order for a in obj.addressees.all()]

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_references(self, obj) -> list[int]:
        return [r.order for r in obj.references.all()]


RecommendationSerializer = type(
    "RecommendationSerializer",
    (_Orders, serializers.Serializer),
    {
        "__doc__": "A recommendation or commitment with the columns of the catalogue export.",
        "code": serializers.CharField(help_text="R3 or C2: stable within the edition."),
        "edition": serializers.CharField(source="edition.slug"),
        **_recommendation_fields(),
        "updated_at": serializers.DateTimeField(),
        "web_url": Link(),
    },
)


class Text(serializers.CharField):
    """A text a client writes: a JSON string and nothing else.

    DRF's ``CharField`` turns a number into its text, so ``{"text": 1e999}`` (a float the
    JSON reader makes infinite) was stored as "inf", and ``12`` as "12"; a client that sends
    a number where text belongs has made a mistake it should hear about. The error is under
    the field's name, like every other (:mod:`memorandum.api.problems`)."""

    default_error_messages = {
        "number": _("Send this as text (a JSON string in quotes), not as a number.")
    }

    def to_internal_value(self, data):
        # DRF already refuses true/false, lists and objects ("Not a valid string.").
        if isinstance(data, int | float) and not isinstance(data, bool):
            self.fail("number")
        return super().to_internal_value(data)


def Small(**kwargs) -> serializers.IntegerField:
    """A number, order or code part: what a ``PositiveSmallIntegerField`` can hold."""
    return serializers.IntegerField(min_value=1, max_value=32767, **kwargs)


class RecommendationWriteSerializer(serializers.Serializer):
    """What the secretariat sends: the export's columns (all optional on PATCH).

    Validation is the back office's form (``GuardedModelForm`` over ``Recommendation``)."""

    kind = serializers.ChoiceField(choices=["recommendation", "commitment"])
    number = Small(required=False, help_text="Free number when left out.")
    domain = Small(help_text="Domain number.")
    theme = Text(required=False, allow_null=True, allow_blank=True)
    status = Text(required=False)
    addressees = serializers.ListField(child=Small(), required=False, max_length=500)
    references = serializers.ListField(child=Small(), required=False, max_length=500)


def _with_text_columns(
    serializer: type[serializers.Serializer],
    field: type[serializers.CharField] = serializers.CharField,
    **options,
) -> None:
    """Declare a ``field(**options)`` for each text column of a recommendation
    (``title_nl``, ``title_fr``, …), as the model declares them."""
    for column in bilingual_columns(Recommendation):
        serializer._declared_fields[column] = field(**options)


_with_text_columns(RecommendationWriteSerializer, Text, required=False, allow_blank=True)


class VersionSerializer(serializers.Serializer):
    """One stored version of a recommendation (django-simple-history)."""

    version = serializers.IntegerField(source="history_id")
    date = serializers.DateTimeField(source="history_date")
    change = serializers.CharField(source="history_change_reason", allow_null=True)
    status = serializers.CharField()


_with_text_columns(VersionSerializer)


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meeting_date = serializers.DateTimeField(source="item.meeting.starts_at")
    recommendation = serializers.CharField(source="item.recommendation.code", allow_null=True)
    subject_nl = serializers.CharField(source="item.subject_nl")
    subject_fr = serializers.CharField(source="item.subject_fr")
    kind = serializers.CharField()
    carried = serializers.BooleanField()
    votes_for = serializers.IntegerField()
    votes_against = serializers.IntegerField()
    abstentions = serializers.IntegerField()
    corrects = serializers.IntegerField(source="supersedes_id", allow_null=True)
    correction_reason = serializers.CharField()
    merge_into = serializers.CharField(source="merge_into.code", allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)


_with_text_columns(DecisionSerializer, help_text="The amended text (amendments only).")


class PublicationFileSerializer(serializers.Serializer):
    lang = serializers.CharField()
    format = serializers.CharField(source="fmt")
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = Link()


class PublicationSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    snapshot_sha256 = serializers.CharField()
    survey = serializers.IntegerField(source="survey_id", allow_null=True)
    files = PublicationFileSerializer(source="listed_files", many=True)
    web_url = Link()


class SurveySerializer(serializers.Serializer):
    """What the survey list shows: never a zone's ballot or participation."""

    id = serializers.IntegerField()
    title_nl = serializers.CharField()
    title_fr = serializers.CharField()
    status = serializers.CharField()
    items = serializers.CharField()
    ballot_form = serializers.CharField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    weighting = serializers.CharField()
    anonymity = serializers.CharField()
    primary_method = serializers.CharField()
    min_group = serializers.IntegerField()
    is_synthetic = serializers.BooleanField()
    web_url = Link()


class ResultRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    title_nl = serializers.CharField(source="title.nl")
    title_fr = serializers.CharField(source="title.fr")
    rank = serializers.IntegerField()
    score = serializers.FloatField(allow_null=True)
    rank_low = serializers.IntegerField()
    rank_high = serializers.IntegerField()


class ParticipationSerializer(serializers.Serializer):
    expected = serializers.IntegerField()
    voted = serializers.IntegerField()
    percent = serializers.IntegerField()


class ParticipationRowSerializer(ParticipationSerializer):
    """The participation of one region or province."""

    kind = serializers.CharField()
    label = serializers.CharField()


class ResultsSerializer(serializers.Serializer):
    survey = serializers.IntegerField()
    method = serializers.CharField(help_text="The primary method, in the caller's language.")
    interval_level_percent = serializers.IntegerField(
        help_text="rank_low–rank_high: bootstrap interval at this level."
    )
    min_group = serializers.IntegerField(help_text="Smallest group of ballots shown (k).")
    ballots = serializers.IntegerField()
    tallied_at = serializers.DateTimeField()
    withheld = serializers.BooleanField(help_text="True: too few ballots to show an order.")
    scores_withheld = serializers.BooleanField()
    participation = ParticipationSerializer()
    participation_rows = ParticipationRowSerializer(many=True)
    rows = ResultRowSerializer(many=True)

"""Back-office views of surveys: read-mostly, since writes go through the survey pages."""

from django.contrib import admin

from memorandum.lib.bilingual import bilingual_columns
from memorandum.lib.validation import GuardedAdminMixin
from memorandum.survey.models import (
    Ballot,
    Invitation,
    InvitationMail,
    Survey,
    SurveyItem,
    Tally,
    TallyRun,
)


@admin.register(Survey)
class SurveyAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = [
        *bilingual_columns(Survey),
        "edition",
        "ballot_form",
        "status",
        "opens_at",
        "closes_at",
        "is_synthetic",
    ]
    list_filter = ["edition", "status", "ballot_form", "is_synthetic"]
    search_fields = bilingual_columns(Survey)

    def get_readonly_fields(self, request, obj=None):
        # What zones were promised when they answered cannot change behind their backs.
        if obj is not None and obj.status != "draft":
            fixed = [
                "anonymity",
                "weighting",
                "min_group",
                "ballot_form",
                "items",
                "top_n",
                "status",
            ]
            # The window too: receipts and anonymous time stamps are read against it.
            fixed += ["opens_at", "closes_at", "left_out_codes"]
            return fixed
        return []


@admin.register(Invitation)
class InvitationAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["zone", "survey", "recipient", "sent_at", "reminded_at", "revoked_at"]
    list_filter = ["survey"]
    search_fields = [
        "zone__code",
        "zone__name_nl",
        "zone__name_fr",
        "delegate_name",
        "delegate_email",
    ]
    readonly_fields = ["survey", "zone", "sent_at", "reminded_at", "revoked_at"]
    exclude = ["token_hash"]  # only useful to the link's holder; never shown

    def has_add_permission(self, request) -> bool:
        # Survey and zone are read-only here: invitations are sent from the survey's page.
        return False


@admin.register(Ballot)
class BallotAdmin(GuardedAdminMixin, admin.ModelAdmin):
    """Ballots are evidence: they can be read here, never edited or deleted.

    The answers of an anonymous survey (its drafts as well as its ballots) are never shown:
    a draft still belongs to its zone, and a submitted ballot's answers together with its
    province and weight class could narrow it down to a few zones.
    """

    # No receipt in the list: an anonymous ballot's receipt is hidden on its page too.
    list_display = ["survey", "zone", "province", "region", "status", "submitted_at"]
    list_filter = ["survey", "status", "region"]
    list_select_related = ["survey", "zone"]
    exclude = ["receipt_salt"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and obj.survey.is_anonymous:
            return [f for f in fields if f not in ANONYMOUS_HIDDEN]
        return fields

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# What the back office never shows of an anonymous survey's drafts and ballots.
ANONYMOUS_HIDDEN = {"payload", "receipt", "receipt_salt", "cast_by", "updated_at"}


@admin.register(Tally)
class TallyAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = [
        "survey",
        "method",
        "seed",
        "replicates",
        "ballot_count",
        "snapshot_hash",
        "created_at",
    ]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SurveyItem)
class SurveyItemAdmin(admin.ModelAdmin):
    """Frozen items are the record of what a survey asked: readable, never editable.

    They go only with their survey (deleting a survey deletes its items).
    """

    list_display = ["code", "title_nl", "survey", "position", "frozen_at"]
    list_filter = ["survey"]
    search_fields = ["code", *bilingual_columns(SurveyItem, ["title"])]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(InvitationMail)
class InvitationMailAdmin(admin.ModelAdmin):
    """The outbox, read-only: the worker writes it; the survey page acts on it."""

    list_display = ["invitation", "kind", "recipient", "status", "attempts", "last_attempt_at"]
    list_filter = ["status", "kind", "invitation__survey"]
    # Read in the order of what happened; the queue's own fields (``QueuedWork``) would
    # otherwise come first.
    fields = [
        "invitation",
        "kind",
        "recipient",
        "status",
        "created_at",
        "attempts",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
        "error",
    ]
    search_fields = [
        "recipient",
        "invitation__zone__code",
        "invitation__zone__name_nl",
        "invitation__zone__name_fr",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TallyRun)
class TallyRunAdmin(admin.ModelAdmin):
    list_display = ["survey", "status", "created_at", "finished_at", "error"]
    list_filter = ["status"]
    fields = [
        "survey",
        "status",
        "created_at",
        "started_at",
        "step",
        "progress",
        "finished_at",
        "tally",
        "error",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

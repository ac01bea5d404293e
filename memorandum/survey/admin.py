"""Back-office views of surveys: read-mostly, since writes go through the survey pages."""

from django.contrib import admin

from memorandum.lib.validation import GuardedAdminMixin
from memorandum.survey.models import Ballot, Invitation, Survey, Tally


@admin.register(Survey)
class SurveyAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = [
        "title_nl",
        "title_fr",
        "edition",
        "ballot_form",
        "status",
        "opens_at",
        "closes_at",
        "is_synthetic",
    ]
    list_filter = ["edition", "status", "ballot_form", "is_synthetic"]
    search_fields = ["title_nl", "title_fr"]


@admin.register(Invitation)
class InvitationAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["zone", "survey", "recipient", "sent_at", "reminded_at", "revoked_at"]
    list_filter = ["survey"]
    search_fields = ["zone__code", "zone__name", "delegate_name", "delegate_email"]
    readonly_fields = ["survey", "zone", "sent_at", "reminded_at", "revoked_at"]
    exclude = ["token_hash"]  # only useful to the link's holder; never shown


@admin.register(Ballot)
class BallotAdmin(GuardedAdminMixin, admin.ModelAdmin):
    """Ballots are evidence: they can be read here, never edited."""

    list_display = ["survey", "zone", "province", "region", "status", "submitted_at", "receipt"]
    list_filter = ["survey", "status", "region"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


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

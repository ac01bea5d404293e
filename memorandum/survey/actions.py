"""What the secretariat's survey actions will do, said before they are done.

Each action of the survey page (open, invite, remind, close and count, resend failed
e-mails, count again) and of an invitation (send again, new link, revoke) has a
:class:`~memorandum.lib.confirm.Confirmation`: the GET of the action's URL shows it, the
POST does the action (:func:`survey_action_do`, :func:`invitation_action_do`). ``blocked``
says why an action cannot be done now; the POST refuses it with the same sentence, as a
:class:`~memorandum.survey.services.SurveyRefused`. The state transitions (open, close,
count) take that sentence from their own rule in :mod:`memorandum.survey.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from memorandum.catalogue.models import PoliceZone
from memorandum.lib.confirm import Confirmation
from memorandum.survey import counting, mail, participation, services
from memorandum.survey import items as survey_items
from memorandum.survey.models import Invitation, MailStatus, Survey, SurveyStatus

SURVEY_ACTIONS = ("open", "invite", "remind", "close", "resend_failed", "requeue", "count")

# What an e-mail action did, in a sentence; ``% {"count": n}`` picks the plural by n.
MAILS_DONE = {
    "invite": ngettext_lazy(
        "%(count)s invitation is being sent; its status is shown below.",
        "%(count)s invitations are being sent; their status is shown below.",
        "count",
    ),
    "remind": ngettext_lazy(
        "%(count)s reminder is being sent to a zone that has not answered.",
        "%(count)s reminders are being sent to zones that have not answered.",
        "count",
    ),
    "resend_failed": ngettext_lazy(
        "%(count)s failed e-mail is being sent again.",
        "%(count)s failed e-mails are being sent again.",
        "count",
    ),
    "requeue": ngettext_lazy(
        "%(count)s waiting e-mail was queued again.",
        "%(count)s waiting e-mails were queued again.",
        "count",
    ),
}
INVITATION_ACTIONS = ("resend", "new_link", "revoke")


def _local(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _not_open() -> str:
    return _("This can only be done while the survey is open.")


def survey_confirmation(survey: Survey, action: str) -> Confirmation:
    """The confirmation of a survey action (``action`` in :data:`SURVEY_ACTIONS`)."""
    back = survey.get_absolute_url()
    is_open = survey.status == SurveyStatus.OPEN
    if action == "open":
        chosen = survey_items.selected_items(survey) if survey.status == SurveyStatus.DRAFT else []
        return Confirmation(
            title=_("Open the survey?"),
            consequences=[
                _("Zones can answer from %(opens)s until %(closes)s (Brussels time).")
                % {"opens": _local(survey.opens_at), "closes": _local(survey.closes_at)},
                ngettext(
                    "Its %(count)s item is frozen as it stands now: later changes to the catalogue never reach the ballots.",
                    "Its %(count)s items are frozen as they stand now: later changes to the catalogue never reach the ballots.",
                    len(chosen),
                )
                % {"count": len(chosen)},
                _("No e-mail is sent yet: you send the invitations in the next step."),
            ],
            button=_("Open the survey"),
            cancel_url=back,
            blocked=services.open_refusal(survey),
        )
    if action == "invite":
        invited = survey.invitations.values_list("zone_id", flat=True)
        zones = list(
            PoliceZone.objects.filter(ended_on=None).exclude(pk__in=invited).order_by("code")
        )
        to_invite = [z for z in zones if z.email]
        skipped = [z for z in zones if not z.email]
        n = len(to_invite)
        consequences = [
            ngettext(
                "%(count)s zone receives an e-mail with its personal link, in its language.",
                "%(count)s zones receive an e-mail with their personal link, in their language.",
                n,
            )
            % {"count": n},
            _(
                "The e-mails are sent in the background; the survey page shows the status of each one."
            ),
        ]
        if skipped:
            consequences.append(
                _("Not invited, because the zone has no e-mail address: %(zones)s.")
                % {"zones": ", ".join(str(z) for z in skipped)}
            )
        blocked = ""
        if not is_open:
            blocked = _("Open the survey before sending invitations.")
        elif not n:
            blocked = _("Every zone with an e-mail address is already invited.")
        return Confirmation(
            title=ngettext("Send %(count)s invitation?", "Send %(count)s invitations?", n)
            % {"count": n},
            consequences=consequences,
            button=ngettext("Send %(count)s invitation", "Send %(count)s invitations", n)
            % {"count": n},
            cancel_url=back,
            blocked=blocked,
            details=[str(z) for z in to_invite],
            details_label=_("Zones to invite"),
        )
    if action == "remind":
        invitations = participation.remindable(survey) if is_open else []
        n = len(invitations)
        return Confirmation(
            title=ngettext("Remind %(count)s zone?", "Remind %(count)s zones?", n) % {"count": n},
            consequences=[
                ngettext(
                    "%(count)s zone that has not answered receives its link again (the same link: a delegate keeps access).",
                    "%(count)s zones that have not answered receive their link again (the same link: a delegate keeps access).",
                    n,
                )
                % {"count": n},
                _(
                    "Zones whose previous e-mail is still waiting to be sent are not reminded twice."
                ),
            ],
            button=ngettext("Remind %(count)s zone", "Remind %(count)s zones", n) % {"count": n},
            cancel_url=back,
            blocked=(_not_open() if not is_open else "" if n else _("There is no zone to remind.")),
            details=[str(i.zone) for i in invitations],
            details_label=_("Zones to remind"),
        )
    if action == "close":
        counts = participation.ballot_counts(survey)
        submitted, drafts = counts.get("submitted", 0), counts.get("draft", 0)
        return Confirmation(
            title=_("Close the survey and count it?"),
            consequences=[
                _(
                    "Zones can no longer answer or change their answers, although the survey was to close on %(date)s."
                )
                % {"date": _local(survey.closes_at)}
                if survey.closes_at > timezone.now()
                else _("Zones can no longer answer or change their answers."),
                ngettext(
                    "%(count)s submitted ballot is counted, in the background; the survey page shows the progress.",
                    "%(count)s submitted ballots are counted, in the background; the survey page shows the progress.",
                    submitted,
                )
                % {"count": submitted},
                ngettext(
                    "%(count)s draft that was not submitted is not counted.",
                    "%(count)s drafts that were not submitted are not counted.",
                    drafts,
                )
                % {"count": drafts},
            ],
            button=_("Close and count"),
            cancel_url=back,
            irreversible=True,
            blocked=services.close_refusal(survey),
        )
    if action == "resend_failed":
        n = participation.mail_counts(survey)[MailStatus.FAILED]
        return Confirmation(
            title=ngettext(
                "Send %(count)s failed e-mail again?", "Send %(count)s failed e-mails again?", n
            )
            % {"count": n},
            consequences=[
                _(
                    "Only the e-mails that failed are sent again, with the same link; the others are left alone."
                ),
            ],
            button=_("Send again"),
            cancel_url=back,
            blocked=(_not_open() if not is_open else "" if n else _("No e-mail has failed.")),
        )
    if action == "requeue":
        return Confirmation(
            title=_("Queue waiting e-mails again?"),
            consequences=[
                _(
                    "E-mails waiting for more than %(minutes)s minutes are handed to the worker again; none is sent twice."
                )
                % {"minutes": settings.SURVEY_MAIL_STUCK_MINUTES},
            ],
            button=_("Queue again"),
            cancel_url=back,
            blocked="" if is_open else _not_open(),
        )
    # count (again)
    run = counting.latest_run(survey)
    return Confirmation(
        title=_("Count the survey again?"),
        consequences=[_("The submitted ballots are counted in the background.")],
        button=_("Count"),
        cancel_url=back,
        # A count already under way is not queued twice: nothing to confirm.
        blocked=services.count_refusal(survey)
        or (
            _("Only a closed survey that has not been counted can be counted.")
            if run and run.is_active
            else ""
        ),
    )


def invitation_confirmation(invitation: Invitation, action: str) -> Confirmation:
    """The confirmation of an invitation action (``action`` in :data:`INVITATION_ACTIONS`)."""
    survey = invitation.survey
    back = reverse("survey:detail", args=[survey.edition.slug, survey.pk]) + "#invitations-heading"
    zone = invitation.zone
    blocked = (
        ""
        if survey.status == SurveyStatus.OPEN
        else _("Invitations can only be changed while the survey is open.")
    )
    if not blocked and action in ("resend", "new_link") and not invitation.recipient:
        blocked = _("%(zone)s has no e-mail address; fill it in before sending a link.") % {
            "zone": zone
        }
    if action == "resend":
        if not blocked and invitation.is_revoked:
            blocked = _("This link is revoked; send a new link instead.")
        elif not blocked and invitation.mails.pending().exists():
            blocked = _("An e-mail to this zone is still waiting to be sent.")
        return Confirmation(
            title=_("Send the link of %(zone)s again?") % {"zone": zone},
            consequences=[
                _("%(recipient)s receives the same link again; it keeps working.")
                % {"recipient": invitation.recipient or "—"},
            ],
            button=_("Send again"),
            cancel_url=back,
            blocked=blocked,
        )
    if action == "new_link":
        return Confirmation(
            title=_("Send a new link to %(zone)s?") % {"zone": zone},
            consequences=[
                _("The current link of %(zone)s stops working at once, also for a delegate.")
                % {"zone": zone},
                _("%(recipient)s receives a new link by e-mail.")
                % {"recipient": invitation.recipient or "—"},
                _("Answers already saved or submitted stay as they are."),
            ],
            button=_("Send a new link"),
            cancel_url=back,
            irreversible=True,
            blocked=blocked,
        )
    return Confirmation(
        title=_("Revoke the link of %(zone)s?") % {"zone": zone},
        consequences=[
            _(
                "The link of %(zone)s stops working at once; whoever opens it sees that it is not valid, with the secretariat's address."
            )
            % {"zone": zone},
            _("E-mails still waiting for this link are not sent."),
            _(
                "Answers already saved or submitted stay as they are. To let the zone answer again, send it a new link."
            ),
        ],
        button=_("Revoke the link"),
        cancel_url=back,
        irreversible=True,
        blocked=blocked or (_("This link is already revoked.") if invitation.is_revoked else ""),
    )


def survey_action_do(survey: Survey, action: str, *, request=None) -> str:
    """Do a survey action (the POST of its confirmation); return what was done, in a
    sentence. Raises :class:`~memorandum.survey.services.SurveyRefused` when it cannot be
    done now."""
    by = getattr(request, "user", None)
    if action == "open":
        services.survey_open(survey=survey, by=by, request=request)
        return _("The survey is open. Zones can answer from %(date)s.") % {
            "date": _local(survey.opens_at)
        }
    if action == "close":
        services.survey_close_and_count(survey=survey, by=by, request=request)
        return _(
            "The survey is closed. The ballots are being counted; this page shows the progress."
        )
    if action == "count":
        services.survey_count(survey=survey)
        return _("The ballots are being counted again.")
    # The e-mail actions change no state of the survey: their confirmation's reason holds.
    if blocked := survey_confirmation(survey, action).blocked:
        raise services.SurveyRefused(blocked)
    if action == "invite":
        count, _skipped = services.invitations_send(survey=survey, by=by, request=request)
    elif action == "remind":
        count = services.reminders_send(survey=survey)
    elif action == "resend_failed":
        count = services.mails_resend_failed(survey=survey)
    else:  # requeue
        count = mail.mails_requeue_stuck(survey=survey)
    return MAILS_DONE[action] % {"count": count}


def invitation_action_do(invitation: Invitation, action: str, *, request=None) -> str:
    """Send the link again, send a new link or revoke it; return what was done. Raises
    :class:`~memorandum.survey.services.SurveyRefused` when it cannot be done now."""
    if blocked := invitation_confirmation(invitation, action).blocked:
        raise services.SurveyRefused(blocked)
    zone = invitation.zone
    if action == "resend":
        services.invitation_resend(invitation=invitation)
        return _("The link of %(zone)s is being sent again.") % {"zone": zone}
    if action == "new_link":
        services.invitation_new_link(invitation=invitation)
        return _("A new link is being sent to %(zone)s; the previous link no longer works.") % {
            "zone": zone
        }
    services.invitation_revoke(
        invitation=invitation, by=getattr(request, "user", None), request=request
    )
    return _("The link of %(zone)s no longer works.") % {"zone": zone}

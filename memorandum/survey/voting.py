"""The ballot page: reached by the invitation link or by the zone's logged-in corps chief.

One view function serves the four ballot forms; what differs between them is asked of
the form's :class:`~memorandum.survey.ballots.BallotKind`. Without JavaScript everything is a plain
form (numbers for positions, "move" buttons that post); with JavaScript the same form
gets keyboard and drag-and-drop reordering and its draft is saved as it changes (htmx).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from memorandum.catalogue.models import PoliceZone
from memorandum.catalogue.selectors import edition_for
from memorandum.lib.confirm import Confirmation, render_confirmation
from memorandum.lib.guesses import limit_guesses
from memorandum.survey import casting, services
from memorandum.survey.ballots import BallotKind, Parsed, kind_of
from memorandum.survey.forms import DelegateForm
from memorandum.survey.items import item_keys, survey_items
from memorandum.survey.models import POINTS_BUDGET, Ballot, Invitation, Survey


def invalid_link(request: HttpRequest) -> HttpResponse:
    """The same page for a wrong, replaced or revoked link: it reveals nothing."""
    return render(
        request,
        "survey/invalid_link.html",
        {"contact": settings.SECRETARIAT_EMAIL},
        status=404,
    )


@limit_guesses("invitation-link")
def ballot_by_link(request: HttpRequest, token: str) -> HttpResponse:
    posted = request.method == "POST" and request.POST.get("action") != "delegate"
    if posted and casting.has_ballot_gate():
        return _ballot_posted_by_link(request, token)
    invitation = casting.invitation_for_token(token, with_edition=request.method != "POST")
    if invitation is None:
        return invalid_link(request)
    return ballot_page(
        request,
        invitation.survey,
        invitation.zone,
        cast_by=_cast_by(invitation),
        invitation=invitation,
    )


def _cast_by(invitation: Invitation) -> str:
    return invitation.delegate_name or _("Corps chief of %(zone)s") % {"zone": invitation.zone.name}


def _ballot_posted_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """A ballot posted through its link (PostgreSQL): the token is read in the transaction
    that saves the ballot, by the statement that takes the survey's ballot gate (the
    hottest path of a survey, one statement shorter so). What the voter is told (a
    receipt, a page) is made once that transaction has ended."""
    with transaction.atomic():
        invitation = casting.invitation_for_token(token, with_edition=False, take_gate=True)
        if invitation is None:
            outcome = None
        else:
            survey, zone = invitation.survey, invitation.zone
            kind = kind_of(survey.ballot_form)
            outcome = _save(request, kind, survey, zone, _cast_by(invitation), gate_held=True)
    if outcome is None:
        return invalid_link(request)
    return _answer(request, kind, survey, zone, invitation, outcome)


@login_required
def my_ballot(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition = edition_for(request.user, slug)
    survey = get_object_or_404(Survey.objects.select_related("edition"), edition=edition, pk=pk)
    zone = getattr(getattr(request.user, "profile", None), "zone", None)
    if zone is None or not request.user.has_perm("survey.vote"):
        raise PermissionDenied
    invitation = survey.invitations.filter(zone=zone).first()
    return ballot_page(
        request,
        survey,
        zone,
        cast_by=request.user.get_full_name() or request.user.username,
        invitation=invitation,
    )


@dataclass
class Attempt:
    """What a POST left to show: the parsed answers, or why they were refused."""

    parsed: Parsed | None = None
    refused: str | None = None
    status: int = 200


@dataclass
class Stored:
    """A ballot saved (its transaction ended), with what to tell the voter about it."""

    ballot: Ballot
    parsed: Parsed
    submit: bool
    confirm_first: bool


def ballot_page(
    request: HttpRequest,
    survey: Survey,
    zone: PoliceZone,
    *,
    cast_by: str,
    invitation: Invitation | None,
) -> HttpResponse:
    """The zone's ballot: show it, or save a draft or a submission and say so."""
    kind = kind_of(survey.ballot_form)
    outcome: Stored | Attempt = Attempt()
    if request.method == "POST":
        if request.POST.get("action") == "delegate":
            return _delegate(request, survey, invitation)
        outcome = _save(request, kind, survey, zone, cast_by)
    return _answer(request, kind, survey, zone, invitation, outcome)


def _answer(request, kind: BallotKind, survey, zone, invitation, outcome) -> HttpResponse:
    """What the voter is told: the ballot saved, why it was not (a line of the page, for a
    draft saved as it changes), or the page with what the attempt left to show."""
    if isinstance(outcome, Stored):
        return _saved(request, kind, survey, outcome)
    if request.htmx and request.method == "POST":
        errors = outcome.parsed.errors if outcome.parsed else {}
        context = {"refused": outcome.refused, "errors": errors}
        return render(request, "survey/_draft_status.html", context)
    context = _page_context(request, kind, survey, zone, invitation, outcome)
    return render(request, kind.template_name, context, status=outcome.status)


def _save(
    request, kind: BallotKind, survey, zone, cast_by, *, gate_held: bool = False
) -> Stored | Attempt:
    """Read and store the posted ballot; what was stored, or what to show instead.

    Only what reading the ballot needs is loaded (the items' codes and groups; the stored
    ballot only for a form that adds to it): every submission's path. See ``ballot_save``
    on ``gate_held``.
    """
    action = request.POST.get("action", "")
    confirmed = request.POST.get("confirmed") == "1"
    items = item_keys(survey)
    ballot = casting.ballot_of(survey, zone) if kind.reads_stored else None
    stored = ballot.payload if ballot and ballot.payload else {}
    submit = kind.submits(action, bool(ballot and ballot.is_submitted))
    parsed = kind.parse(request.POST, items, stored, action, top_n=survey.top_n)
    if survey.is_over():
        parsed.errors = {}  # say that it is closed, whatever else is wrong with the late ballot
    # The final submit of an anonymous ballot is confirmed first (it cannot be undone);
    # meanwhile the answers are kept as a draft.
    confirm_first = submit and survey.is_anonymous and not confirmed
    if not (parsed.ok or (not submit and kind.saves_as_draft(parsed))):
        return Attempt(parsed=parsed, status=400)
    rebase = _rebase(request, kind, survey, items, confirmed) if kind.reads_stored else None
    try:
        ballot = casting.ballot_save(
            survey=survey,
            zone=zone,
            payload=parsed.payload,
            submit=submit and not confirm_first,
            cast_by=cast_by,
            rebase=rebase,
            gate_held=gate_held,
        )
    except casting.BallotRefused as error:
        return Attempt(refused=error.message, status=403)
    return Stored(ballot, parsed, submit, confirm_first)


def _rebase(request, kind: BallotKind, survey, items, confirmed: bool) -> casting.Rebase:
    """For a form that adds to the stored ballot (pairwise): the answer is added to the
    ballot as it is under its row lock, not to the copy read before: of two answers posted
    at once, neither is lost."""
    action = request.POST.get("action", "")

    def rebase(on_record: dict, on_record_submitted: bool) -> tuple[dict, bool]:
        again = kind.parse(request.POST, items, on_record, action, top_n=survey.top_n)
        submits = kind.submits(action, on_record_submitted)
        if not (again.ok or (not submits and kind.saves_as_draft(again))):
            raise casting.BallotRefused(next(iter(again.errors.values())))
        return again.payload, submits and not (survey.is_anonymous and not confirmed)

    return rebase


def _saved(request, kind, survey, stored: Stored) -> HttpResponse:
    parsed = stored.parsed
    htmx = bool(request.htmx)  # read from the headers at every ask
    if stored.confirm_first and not htmx:
        return _confirm_anonymous_submit(request, survey, parsed.payload)
    if htmx:
        return render(
            request,
            "survey/_draft_status.html",
            {"saved_at": timezone.localtime(), "todo": parsed.todo},
        )
    if stored.submit:
        messages.success(
            request,
            _("Your ballot is submitted. Receipt: %(receipt)s")
            % {"receipt": stored.ballot.receipt},
        )
    elif kind.draft_anchor:
        return HttpResponseRedirect(request.path + kind.draft_anchor)
    elif parsed.todo:
        messages.success(
            request,
            _("Draft saved. Before you can submit it: %(todo)s") % {"todo": " ".join(parsed.todo)},
        )
    else:
        messages.success(request, _("Draft saved. Remember to submit it before the survey closes."))
    # Not redirect(): it first tries the path as the name of a URL pattern.
    return HttpResponseRedirect(request.path)


def _page_context(request, kind, survey, zone, invitation, attempt) -> dict:
    items = survey_items(survey)
    ballot = casting.ballot_of(survey, zone)
    stored = ballot.payload if ballot and ballot.payload else {}
    parsed = attempt.parsed
    # A refused ballot (closed, anonymous and final) shows what is on record, not the attempt.
    payload = parsed.payload if parsed else stored
    voted = casting.has_voted(survey, zone)
    context = {
        "survey": survey,
        "zone": zone,
        "ballot": ballot,
        "voted": voted,
        "invitation": invitation,
        "items": items,
        "parsed": parsed,
        "refused": attempt.refused,
        "over": survey.is_over(),
        "accepting": survey.accepts_answers(),
        "anonymous_done": survey.is_anonymous and voted,
        "edition": survey.edition
        if request.user.has_perm("catalogue.view_unpublished") or survey.edition.is_public
        else None,
        "delegate_form": DelegateForm(),
        "top_n": survey.top_n,
        "budget": POINTS_BUDGET,
    }
    context.update(
        kind.context(survey=survey, zone=zone, items=items, payload=payload, parsed=parsed)
    )
    return context


def _confirm_anonymous_submit(request: HttpRequest, survey: Survey, payload: dict) -> HttpResponse:
    """Say what submitting an anonymous ballot means, with a button that submits the same
    answers (posted again as hidden fields)."""
    hidden = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "action")}
    hidden.update({"action": "submit", "confirmed": "1"})
    summary = kind_of(survey.ballot_form).summary(payload, survey_items(survey), top_n=survey.top_n)
    confirmation = Confirmation(
        title=_("Submit your anonymous ballot?"),
        consequences=[
            _("After this, your ballot cannot be changed: nothing links it to your zone any more."),
            _(
                "Only your province and region stay with your answers; the secretariat sees that your zone has answered, not what."
            ),
            _("Until you confirm, your answers are kept as a draft that you can still change."),
        ],
        button=_("Submit for good"),
        cancel_url=request.path,
        action_url=request.path,
        irreversible=True,
        hidden=hidden,
        details=summary,
        details_label=_("Your answers"),
    )
    return render_confirmation(request, confirmation, context={"edition": None})


def _delegate(request: HttpRequest, survey: Survey, invitation: Invitation | None) -> HttpResponse:
    """Hand the ballot to a delegate: a fresh link is mailed to them; this one stops working."""
    form = DelegateForm(request.POST)
    if invitation is None or not survey.accepts_answers():
        messages.error(
            request,
            _(
                "The ballot can only be handed over while the survey is open and the zone is invited."
            ),
        )
        return redirect(request.path)
    if not form.is_valid():
        errors = "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())
        messages.error(
            request, _("The ballot was not handed over. %(errors)s") % {"errors": errors}
        )
        return redirect(request.path)
    services.invitation_delegate(
        invitation=invitation, name=form.cleaned_data["name"], email=form.cleaned_data["email"]
    )
    messages.success(
        request,
        _("A new link was sent to %(name)s. The link you used no longer works.")
        % {"name": form.cleaned_data["name"]},
    )
    if request.user.is_authenticated:
        return redirect(request.path)
    return redirect("home")

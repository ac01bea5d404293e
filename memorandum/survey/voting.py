"""The ballot page: reached by the invitation link or by the zone's logged-in corps chief.

One view function serves the four ballot forms. Without JavaScript everything is a plain
form (numbers for positions, "move" buttons that post); with JavaScript the same form
gets keyboard and drag-and-drop reordering and its draft is saved as it changes (htmx).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from memorandum.catalogue.models import PoliceZone
from memorandum.catalogue.selectors import edition_for
from memorandum.lib.confirm import Confirmation, render_confirmation
from memorandum.lib.guesses import limit_guesses
from memorandum.lib.validation import is_plain_number
from memorandum.survey import forms as ballot_forms
from memorandum.survey import pairs, services
from memorandum.survey.items import survey_items
from memorandum.survey.models import (
    POINTS_BUDGET,
    RATING_CRITERIA,
    RATING_LEVELS,
    TOP_N,
    Ballot,
    BallotForm,
    Invitation,
    Survey,
)


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
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return invalid_link(request)
    cast_by = invitation.delegate_name or _("Corps chief of %(zone)s") % {
        "zone": invitation.zone.name
    }
    return ballot_page(
        request, invitation.survey, invitation.zone, cast_by=cast_by, invitation=invitation
    )


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


def ballot_page(
    request: HttpRequest,
    survey: Survey,
    zone: PoliceZone,
    *,
    cast_by: str,
    invitation: Invitation | None,
) -> HttpResponse:
    items = survey_items(survey)
    ballot = services.ballot_of(survey, zone)
    voted = services.has_voted(survey, zone)
    parsed = None
    refused = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "delegate":
            return _delegate(request, survey, invitation)
        parsed, submit = _parse(request, survey, items, ballot, action)
        if survey.is_over():
            # Say that it is closed, whatever else may be wrong with the late ballot.
            parsed.errors = {}
        # The final submit of an anonymous ballot is confirmed first (it cannot be undone);
        # meanwhile the answers are kept as a draft.
        confirm_first = submit and survey.is_anonymous and request.POST.get("confirmed") != "1"
        if parsed.ok or (not submit and set(parsed.errors) <= {"__all__"}):
            try:
                ballot = services.ballot_save(
                    survey=survey,
                    zone=zone,
                    payload=parsed.payload,
                    submit=submit and not confirm_first,
                    cast_by=cast_by,
                )
            except services.BallotRefused as error:
                refused, status = error.message, 403
            else:
                if confirm_first and not request.htmx:
                    return _confirm_anonymous_submit(request, survey, parsed.payload)
                if request.htmx:
                    return render(
                        request, "survey/_draft_status.html", {"saved_at": timezone.localtime()}
                    )
                if submit:
                    messages.success(
                        request,
                        _("Your ballot is submitted. Receipt: %(receipt)s")
                        % {"receipt": ballot.receipt},
                    )
                    return redirect(request.path)
                if survey.ballot_form == BallotForm.PAIRWISE:
                    return redirect(request.path + "#pair")
                messages.success(
                    request, _("Draft saved. Remember to submit it before the survey closes.")
                )
                return redirect(request.path)
        elif request.htmx:
            return render(request, "survey/_draft_status.html", {"errors": parsed.errors})
        if request.htmx and refused:
            return render(request, "survey/_draft_status.html", {"refused": refused}, status=200)
        if not refused:
            status = 400
    stored = ballot.payload if ballot and ballot.payload else None
    # A refused ballot (closed, anonymous and final) shows what is on record, not the attempt.
    payload = parsed.payload if parsed and not refused else stored
    if refused:
        parsed = None
    context = {
        "survey": survey,
        "zone": zone,
        "ballot": ballot,
        "voted": voted,
        "invitation": invitation,
        "items": items,
        "parsed": parsed,
        "refused": refused,
        "over": survey.is_over(),
        "accepting": survey.accepts_ballots(),
        "anonymous_done": survey.is_anonymous and voted,
        "edition": survey.edition
        if request.user.has_perm("catalogue.view_unpublished") or survey.edition.is_public
        else None,
        "delegate_form": ballot_forms.DelegateForm(),
        "top_n": TOP_N,
        "budget": POINTS_BUDGET,
    }
    context.update(_form_context(survey, items, payload, parsed, ballot, zone))
    return render(request, f"survey/ballot_{survey.ballot_form}.html", context, status=status)


def _confirm_anonymous_submit(request: HttpRequest, survey: Survey, payload: dict) -> HttpResponse:
    """Say what submitting an anonymous ballot means, with a button that submits the same
    answers (posted again as hidden fields)."""
    hidden = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "action")}
    hidden.update({"action": "submit", "confirmed": "1"})
    summary = ballot_forms_summary(survey, payload)
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


def ballot_forms_summary(survey: Survey, payload: dict) -> list[str]:
    """The answers in a few lines, to check them before an anonymous submit."""
    titles = {i.code: str(i.title) for i in survey_items(survey)}

    def name(code: str) -> str:
        return f"{code} {titles.get(code, '')}".strip()

    if survey.ballot_form == BallotForm.RANKING:
        return [f"{n}. {name(c)}" for n, c in enumerate(payload.get("overall", [])[:TOP_N], 1)]
    if survey.ballot_form == BallotForm.POINTS:
        points = payload.get("points", {})
        return [f"{name(c)}: {p}" for c, p in sorted(points.items(), key=lambda x: -x[1]) if p]
    if survey.ballot_form == BallotForm.RATING:
        levels = dict(RATING_LEVELS)
        lines = []
        for code in titles:
            values = [
                f"{label}: {levels.get((payload.get(key) or {}).get(code), '—')}"
                for key, label in RATING_CRITERIA
            ]
            lines.append(f"{name(code)} ({', '.join(values)})")
        return lines
    choices = payload.get("choices", [])
    return [
        ngettext("%(count)s comparison", "%(count)s comparisons", len(choices))
        % {"count": len(choices)}
    ]


def _parse(request, survey: Survey, items, ballot: Ballot | None, action: str):
    """Read the posted ballot; return (parsed, submit?)."""
    post = request.POST
    form = survey.ballot_form
    submit = action == "submit"
    if form == BallotForm.RANKING:
        return ballot_forms.parse_ranking(post, items), submit
    if form == BallotForm.RATING:
        return ballot_forms.parse_rating(post, items), submit
    if form == BallotForm.POINTS:
        return ballot_forms.parse_points(post, items), submit
    current = ballot.payload if ballot else {}
    if action == "submit":
        # One answer per pair, also for a draft stored before that rule.
        choices = [list(c) for c in pairs.latest_answers(current.get("choices", []))]
        parsed = ballot_forms.Parsed(payload={"choices": choices})
        if not parsed.payload["choices"]:
            parsed.errors["__all__"] = _("Make at least one comparison before submitting.")
        return parsed, True
    parsed = ballot_forms.parse_pairwise_choice(post, items, current)
    # Each new comparison on a submitted ballot is submitted at once (with a new receipt).
    return parsed, bool(ballot and ballot.is_submitted)


def _form_context(survey: Survey, items, payload, parsed, ballot, zone) -> dict:
    form = survey.ballot_form
    entered = parsed.entered if parsed else {}
    errors = parsed.errors if parsed else {}
    by_code = {i.code: i for i in items}
    if form == BallotForm.RANKING:
        payload = (
            payload if payload and "overall" in payload else ballot_forms.default_ranking(items)
        )
        payload = _complete_ranking(payload, items)

        def rows(prefix, codes):
            return [
                {
                    "item": by_code[c],
                    "position": entered.get(f"{prefix}-{c}", str(n)),
                    "name": f"{prefix}-{c}",
                    "error": errors.get(f"{prefix}-{c}"),
                    "n": n,
                }
                for n, c in enumerate(codes, start=1)
            ]

        groups = [
            {
                "key": g["key"],
                "label": g["label"],
                "rows": rows(f"within-{g['key']}", payload["within"][g["key"]]),
            }
            for g in ballot_forms.groups_of(items)
            if g["key"] in payload["within"]
        ]
        return {
            "overall_rows": rows("overall", payload["overall"]),
            "group_lists": groups,
            "errors": errors,
        }
    if form == BallotForm.RATING:
        payload = payload or {}
        rows = []
        for item in items:
            criteria = []
            for name, label in RATING_CRITERIA:
                field = f"{name}-{item.code}"
                stored = (
                    (payload.get(name) or {}).get(item.code, "")
                    if not parsed
                    else entered.get(field, "")
                )
                value = "none" if stored is None else str(stored)
                criteria.append(
                    {"name": field, "label": label, "value": value, "error": errors.get(field)}
                )
            rows.append({"item": item, "criteria": criteria})
        return {"rating_rows": rows, "levels": RATING_LEVELS, "errors": errors}
    if form == BallotForm.POINTS:
        points = (payload or {}).get("points", {})
        rows = [
            {
                "item": i,
                "name": f"points-{i.code}",
                "error": errors.get(f"points-{i.code}"),
                "value": entered.get(f"points-{i.code}", str(points.get(i.code, 0))),
            }
            for i in items
        ]
        total = sum(int(r["value"]) for r in rows if is_plain_number(r["value"], 6))
        return {"point_rows": rows, "total": total, "errors": errors}
    # One answer per pair (the latest), whatever an older payload may hold.
    mine = pairs.latest_answers((payload or {}).get("choices", []))
    pair = None
    if survey.accepts_ballots():
        pair = ballot_forms.next_pair(
            items, mine, pairs.pair_counts(survey), seed=f"{survey.pk}:{zone.pk}"
        )
    answered = [
        {"a": by_code.get(a), "b": by_code.get(b), "winner": by_code.get(w) if w else None}
        for a, b, w in mine
        if a in by_code and b in by_code
    ]
    return {
        "pair": pair,
        "answered": answered,
        "pairs_answered": len(answered),
        "pairs_total": ballot_forms.all_pairs(items),
        "errors": errors,
    }


def _complete_ranking(payload: dict, items) -> dict:
    """Items added to the catalogue after a draft was saved go to the end of each list."""
    default = ballot_forms.default_ranking(items)
    codes = set(default["overall"])
    overall = [c for c in payload.get("overall", []) if c in codes]
    overall += [c for c in default["overall"] if c not in overall]
    within = {}
    for key, group_codes in default["within"].items():
        kept = [c for c in payload.get("within", {}).get(key, []) if c in group_codes]
        within[key] = kept + [c for c in group_codes if c not in kept]
    return {"overall": overall, "within": within}


def _delegate(request: HttpRequest, survey: Survey, invitation: Invitation | None) -> HttpResponse:
    """Hand the ballot to a delegate: a fresh link is mailed to them; this one stops working."""
    form = ballot_forms.DelegateForm(request.POST)
    if invitation is None or not survey.accepts_ballots():
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

"""What starting the next edition will do, said before it is done (the confirmation page)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from memorandum.catalogue.succession import SuccessionPlan
from memorandum.lib.confirm import Confirmation


def next_edition_confirmation(form, plan: SuccessionPlan) -> Confirmation:
    """The confirmation of a valid ``NextEditionForm``: counts, then one button that posts
    the same values again with ``confirm``."""
    data = form.cleaned_data
    source = plan.source
    hidden = {name: str(form.data.get(name, "")) for name in form.fields}
    hidden["confirm"] = "1"
    return Confirmation(
        title=_("Start edition %(period)s from %(source)s?")
        % {"period": f"{data['period_start']}-{data['period_end']}", "source": source.period},
        consequences=[
            _(
                "A new edition “%(slug)s” is created in the consultation phase; %(source)s and "
                "its publications stay as they are."
            )
            % {"slug": data["slug"], "source": source.period},
            copied(plan),
            ngettext(
                "Carried over: %(count)s recommendation or commitment not achieved, as a "
                "proposal linked to its origin.",
                "Carried over: %(count)s recommendations and commitments not achieved, each "
                "as a proposal linked to its origin.",
                len(plan.carried),
            )
            % {"count": len(plan.carried)},
            _("Achieved according to the follow-up, not carried over: %(count)s.")
            % {"count": len(plan.achieved)},
            ngettext(
                "Carried over: %(count)s initiative still running, linked to its origin.",
                "Carried over: %(count)s initiatives still running, each linked to its origin.",
                len(plan.initiatives),
            )
            % {"count": len(plan.initiatives)},
        ],
        button=_("Start the edition"),
        cancel_url=reverse("catalogue:next_edition") + f"?from={source.slug}",
        hidden=hidden,
    )


def copied(plan: SuccessionPlan) -> str:
    """'Copied: 1 work domain, 4 themes, 2 addressees and 3 references.', each count
    with its own singular or plural."""
    return _("Copied: %(domains)s, %(themes)s, %(addressees)s and %(references)s.") % {
        "domains": ngettext("%(count)s work domain", "%(count)s work domains", plan.domains)
        % {"count": plan.domains},
        "themes": ngettext("%(count)s theme", "%(count)s themes", plan.themes)
        % {"count": plan.themes},
        "addressees": ngettext("%(count)s addressee", "%(count)s addressees", plan.addressees)
        % {"count": plan.addressees},
        "references": ngettext("%(count)s reference", "%(count)s references", plan.references)
        % {"count": plan.references},
    }

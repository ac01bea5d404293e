"""One way to confirm an irreversible or mass action, for every app.

The button on the page is a link to the action's URL; a GET of that URL renders
``confirm.html`` from a :class:`Confirmation` (what will happen, in plain words, and one
POST button); the POST does the action. Without JavaScript this is a page of its own;
nothing else is needed for keyboard and screen-reader users.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@dataclass
class Confirmation:
    """What the confirmation page says and where its button posts.

    ``consequences`` are full sentences; ``blocked`` (when set) explains why the action
    cannot be done now and replaces the button; ``hidden`` are extra POST fields.
    """

    title: str
    consequences: list[str]
    button: str
    cancel_url: str
    action_url: str = ""
    irreversible: bool = False
    blocked: str = ""
    hidden: dict[str, str] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)
    details_label: str = ""


def render_confirmation(
    request: HttpRequest,
    confirmation: Confirmation,
    *,
    context: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    """The confirmation page (``confirm.html``) in the layout of ``base.html``."""
    if not confirmation.action_url:
        confirmation.action_url = request.get_full_path()
    return render(
        request, "confirm.html", {"confirm": confirmation, **(context or {})}, status=status
    )

"""Field factories for the foreign keys every app declares the same way, and the Meta
options of rows numbered within a parent.

Three shapes recur in every models module: a row that belongs to a parent and goes with it
(a milestone of an initiative, a ballot of a survey), a required link to something that
must stay while it is named (a recommendation's work domain), and an optional link to
something that may be absent or may go away (a proposal's theme, a survey item's
recommendation). Naming the shape says what deleting the target does, in one line instead
of eight.

The factories return plain ``models.ForeignKey`` fields with the same arguments as before,
so the migrations see no change.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


def parent_fk(to: Any, related_name: str, verbose_name: str, **options: Any) -> models.ForeignKey:
    """The foreign key of a row that belongs to ``to`` and is deleted with it (CASCADE)."""
    return _foreign_key(to, models.CASCADE, related_name, verbose_name, **options)


def protected_fk(
    to: Any, related_name: str, verbose_name: str, **options: Any
) -> models.ForeignKey:
    """A required link to ``to``, which cannot be deleted while a row names it (PROTECT)."""
    return _foreign_key(to, models.PROTECT, related_name, verbose_name, **options)


def optional_fk(
    to: Any,
    related_name: str,
    verbose_name: str,
    *,
    on_delete: Any = models.SET_NULL,
    **options: Any,
) -> models.ForeignKey:
    """An optional link to ``to`` (it may be left empty in forms and in the database).

    By default the link is cleared when ``to`` is deleted (``SET_NULL``): the row outlives
    what it pointed to. ``on_delete=models.PROTECT`` keeps ``to`` while a row names it.
    """
    return _foreign_key(to, on_delete, related_name, verbose_name, null=True, blank=True, **options)


def _foreign_key(
    to: Any, on_delete: Any, related_name: str, verbose_name: str, **options: Any
) -> models.ForeignKey:
    return models.ForeignKey(
        to, on_delete=on_delete, related_name=related_name, verbose_name=verbose_name, **options
    )


def synthetic_flag(help_text: str = "") -> models.BooleanField:
    """The flag on rows the demo and load generators make, so that they are never taken
    for real data (and can be removed together)."""
    return models.BooleanField(_("synthetic"), default=False, help_text=help_text)


def numbered_within(
    parent: str, number: str = "number", *, prefix: str, order_by: str = ""
) -> type:
    """The Meta options of rows numbered within ``parent`` (the work domains of an edition,
    the points of a meeting's agenda): listed in number order, each number once per parent.

    Use it as the base of the model's Meta, which adds the verbose names::

        class Meta(numbered_within("edition", prefix="domain")):

    The constraint is named ``<prefix>_<number>_unique_in_<parent>`` (as the migrations know
    it); ``order_by`` sorts the parents another way than by their key (``"domain__number"``).
    """

    class NumberedMeta:
        ordering = [order_by or parent, number]
        constraints = [
            models.UniqueConstraint(
                fields=[parent, number], name=f"{prefix}_{number}_unique_in_{parent}"
            )
        ]

    return NumberedMeta

"""Everything the memorandum shows, frozen as plain JSON.

:func:`collect_snapshot` reads an edition (and, when one is chosen, a counted survey) once
and returns a JSON-ready dict holding every text in both content languages. A publication
version stores that dict; :func:`memorandum.publication.document.document_from_snapshot`
turns it into the document in one language. The live draft and a published version go
through the same two steps, so a version's page and files depend on its snapshot only,
never on what the catalogue says today.

The chosen survey's result comes from the survey app's one reader,
:func:`memorandum.survey.results.published_priorities`, and is stored in its typed contract
(:class:`memorandum.survey.contract.PublishedPriorities`, read back with
:func:`~memorandum.survey.contract.read_priorities`).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from memorandum.catalogue.models import Edition, Recommendation, Status, Theme, WorkDomain
from memorandum.lib.i18n import stored_texts
from memorandum.publication.changes import collect_changes
from memorandum.survey.contract import write_priorities
from memorandum.survey.results import published_priorities

# 2: domain names and themes ("structure"), items considered, addressees' honorifics,
# the edition's cover image. Version-1 snapshots still render (every new key is optional).
SCHEMA = 2


def collect_snapshot(edition: Edition, survey=None) -> dict[str, Any]:
    """Everything :func:`document_from_snapshot` needs, in both languages, as JSON values.

    Only adopted items are taken. ``survey`` is the counted survey whose result goes into
    the memorandum, or None for none; it is never looked up here.
    """
    timeline = list(edition.timeline.all())
    items = list(
        Recommendation.objects.filter(edition=edition, status=Status.ADOPTED)
        .select_related("domain", "theme__domain")
        .order_by("number")
    )
    snapshot: dict[str, Any] = {
        "schema": SCHEMA,
        "edition": {
            "slug": edition.slug,
            "period": edition.period,
            "period_start": edition.period_start,
            "is_public": edition.is_public,
            "is_synthetic": edition.is_synthetic,
            "title": stored_texts(edition, "title"),
            "issuing_body": stored_texts(edition, "issuing_body"),
            "foreword": stored_texts(edition, "foreword"),
            "foreword_author": edition.foreword_author,
            "foreword_author_function": stored_texts(edition, "foreword_author_function"),
            "introduction": stored_texts(edition, "introduction"),
            "notes": stored_texts(edition, "notes"),
        },
        "timeline": [
            {
                "kind": e.kind,
                "date": e.date.isoformat(),
                "end_date": e.end_date.isoformat() if e.end_date else None,
                "precision": e.precision,
                "title": stored_texts(e, "title"),
            }
            for e in timeline
        ],
        "domains": edition.domains.count(),
        "themes": Theme.objects.filter(domain__edition=edition).count(),
        "structure": _structure(edition),
        # Every item put to the consultation (adopted, merged, postponed, rejected …):
        # the source's "219 aanbevelingen" against the 12 items the memorandum keeps.
        "considered": edition.proposals_count
        or Recommendation.objects.filter(edition=edition)
        .exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
        .count(),
        "items": [_item(r) for r in items],
        "addressees": [
            {"honorific": a.honorific, "name": a.name, "function": stored_texts(a, "function")}
            for a in edition.addressees.all()
        ],
        "references": [
            {"kind": r.kind, "title": stored_texts(r, "title"), "url": r.url}
            for r in edition.references.all()
        ],
        "cover": _cover(edition),
        "survey": None,
        "version": None,  # filled in by version_publish: number and date of publication
    }
    changes = collect_changes(edition)
    if changes is not None:  # only editions started from a previous one have the annex
        snapshot["changes"] = changes
    if survey is not None:
        # The survey app decides what of its result may be printed.
        snapshot["survey"] = write_priorities(published_priorities(survey))
    return snapshot


def _cover(edition: Edition) -> dict[str, Any] | None:
    """The edition's cover picture as a data address (frozen into the version), or None."""
    from memorandum.publication.models import EditionCover

    cover = EditionCover.objects.filter(edition=edition).first()
    if cover is None:
        return None
    data = base64.b64encode(bytes(cover.image)).decode()
    return {"src": f"data:{cover.media_type};base64,{data}", "alt": stored_texts(cover, "alt")}


def _structure(edition: Edition) -> list[dict[str, Any]]:
    """The work domains with their names and themes, in order."""
    domains = WorkDomain.objects.filter(edition=edition).prefetch_related("themes")
    return [
        {
            "number": d.number,
            "name": stored_texts(d, "name"),
            "themes": [
                {"number": t.number, "name": stored_texts(t, "name")} for t in d.themes.all()
            ],
        }
        for d in domains
    ]


def _item(r: Recommendation) -> dict[str, Any]:
    return {
        "code": r.code,
        "number": r.number,
        "kind": r.kind,
        "is_synthetic": r.is_synthetic,
        "domain": stored_texts(r.domain, "name"),
        "domain_number": r.domain.number,
        "theme": stored_texts(r.theme, "name") if r.theme else None,
        "theme_code": r.theme.code if r.theme else "",
        "title": stored_texts(r, "title"),
        "objective": stored_texts(r, "objective"),
        "actions": stored_texts(r, "actions"),
        "context": stored_texts(r, "context"),
    }


def item_counts(snapshot: dict[str, Any]) -> dict[str, int]:
    """How many recommendations and commitments the snapshot holds."""
    kinds = [item["kind"] for item in snapshot.get("items", [])]
    return {
        "recommendations": kinds.count("recommendation"),
        "commitments": kinds.count("commitment"),
    }


def canonical(snapshot: dict[str, Any]) -> bytes:
    """The snapshot as canonical JSON bytes (sorted keys, no spaces): what its hash covers."""
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(snapshot)).hexdigest()

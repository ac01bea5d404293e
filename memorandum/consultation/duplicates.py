"""Likely duplicates of an edition's open proposals, computed by the worker.

Scoring 600 distinct proposal texts takes tens of seconds on a first view, too long for a
request: the duplicates page asks :func:`scan_for` for the scan of the current texts, which
is either ready or queued for the worker (``tasks.scan_duplicates``), and the page polls
until it is ready. The scan is keyed on a digest of the texts, so a new, changed, merged or
withdrawn proposal (or a changed recommendation) gives a new key and a new computation on the
next view; an unchanged set is never computed twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from memorandum.catalogue.models import Edition, Recommendation
from memorandum.consultation.models import DuplicateScan, Proposal
from memorandum.consultation.similarity import COMPARED_TEXTS, DUPLICATE_THRESHOLD, similar_items
from memorandum.lib.bilingual import bilingual_columns
from memorandum.lib.tasks import enqueue_on_commit

# A scan still pending after this long has lost its job (600 texts take about a minute).
LOST_AFTER = timedelta(minutes=10)
# The recommendation columns the scan reads: a deliberate subset (the compared texts).
TEXT_FIELDS = bilingual_columns(Recommendation, COMPARED_TEXTS)


def texts_key(edition: Edition) -> str:
    """A digest of every text the scan reads: the open proposals and the recommendations."""
    digest = hashlib.sha256()
    proposals = Proposal.objects.filter(edition=edition).open().order_by("pk")
    for row in proposals.values_list("pk", "language", "title", "text"):
        digest.update(repr(row).encode())
    digest.update(b"\x00")
    recommendations = Recommendation.objects.filter(edition=edition).order_by("pk")
    for row in recommendations.values_list("pk", *TEXT_FIELDS):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def scan_for(edition: Edition) -> DuplicateScan:
    """The scan of the edition's current texts: ready, or queued for the worker now."""
    from memorandum.consultation.tasks import scan_duplicates

    key = texts_key(edition)
    scan = DuplicateScan.objects.filter(edition=edition, texts_key=key).first()
    if scan is not None:
        if not scan.is_ready and scan.requested_at < timezone.now() - LOST_AFTER:
            # Its job was lost (the queue was down, the worker stopped): ask again.
            DuplicateScan.objects.filter(pk=scan.pk).update(requested_at=timezone.now())
            enqueue_on_commit(scan_duplicates, scan.pk)
        return scan
    try:
        with transaction.atomic():
            scan = DuplicateScan.objects.create(edition=edition, texts_key=key)
    except IntegrityError:  # another request queued it meanwhile
        return DuplicateScan.objects.get(edition=edition, texts_key=key)
    enqueue_on_commit(scan_duplicates, scan.pk)
    return scan


def compute_pairs(edition: Edition) -> list[list]:
    """Every pair of open proposals, or proposal and recommendation, scoring at or above
    the threshold, best first, as plain values (see :attr:`DuplicateScan.pairs`)."""
    open_proposals = list(Proposal.objects.filter(edition=edition).open())
    recommendations = list(Recommendation.objects.filter(edition=edition))
    matches = similar_items(open_proposals, recommendations, limit=10, minimum=DUPLICATE_THRESHOLD)
    seen, pairs = set(), []
    for pk, found in matches.items():
        for match in found:
            if match.kind == "proposal":
                key = ("p", *sorted((pk, match.obj.pk)))
            else:
                key = ("r", pk, match.obj.pk)
            if key not in seen:
                seen.add(key)
                pairs.append([pk, match.kind, match.obj.pk, match.score, match.other_language])
    pairs.sort(key=lambda pair: -pair[3])
    return pairs


def run_scan(scan_id: int) -> str:
    """The worker's job: compute the scan's pairs and drop the edition's older scans.

    The pairs are those of the texts as they are when the worker runs, so they are kept only
    if those texts are still the scan's (its ``texts_key``), before and after computing; a
    superseded scan is deleted instead, and the page's next poll asks for the scan of the
    current texts (:func:`scan_for`)."""
    scan = DuplicateScan.objects.select_related("edition").filter(pk=scan_id).first()
    if scan is None or scan.is_ready:
        return "nothing to do"
    if texts_key(scan.edition) != scan.texts_key:
        scan.delete()
        return "superseded"
    pairs = compute_pairs(scan.edition)
    if texts_key(scan.edition) != scan.texts_key:  # the texts changed while computing
        scan.delete()
        return "superseded"
    scan.pairs = pairs
    scan.computed_at = timezone.now()
    scan.save(update_fields=["pairs", "computed_at"])
    DuplicateScan.objects.filter(edition=scan.edition).exclude(pk=scan.pk).filter(
        requested_at__lt=scan.requested_at
    ).delete()
    return f"{len(scan.pairs)} pairs"


@dataclass
class Pair:
    proposal: Proposal
    match: object  # a similarity.Match with the proposal or recommendation


def pairs_of(scan: DuplicateScan, edition: Edition, limit: int = 200) -> list[Pair]:
    """The scan's first ``limit`` pairs with their proposals and recommendations (two
    queries, however many pairs)."""
    from memorandum.consultation.similarity import Match

    rows = (scan.pairs or [])[:limit]
    proposal_ids = {r[0] for r in rows} | {r[2] for r in rows if r[1] == "proposal"}
    proposals = Proposal.objects.filter(edition=edition, pk__in=proposal_ids)
    by_id = {p.pk: p for p in proposals.select_related("zone", "domain")}
    recs = Recommendation.objects.filter(
        edition=edition, pk__in={r[2] for r in rows if r[1] == "recommendation"}
    )
    rec_by_id = {r.pk: r for r in recs}
    out = []
    for pk, kind, other, score, other_language in rows:
        obj = by_id.get(other) if kind == "proposal" else rec_by_id.get(other)
        if pk in by_id and obj is not None:
            out.append(Pair(by_id[pk], Match(kind, obj, score, other_language)))
    return out

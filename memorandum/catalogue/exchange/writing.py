"""Writing a checked file in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from memorandum.catalogue.exchange.checking import Checker
from memorandum.catalogue.exchange.formats import (
    EDITION_FIELDS,
    ImportFileError,
    ImportResult,
    Issue,
)
from memorandum.catalogue.exchange.reading import Rows, read_file
from memorandum.catalogue.models import (
    Addressee,
    Edition,
    Recommendation,
    Reference,
    Theme,
    TimelineEvent,
    WorkDomain,
)


def _count(result: ImportResult, table: str, created: bool) -> None:
    target = result.created if created else result.updated
    target[table] = target.get(table, 0) + 1


def _apply(
    edition: Edition, clean: dict[str, list[tuple[int, dict]]], result: ImportResult
) -> None:
    for _row_number, row in clean.get("domains", []):
        _obj, created = WorkDomain.objects.update_or_create(
            edition=edition,
            number=row["number"],
            defaults={k: v for k, v in row.items() if k != "number"},
        )
        _count(result, "domains", created)
    domains = {d.number: d for d in edition.domains.all()}
    for _row_number, row in clean.get("themes", []):
        _obj, created = Theme.objects.update_or_create(
            domain=domains[row["domain"]],
            number=row["number"],
            defaults={"name_nl": row["name_nl"], "name_fr": row["name_fr"]},
        )
        _count(result, "themes", created)
    for _row_number, row in clean.get("addressees", []):
        _obj, created = Addressee.objects.update_or_create(
            edition=edition,
            order=row["order"],
            defaults={k: v for k, v in row.items() if k != "order"},
        )
        _count(result, "addressees", created)
    for _row_number, row in clean.get("references", []):
        _obj, created = Reference.objects.update_or_create(
            edition=edition,
            order=row["order"],
            defaults={k: v for k, v in row.items() if k != "order"},
        )
        _count(result, "references", created)
    if "timeline" in clean:
        # Events are matched on date, kind and Dutch title; the file's timeline is the whole
        # timeline, so events that are not in it are removed.
        kept = []
        for _row_number, row in clean["timeline"]:
            key = {"date": row["date"], "kind": row["kind"], "title_nl": row["title_nl"]}
            event, created = TimelineEvent.objects.update_or_create(
                edition=edition, **key, defaults={k: v for k, v in row.items() if k not in key}
            )
            kept.append(event.pk)
            _count(result, "timeline", created)
        edition.timeline.exclude(pk__in=kept).delete()
    themes = {
        t.code: t for t in Theme.objects.filter(domain__edition=edition).select_related("domain")
    }
    addressees = {a.order: a for a in edition.addressees.all()}
    references = {r.order: r for r in edition.references.all()}
    for _row_number, row in clean.get("recommendations", []):
        fields = {
            k: v
            for k, v in row.items()
            if k not in ("kind", "number", "domain", "theme", "addressees", "references")
        }
        fields["domain"] = domains[row["domain"]]
        if "theme" in row:
            fields["theme"] = themes.get(row["theme"]) if row["theme"] else None
        recommendation = Recommendation.objects.filter(
            edition=edition, kind=row["kind"], number=row["number"]
        ).first()
        created = recommendation is None
        if created:
            recommendation = Recommendation(edition=edition, kind=row["kind"], number=row["number"])
        changed = created or any(getattr(recommendation, k) != v for k, v in fields.items())
        if changed:
            for key, value in fields.items():
                setattr(recommendation, key, value)
            recommendation.save()  # one history version per real change, not per import
        if "addressees" in row:
            recommendation.addressees.set([addressees[n] for n in row["addressees"]])
        if "references" in row:
            recommendation.references.set([references[n] for n in row["references"]])
        _count(result, "recommendations", created)


def import_tables(
    edition: Edition, tables: dict[str, Rows], header: dict[str, Any] | None = None
) -> ImportResult:
    """Check everything, then write everything in one transaction (or nothing at all)."""
    result = ImportResult()
    checker = Checker(edition, tables)
    result.issues = checker.run()
    if result.issues:
        return result
    with transaction.atomic():
        if header:
            for name in EDITION_FIELDS:
                if name in header and name != "slug":
                    setattr(edition, name, header[name])
            edition.full_clean()
            edition.save()
        _apply(edition, checker.clean, result)
    return result


def import_file(
    edition: Edition, name: str, content: bytes, *, update_edition: bool = False
) -> ImportResult:
    """Read and import an uploaded file; unreadable files come back as issues too."""
    try:
        header, tables = read_file(name, content)
    except ImportFileError as error:
        return ImportResult(issues=error.issues)
    return import_tables(edition, tables, header if update_edition else None)


def load_edition(content: bytes, name: str = "catalogue.json") -> tuple[Edition, ImportResult]:
    """Create or update the edition described by a JSON catalogue file (demo and fixtures)."""
    header, tables = read_file(name, content)
    if not header or not header.get("slug"):
        raise ImportFileError(
            [
                Issue(
                    "json", None, "edition", _("The file does not name its edition (edition.slug).")
                )
            ]
        )
    with transaction.atomic():
        edition = Edition.objects.filter(slug=header["slug"]).first()
        if edition is None:
            edition = Edition(**{k: header[k] for k in EDITION_FIELDS if k in header})
            edition.full_clean()
            edition.save()
        result = import_tables(edition, tables, header)
        if result.issues:
            transaction.set_rollback(True)
    return edition, result

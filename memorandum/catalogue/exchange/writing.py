"""Writing a checked file in one transaction.

Rows are matched on their natural keys; a matched row is saved (and counted as updated)
only when the file changes one of its values or links. Nothing is deleted: a timeline event
that is not in the file stays (events are matched on date, kind and Dutch title, so an event
whose date changed in the file is added as a new one; remove the old one by hand).
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from memorandum.catalogue.exchange.checking import Checker
from memorandum.catalogue.exchange.formats import EDITION_FIELDS
from memorandum.catalogue.exchange.reading import Table, read_file
from memorandum.catalogue.models import (
    Addressee,
    Edition,
    Recommendation,
    Reference,
    Theme,
    TimelineEvent,
    WorkDomain,
)
from memorandum.lib.importing import ImportResult, Progress
from memorandum.lib.spreadsheets import Problem, UnreadableFile


def _save(
    result: ImportResult, table: str, model: type[models.Model], key: dict, fields: dict
) -> models.Model:
    """Create the row with this key, or change the one that exists where the file differs."""
    row = model.objects.filter(**key).first()
    if row is None:
        row = model.objects.create(**key, **fields)
        result.count(table, created=True)
        return row
    changed = {name: value for name, value in fields.items() if getattr(row, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(row, name, value)
        row.save()  # one history version per real change, not per import
        result.count(table, created=False)
    return row


def _without(row: dict, *keys: str) -> dict:
    return {k: v for k, v in row.items() if k not in keys}


def _apply(
    edition: Edition, clean: dict[str, list[tuple[int, dict]]], result: ImportResult
) -> None:
    for _number, row in clean.get("domains", []):
        key = {"edition": edition, "number": row["number"]}
        _save(result, "domains", WorkDomain, key, _without(row, "number"))
    domains = {d.number: d for d in edition.domains.all()}
    for _number, row in clean.get("themes", []):
        key = {"domain": domains[row["domain"]], "number": row["number"]}
        _save(result, "themes", Theme, key, _without(row, "domain", "number"))
    for table, model in (("addressees", Addressee), ("references", Reference)):
        for _number, row in clean.get(table, []):
            key = {"edition": edition, "order": row["order"]}
            _save(result, table, model, key, _without(row, "order"))
    for _number, row in clean.get("timeline", []):
        key = {
            "edition": edition,
            "date": row["date"],
            "kind": row["kind"],
            "title_nl": row["title_nl"],
        }
        _save(result, "timeline", TimelineEvent, key, _without(row, "date", "kind", "title_nl"))
    themes = {
        t.code: t for t in Theme.objects.filter(domain__edition=edition).select_related("domain")
    }
    links = {
        "addressees": {a.order: a for a in edition.addressees.all()},
        "references": {r.order: r for r in edition.references.all()},
    }
    for _number, row in clean.get("recommendations", []):
        fields = _without(row, "kind", "number", "domain", "theme", *links)
        fields["domain"] = domains[row["domain"]]
        if "theme" in row:
            fields["theme"] = themes.get(row["theme"]) if row["theme"] else None
        key = {"edition": edition, "kind": row["kind"], "number": row["number"]}
        counted = (dict(result.created), dict(result.updated))
        recommendation = _save(result, "recommendations", Recommendation, key, fields)
        linked = False
        for name, by_order in links.items():
            if name in row:
                wanted = {by_order[n].pk for n in row[name]}
                manager = getattr(recommendation, name)
                if set(manager.values_list("pk", flat=True)) != wanted:
                    manager.set(wanted)
                    linked = True
        if linked and counted == (result.created, result.updated):
            result.count("recommendations", created=False)


def import_tables(
    edition: Edition,
    tables: dict[str, Table],
    header: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Check everything, then write everything in one transaction (or nothing at all)."""
    result = ImportResult()
    checker = Checker(edition, tables, progress)
    result.problems = checker.run()
    if result.problems:
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
    edition: Edition,
    name: str,
    content: bytes,
    *,
    update_edition: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Read and import an uploaded file; unreadable files come back as problems too."""
    try:
        header, tables = read_file(name, content)
    except UnreadableFile as error:
        return ImportResult(problems=error.problems)
    return import_tables(edition, tables, header if update_edition else None, progress)


def load_edition(content: bytes, name: str = "catalogue.json") -> tuple[Edition, ImportResult]:
    """Create or update the edition described by a JSON catalogue file (demo and fixtures)."""
    header, tables = read_file(name, content)
    if not header or not header.get("slug"):
        raise UnreadableFile(
            [
                Problem(
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
        if result.problems:
            transaction.set_rollback(True)
    return edition, result

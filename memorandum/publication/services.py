"""Publishing a version of the memorandum, rendering its files, comparing two versions.

``version_publish`` is the secretariat's act: it freezes a snapshot under the next number
and queues the rendering after commit; ``version_render`` (run by the worker) writes each
missing file once and never touches a file that exists. ``snapshot_diff`` says what the
next version would change against the last published one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from memorandum.audit import services as audit
from memorandum.catalogue.models import Edition
from memorandum.catalogue.phases import PhaseAction, require_phase
from memorandum.lib.diff import diff_html, has_changes
from memorandum.lib.tasks import enqueue_on_commit
from memorandum.publication.models import (
    FILE_FORMATS,
    FILE_LANGUAGES,
    PublicationFile,
    PublicationVersion,
)
from memorandum.publication.snapshot import collect_snapshot, snapshot_hash
from memorandum.survey.contract import PublishedPriorities, read_priorities
from memorandum.survey.models import Survey, SurveyStatus

logger = logging.getLogger(__name__)


def publishable_surveys(edition: Edition):
    """Surveys of ``edition`` whose result may go into the memorandum: closed and counted."""
    return (
        Survey.objects.for_edition(edition)
        .filter(status__in=[SurveyStatus.CLOSED, SurveyStatus.TALLIED], tallies__isnull=False)
        .distinct()
        .order_by("-closes_at", "-id")
    )


def check_survey(edition: Edition, survey) -> None:
    """Raise a ``ValidationError`` unless ``survey`` (or None) may go into ``edition``'s memorandum."""
    if survey is None:
        return
    if survey.edition_id != edition.pk:
        raise ValidationError(
            _("This survey belongs to another edition; choose a survey of this edition.")
        )
    if not publishable_surveys(edition).filter(pk=survey.pk).exists():
        raise ValidationError(
            _(
                "The survey “%(title)s” has not been closed and counted; only counted surveys can go into the memorandum."
            )
            % {"title": survey.title}
        )


def check_edition(edition: Edition) -> None:
    """A version is the published memorandum: the edition must be in a phase that allows
    publishing (published or follow-up, which the public sees); ``PhaseRefused`` otherwise."""
    require_phase(edition, PhaseAction.PUBLISH)


def latest_version(edition: Edition) -> PublicationVersion | None:
    return PublicationVersion.objects.for_edition(edition).latest_first().first()


def next_number(edition: Edition) -> int:
    current = PublicationVersion.objects.for_edition(edition).aggregate(n=Max("number"))["n"]
    return (current or 0) + 1


@transaction.atomic
def version_publish(
    *,
    edition: Edition,
    survey=None,
    user=None,
    request=None,
    item_per_page: bool = False,
) -> PublicationVersion:
    """Publish the next version of ``edition``'s memorandum, with ``survey``'s result or none.

    ``item_per_page`` is a layout option frozen with the content: each item on a page of
    its own in the PDF, as the printed original.

    The content is frozen now (the snapshot); the PDF, Word and HTML files are rendered by
    the worker after commit, and the version shows "being rendered" until they exist. A
    version is never changed or undone: to correct it, publish the next one.
    """
    # The edition row is the lock that gives two simultaneous publishers different numbers.
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    check_edition(edition)
    check_survey(edition, survey)
    number = next_number(edition)
    snapshot = collect_snapshot(edition, survey)
    # The document names its version and date, so that a printed copy says which one it is.
    snapshot["version"] = {"number": number, "published_on": timezone.localdate().isoformat()}
    snapshot["options"] = {"item_per_page": bool(item_per_page)}
    version = PublicationVersion.objects.create(
        edition=edition,
        number=number,
        snapshot=snapshot,
        snapshot_sha256=snapshot_hash(snapshot),
        survey=survey if snapshot["survey"] else None,
        published_by=user if getattr(user, "is_authenticated", False) else None,
    )
    audit.record(
        audit.Action.PUBLISHED,
        actor=version.published_by,
        request=request,
        target=version,
        edition=edition.slug,
        number=number,
        survey=version.survey_id,
        sha256=version.snapshot_sha256,
    )
    from memorandum.publication.tasks import render_version

    enqueue_on_commit(render_version, version.pk)
    return version


def version_render(version: PublicationVersion) -> int:
    """Write the files of ``version`` that do not exist yet; return how many were written.

    Safe to run twice (a worker killed midway, two workers): an existing file is never
    rendered again, so a published file's bytes cannot change.
    """
    from memorandum.publication.document import document_from_snapshot
    from memorandum.publication.formats import render

    have = set(version.files.values_list("lang", "fmt"))
    written = 0
    try:
        for lang in FILE_LANGUAGES:
            wanted = [fmt for fmt in FILE_FORMATS if (lang, fmt) not in have]
            if not wanted:
                continue
            doc = document_from_snapshot(version.snapshot, lang)
            for fmt in wanted:
                content = render(doc, fmt)
                try:
                    with transaction.atomic():
                        PublicationFile.objects.create(
                            version=version, lang=lang, fmt=fmt, content=content
                        )
                    written += 1
                except IntegrityError:
                    pass  # another worker wrote it first; keep the first one
    except Exception as error:
        version.render_error = f"{type(error).__name__}: {error}"
        version.save(update_fields=["render_error"])
        raise
    if version.files.count() == len(FILE_LANGUAGES) * len(FILE_FORMATS):
        version.rendered_at = version.rendered_at or timezone.now()
        version.render_error = ""
        version.save(update_fields=["rendered_at", "render_error"])
    return written


@dataclass
class ItemChange:
    code: str
    title: str
    fields: list[tuple[str, SafeString]] = field(default_factory=list)


@dataclass
class SnapshotDiff:
    """What a new snapshot changes against a published one."""

    added: list[tuple[str, str]]
    removed: list[tuple[str, str]]
    changed: list[ItemChange]
    sections: list[str]
    survey_before: PublishedPriorities | None
    survey_after: PublishedPriorities | None

    @property
    def survey_changed(self) -> bool:
        def key(priorities: PublishedPriorities | None):
            return priorities.key if priorities else None

        return key(self.survey_before) != key(self.survey_after)

    @property
    def is_empty(self) -> bool:
        return not (
            self.added or self.removed or self.changed or self.sections or self.survey_changed
        )


ITEM_FIELDS = ("title", "objective", "actions", "context")


def _field_labels() -> dict[str, str]:
    return {
        "title": _("Title"),
        "objective": _("Objective"),
        "actions": _("Actions"),
        "context": _("Contextual elements"),
        "domain": _("Work domain"),
        "theme": _("Theme"),
        "number": _("Number"),
    }


def snapshot_diff(old: dict | None, new: dict, lang: str) -> SnapshotDiff:
    """Items added, removed and changed (word-level, in ``lang`` and the other language),
    other sections that changed, and the survey before and after."""
    from memorandum.publication.document import bilingual

    old = old or {"items": [], "edition": {}, "survey": None}
    before = {i["code"]: i for i in old.get("items", [])}
    after = {i["code"]: i for i in new["items"]}
    labels = _field_labels()

    def title(item: dict) -> str:
        return str(bilingual(item["title"], lang))

    changed = []
    for code, item in after.items():
        if code not in before:
            continue
        previous = before[code]
        fields = []
        for name in ITEM_FIELDS:
            for text_lang in (lang, *[c for c in FILE_LANGUAGES if c != lang]):
                a, b = previous[name].get(text_lang, ""), item[name].get(text_lang, "")
                if has_changes(a, b):
                    fields.append((f"{labels[name]} ({text_lang.upper()})", diff_html(a, b)))
        for name in ("domain", "theme"):
            if (previous.get(name) or {}) != (item.get(name) or {}):
                fields.append(
                    (
                        labels[name],
                        diff_html(
                            str(bilingual(previous.get(name), lang)),
                            str(bilingual(item.get(name), lang)),
                        ),
                    )
                )
        if fields:
            changed.append(ItemChange(code=code, title=title(item), fields=fields))
    section_labels = {
        "addressees": _("Addressees"),
        "references": _("References"),
        "timeline": _("Timeline"),
        "foreword": _("Foreword"),
        "introduction": _("Introduction"),
        "notes": _("Colophon notes"),
        "title": _("Title and issuing body"),
    }
    sections = []
    old_ed, new_ed = old.get("edition", {}), new["edition"]
    for key in ("addressees", "references", "timeline"):
        if old.get(key) != new.get(key):
            sections.append(section_labels[key])
    if any(
        old_ed.get(k) != new_ed.get(k)
        for k in ("foreword", "foreword_author", "foreword_author_function")
    ):
        sections.append(section_labels["foreword"])
    for key in ("introduction", "notes"):
        if old_ed.get(key) != new_ed.get(key):
            sections.append(section_labels[key])
    if any(old_ed.get(k) != new_ed.get(k) for k in ("title", "issuing_body")):
        sections.append(section_labels["title"])
    return SnapshotDiff(
        added=[(c, title(i)) for c, i in after.items() if c not in before],
        removed=[(c, title(i)) for c, i in before.items() if c not in after],
        changed=changed,
        sections=sections,
        survey_before=read_priorities(old["survey"]),
        survey_after=read_priorities(new["survey"]),
    )


def versions_requeue_unrendered(*, minutes: int) -> int:
    """Queue the rendering again for versions published at least ``minutes`` ago whose files
    are still missing (a worker stopped, or the queue was down when they were published).

    Rendering only writes missing files, so a version is never rendered twice over."""
    from memorandum.publication.tasks import render_version

    cutoff = timezone.now() - timedelta(minutes=minutes)
    ids = list(
        PublicationVersion.objects.filter(
            rendered_at__isnull=True, render_error="", published_at__lte=cutoff
        ).values_list("pk", flat=True)
    )
    for version_id in ids:
        render_version.enqueue(version_id)
    return len(ids)

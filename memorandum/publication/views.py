"""The published memorandum of an edition, its versions and files; preview and publish.

The public reads published versions only: the page shows the latest one (or says that none
is published yet), earlier ones stay readable with their files and hashes. The secretariat
previews the next version against the last published one and publishes it.
"""

from __future__ import annotations

import base64
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from memorandum.catalogue.selectors import edition_for  # unpublished editions 404 for the public
from memorandum.lib.downloads import download_response
from memorandum.lib.i18n import content_language
from memorandum.publication.document import LANGUAGES, describe_survey, document_from_snapshot
from memorandum.publication.forms import PublishForm
from memorandum.publication.html import render_body
from memorandum.publication.models import FILE_FORMATS, PublicationFile, PublicationVersion
from memorandum.publication.services import (
    check_edition,
    check_survey,
    latest_version,
    next_number,
    snapshot_diff,
    version_publish,
)
from memorandum.publication.snapshot import collect_snapshot, item_counts
from memorandum.survey.contract import read_priorities

PUBLISH = "publication.publish_memorandum"


def _versions(edition) -> list[PublicationVersion]:
    """Every version of ``edition``, newest first, with its files (without their bytes)."""
    files = PublicationFile.objects.defer("content").select_related("version__edition")
    return list(
        PublicationVersion.objects.for_edition(edition)
        .latest_first()
        .select_related("edition")
        .prefetch_related(Prefetch("files", queryset=files))
    )


def _version_page(request: HttpRequest, edition, number: int | None = None) -> HttpResponse:
    versions = _versions(edition)
    if not versions:
        return render(
            request,
            "publication/not_published.html",
            {"edition": edition, "can_publish": request.user.has_perm(PUBLISH)},
        )
    if number is None:
        version = versions[0]
    else:
        version = next((v for v in versions if v.number == number), None)
        if version is None:
            raise Http404
    lang = content_language()
    doc = document_from_snapshot(version.snapshot, lang)
    return render(
        request,
        "publication/memorandum.html",
        {
            "edition": edition,
            "version": version,
            "latest": versions[0],
            "version_rows": [
                {"version": v, "survey": v.survey_description(lang), "files": v.listed_files()}
                for v in versions
            ],
            "survey_description": version.survey_description(lang),
            "doc": doc,
            "body": render_body(doc),
            "can_publish": request.user.has_perm(PUBLISH),
        },
    )


def memorandum(request: HttpRequest, slug: str) -> HttpResponse:
    """The latest published version, or a page that says none is published yet."""
    return _version_page(request, edition_for(request.user, slug))


def version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """An earlier (or the current) version, exactly as it was published."""
    return _version_page(request, edition_for(request.user, slug), number)


def version_file(request: HttpRequest, slug: str, number: int, lang: str, fmt: str) -> HttpResponse:
    """A published file, byte for byte as rendered, with its SHA-256 in ``Repr-Digest``."""
    edition = edition_for(request.user, slug)
    if lang not in LANGUAGES or fmt not in FILE_FORMATS:
        raise Http404
    file = get_object_or_404(
        PublicationFile.objects.select_related("version__edition"),
        version__edition=edition,
        version__number=number,
        lang=lang,
        fmt=fmt,
    )
    content = bytes(file.content)
    response = download_response(content, file.filename)
    digest = base64.b64encode(hashlib.sha256(content).digest()).decode()
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    return response


def download(request: HttpRequest, slug: str, lang: str, fmt: str) -> HttpResponse:
    """Old address of a download: the same file of the latest published version."""
    edition = edition_for(request.user, slug)
    current = latest_version(edition)
    if current is None or lang not in LANGUAGES or fmt not in FILE_FORMATS:
        raise Http404
    return redirect("publication:version_file", edition.slug, current.number, lang, fmt)


@login_required
@permission_required(PUBLISH, raise_exception=True)
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    """What the next version would contain, and what it changes against the last one."""
    edition = edition_for(request.user, slug)
    latest = latest_version(edition)
    initial = latest.survey if latest else None
    form = PublishForm(
        request.GET if "survey" in request.GET else None,
        edition=edition,
        initial_survey=initial,
    )
    survey = form.cleaned_data["survey"] if form.is_bound and form.is_valid() else initial
    if survey is not None and not form.is_bound:
        # The last version's survey may no longer qualify (e.g. deleted tally): check it.
        try:
            check_survey(edition, survey)
        except ValidationError:
            survey = None
    lang = content_language()
    snapshot = collect_snapshot(edition, survey)
    doc = document_from_snapshot(snapshot, lang)
    return render(
        request,
        "publication/preview.html",
        {
            "edition": edition,
            "form": form,
            "doc": doc,
            "body": render_body(doc),
            "latest": latest,
            **_diff_context(latest, snapshot, lang),
            "survey": survey,
            "number": next_number(edition),
        },
    )


@login_required
@permission_required(PUBLISH, raise_exception=True)
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Choose the survey, confirm what will happen, then publish the next version."""
    edition = edition_for(request.user, slug)
    latest = latest_version(edition)
    number = next_number(edition)
    form = PublishForm(
        request.POST if request.method == "POST" else None,
        edition=edition,
        initial_survey=latest.survey if latest else None,
        # The preview's choice comes along in the address.
        initial={"survey": request.GET["survey"]} if "survey" in request.GET else None,
    )
    context = {
        "edition": edition,
        "form": form,
        "latest": latest,
        "number": number,
        "problem": _publish_problem(edition),
    }
    if request.method == "GET" or not form.is_valid():
        return render(request, "publication/publish.html", context)
    confirmed = form.confirms(number)
    if confirmed:
        return _publish_confirmed(request, form, context)
    if confirmed is False:
        messages.warning(
            request,
            _("Another version was published in the meantime: check what will happen again."),
        )
    survey = form.cleaned_data["survey"]
    context |= _confirmation_context(edition, latest, survey)
    return render(request, "publication/publish.html", context)


def _publish_confirmed(request: HttpRequest, form: PublishForm, context: dict) -> HttpResponse:
    """Publish the confirmed version, or show the publish page with the reason it was refused."""
    try:
        created = version_publish(
            edition=form.edition,
            survey=form.cleaned_data["survey"],
            user=request.user,
            request=request,
            item_per_page=form.cleaned_data["item_per_page"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "publication/publish.html", context)
    messages.success(
        request,
        _(
            "Version %(number)d of the memorandum is published. Its files are being rendered; "
            "they appear on its page in a minute."
        )
        % {"number": created.number},
    )
    return redirect(created)


def _confirmation_context(edition, latest: PublicationVersion | None, survey) -> dict:
    """What publishing would do: the survey chosen, the item counts and the changes."""
    snapshot = collect_snapshot(edition, survey)
    return {
        "confirming": True,
        "survey": survey,
        "survey_value": str(survey.pk) if survey else "none",
        **item_counts(snapshot),
        **_diff_context(latest, snapshot, content_language()),
    }


def _diff_context(latest: PublicationVersion | None, snapshot: dict, lang: str) -> dict:
    before = latest.snapshot if latest else None
    return {
        "diff": snapshot_diff(before, snapshot, lang),
        "survey_before": describe_survey(read_priorities((before or {}).get("survey")), lang),
        "survey_after": describe_survey(read_priorities(snapshot["survey"]), lang),
    }


def _publish_problem(edition) -> str:
    """Why this edition cannot be published now, or ""."""
    try:
        check_edition(edition)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""

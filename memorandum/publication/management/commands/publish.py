from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from memorandum.catalogue.management.base import add_edition_argument, edition_or_error
from memorandum.catalogue.models import Edition
from memorandum.publication.document import LANGUAGES, build_document
from memorandum.publication.formats import FORMATS, render
from memorandum.publication.models import PublicationFile, PublicationVersion
from memorandum.publication.services import version_publish, version_render


class Command(BaseCommand):
    help = (
        "The memorandum of an edition as documents. "
        "--create publishes the next numbered version (as the secretariat's publish page does) and renders "
        "its PDF, Word and HTML files in Dutch and French at once; --survey ID puts that counted survey's "
        "result in it (default: none). "
        "--render N renders the files of version N that are still missing (never re-renders existing ones). "
        "-o FILE writes one file: with --number N the stored file of that published version, byte for "
        "byte; without it, a draft made from the data as they stand now (marked as a draft when the edition "
        "is not published; with --survey ID for a survey section). "
        "Examples: manage.py publish 2024-2028 --create --survey 3; "
        "manage.py publish 2024-2028 --number 1 --format pdf --lang nl -o memorandum-v1-nl.pdf"
    )

    def add_arguments(self, parser):
        add_edition_argument(parser)
        parser.add_argument(
            "--format", dest="fmt", default="pdf", help="pdf, docx or html (default pdf)."
        )
        parser.add_argument("--lang", default="nl", help="nl or fr (default nl).")
        parser.add_argument("-o", "--output", help="File to write.")
        parser.add_argument(
            "--number",
            dest="number",
            type=int,
            help="Number of a published version (with -o: write its stored file).",
        )
        parser.add_argument(
            "--survey", help="Id of a counted survey of the edition whose result to include."
        )
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--create", action="store_true", help="Publish the next version and render it."
        )
        action.add_argument(
            "--render", type=int, metavar="N", help="Render the missing files of version N."
        )

    def handle(self, *args, edition: str, fmt: str, lang: str, output, number, survey, **options):
        found = edition_or_error(edition)
        chosen = self._survey(found, survey)
        if options["create"]:
            return self._create(found, chosen)
        if options["render"] is not None:
            return self._render(self._version(found, options["render"]))
        fmt, lang = fmt.lower(), lang.lower()
        if fmt not in FORMATS:
            raise CommandError(f"Unknown format “{fmt}”: use one of {', '.join(FORMATS)}.")
        if lang not in LANGUAGES:
            raise CommandError(f"Unknown language “{lang}”: use one of {', '.join(LANGUAGES)}.")
        if not output:
            raise CommandError("Say where to write the file with -o FILE (or use --create).")
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"Cannot write “{output}”: the folder {path.parent} does not exist.")
        if number is not None:
            return self._write_stored(self._version(found, number), fmt, lang, path)
        self._write_draft(found, chosen, fmt, lang, path)

    def _survey(self, edition: Edition, raw):
        if raw is None or raw == "none":
            return None
        from memorandum.publication.services import check_survey
        from memorandum.survey.models import Survey

        survey = Survey.objects.filter(pk=int(raw)).first() if str(raw).isdigit() else None
        if survey is None:
            raise CommandError(f"No survey with id “{raw}”.")
        try:
            with translation.override("en"):  # the command speaks English, like its help
                check_survey(edition, survey)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        return survey

    def _version(self, edition: Edition, number: int) -> PublicationVersion:
        version = PublicationVersion.objects.filter(edition=edition, number=number).first()
        if version is None:
            numbers = list(
                PublicationVersion.objects.for_edition(edition).values_list("number", flat=True)
            )
            known = ", ".join(map(str, sorted(numbers))) or "none yet"
            raise CommandError(
                f"Edition {edition.slug} has no version {number} (versions: {known})."
            )
        return version

    def _create(self, edition: Edition, survey) -> None:
        try:
            # The render job is queued after commit as usual; rendering here as well is harmless
            # (files are written once), and leaves the version complete when the command ends.
            with transaction.atomic(), translation.override("en"):
                version = version_publish(edition=edition, survey=survey)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Published version {version.number} of {edition.slug}.")
        )
        self._render(version)

    def _render(self, version: PublicationVersion) -> None:
        written = version_render(version)
        self.stdout.write(f"Version {version.number}: {written} file(s) rendered.")
        for f in version.listed_files():
            self.stdout.write(f"  {f.filename}  {f.size:>9,} bytes  sha256 {f.sha256}")

    def _write_stored(self, version: PublicationVersion, fmt: str, lang: str, path: Path) -> None:
        file = PublicationFile.objects.filter(version=version, lang=lang, fmt=fmt).first()
        if file is None:
            raise CommandError(
                f"Version {version.number} has no {fmt.upper()} file in “{lang}” yet; render it with "
                f"--render {version.number}."
            )
        path.write_bytes(bytes(file.content))
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path} (version {version.number}, {fmt.upper()}, {lang}, {file.size:,} bytes, "
                f"sha256 {file.sha256})."
            )
        )

    def _write_draft(self, edition: Edition, survey, fmt: str, lang: str, path: Path) -> None:
        doc = build_document(edition, lang, survey=survey)
        content = render(doc, fmt)
        path.write_bytes(content)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path} (draft from the current data, {fmt.upper()}, {lang}, {len(content):,} bytes)."
            )
        )
        stand_ins = [text for text in doc.texts() if text.is_fallback]
        if stand_ins:
            shown_in = ", ".join(sorted({text.lang for text in stand_ins}))
            self.stdout.write(
                self.style.WARNING(
                    f"{len(stand_ins)} texts are missing in “{lang}” and are shown in {shown_in} instead, marked "
                    f"[{shown_in.upper()}]."
                )
            )
        if not doc.recommendations and not doc.commitments:
            self.stdout.write(
                self.style.WARNING("The edition has no adopted recommendations or commitments yet.")
            )

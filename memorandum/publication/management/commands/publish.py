from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from memorandum.catalogue.models import Edition
from memorandum.publication.document import LANGUAGES, build_document
from memorandum.publication.formats import FORMATS, render


class Command(BaseCommand):
    help = (
        "Write the memorandum of an edition as a document: PDF (A4, contents, bookmarks), Word (DOCX, with "
        "heading styles and a contents field) or a self-contained HTML file, in Dutch or French. Only adopted "
        "recommendations and commitments are included; works for unpublished editions too (marked as a draft). "
        "Example: manage.py publish 2024-2028 --format pdf --lang nl -o memorandum-nl.pdf"
    )

    def add_arguments(self, parser):
        parser.add_argument("edition", help="Slug of the edition, e.g. 2024-2028.")
        parser.add_argument(
            "--format", dest="fmt", default="pdf", help="pdf, docx or html (default pdf)."
        )
        parser.add_argument("--lang", default="nl", help="nl or fr (default nl).")
        parser.add_argument("-o", "--output", required=True, help="File to write.")

    def handle(self, *args, edition: str, fmt: str, lang: str, output: str, **options):
        fmt, lang = fmt.lower(), lang.lower()
        if fmt not in FORMATS:
            raise CommandError(f"Unknown format “{fmt}”: use one of {', '.join(FORMATS)}.")
        if lang not in LANGUAGES:
            raise CommandError(f"Unknown language “{lang}”: use one of {', '.join(LANGUAGES)}.")
        found = Edition.objects.filter(slug=edition).first()
        if found is None:
            known = ", ".join(Edition.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No edition with slug “{edition}” (known editions: {known}).")
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"Cannot write “{output}”: the folder {path.parent} does not exist.")
        doc = build_document(found, lang)
        content = render(doc, fmt)
        path.write_bytes(content)
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {path} ({fmt.upper()}, {lang}, {len(content):,} bytes).")
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

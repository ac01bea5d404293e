import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from memorandum.catalogue.management.base import add_edition_argument, edition_or_error
from memorandum.roadmap import report
from memorandum.roadmap.models import Initiative


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{text!r} is not a date; write it as 2025-12-31.") from error


class Command(BaseCommand):
    help = (
        "Write the progress report of an edition's roadmap for a period (e.g. the yearly report to the "
        "authorities) as PDF or DOCX, in Dutch or French. Example: "
        "manage.py roadmap_report 2024-2028 --from 2025-01-01 --to 2025-12-31 --lang fr --format docx -o rapport.docx"
    )

    def add_arguments(self, parser):
        add_edition_argument(parser)
        parser.add_argument(
            "--from", dest="start", required=True, help="First day of the period (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--to", dest="end", required=True, help="Last day of the period (YYYY-MM-DD)."
        )
        parser.add_argument("--lang", choices=["nl", "fr"], default="nl")
        parser.add_argument("--format", dest="fmt", choices=["pdf", "docx"], default="pdf")
        parser.add_argument("-o", "--output", required=True, help="File to write.")

    def handle(
        self, *args, edition: str, start: str, end: str, lang: str, fmt: str, output: str, **options
    ):
        target = edition_or_error(edition)
        first, last = _date(start), _date(end)
        if last < first:
            raise CommandError("--to is before --from.")
        content, _type = report.render(
            target, Initiative.objects.filter(edition=target), first, last, lang, fmt
        )
        Path(output).write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(content)} bytes)."))

from pathlib import Path

from django.core.management.base import BaseCommand

from memorandum.catalogue.exchange import EXPORTERS
from memorandum.catalogue.management.base import add_edition_argument, edition_or_error


class Command(BaseCommand):
    help = "Export an edition's catalogue as XLSX, CSV (recommendations only) or JSON."

    def add_arguments(self, parser):
        add_edition_argument(parser)
        parser.add_argument("--format", choices=sorted(EXPORTERS), default="json")
        parser.add_argument(
            "-o", "--output", required=True, help="File to write ('-' for standard output)."
        )

    def handle(self, *args, edition, format, output, **options):
        edition_obj = edition_or_error(edition)
        content = EXPORTERS[format](edition_obj)
        if output == "-":
            self.stdout.write(content.decode("utf-8"))
        else:
            Path(output).write_bytes(content)
            self.stdout.write(self.style.SUCCESS(f"Wrote {output}."))

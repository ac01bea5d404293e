from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from memorandum.catalogue.exchange import import_file
from memorandum.catalogue.management.base import add_edition_argument, edition_or_error


class Command(BaseCommand):
    help = (
        "Import a catalogue file (XLSX, CSV or JSON, as exported) into an edition. The whole file is checked first; "
        "on any problem nothing changes and the problems are listed by table, row and column."
    )

    def add_arguments(self, parser):
        add_edition_argument(parser)
        parser.add_argument("file", help="The .xlsx, .csv or .json file.")

    def handle(self, *args, edition, file, **options):
        edition_obj = edition_or_error(edition)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file}.")
        result = import_file(edition_obj, path.name, path.read_bytes())
        if result.problems:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  {issue}" for issue in result.problems)
            )
        self.stdout.write(
            self.style.SUCCESS(f"Imported: created {result.created}, updated {result.updated}.")
        )

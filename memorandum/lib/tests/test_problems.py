"""An import problem reads 'sheet, row 3, column “x”: message', with French typography."""

from django.utils import translation
from django.utils.translation import gettext

from memorandum.lib.spreadsheets import Problem


def test_a_problem_names_where_it_is_then_what():
    """In English the place and the message are joined by a colon."""
    with translation.override("en"):
        text = str(Problem("themes", 3, "code", "This cell is empty; it is required."))
    assert text == "themes, row 3, column “code”: This cell is empty; it is required."


def test_french_puts_no_break_spaces_inside_guillemets_and_before_colons():
    """French: « code » and a no-break space before ':' and ';'."""
    with translation.override("fr"):
        text = str(Problem(None, 3, "code", gettext("This cell is empty; it is required.")))
    assert text == (
        "ligne 3, colonne «\u00a0code\u00a0»\u00a0: Cette cellule est vide\u00a0; "
        "elle est obligatoire."
    )


def test_a_problem_without_a_place_is_its_message():
    """Nothing to point at: the message alone."""
    with translation.override("en"):
        assert str(Problem(None, None, None, "Broken.")) == "Broken."

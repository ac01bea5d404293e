"""Reading ballots from files: PrefLib, CSV (ballots and wiki-survey exports) and JSON.

Every problem is reported as a :class:`ParseError` naming the file, the line (or JSON
ballot) and the problem; nothing is repaired or guessed.  The formats are described in
``docs/ranking.md``; each has its module here.
"""

from __future__ import annotations

from pathlib import Path

from ..profile import BallotSet
from ._chunks import chunks_of_bytes, chunks_of_file
from .csvfile import read_csv, read_csv_file
from .errors import ParseError
from .jsonfile import read_json
from .preflib import PREFLIB_TYPES, read_preflib, read_preflib_chunks

__all__ = [
    "PREFLIB_TYPES",
    "ParseError",
    "chunks_of_bytes",
    "chunks_of_file",
    "load",
    "read_csv",
    "read_csv_file",
    "read_json",
    "read_preflib",
    "read_preflib_chunks",
]


def load(path: str | Path, *, question: str | None = None) -> BallotSet:
    """Read a ballot file, choosing the reader from the extension.

    Parameters
    ----------
    path : str or Path
        ``.soc .soi .toc .toi .cat`` are PrefLib files, ``.csv`` and ``.json`` the
        documented formats.
    question : str, optional
        The question to read from a wiki-survey CSV.

    Returns
    -------
    BallotSet
        The profile of the file's ballot kind.

    Raises
    ------
    ParseError
        For malformed content, an unknown extension or text that is not UTF-8.
    """
    p = Path(path)
    ext = p.suffix.lower().lstrip(".")
    try:
        if ext in PREFLIB_TYPES:
            return read_preflib_chunks(chunks_of_file(p), ext, source=str(p))
        if ext == "csv":
            return read_csv_file(p, question=question)
        if ext == "json":
            return read_json(p.read_bytes(), source=str(p))
    except UnicodeDecodeError as exc:
        raise ParseError(str(p), None, f"not UTF-8 text ({exc.reason})") from None
    raise ParseError(
        str(p),
        None,
        f"unknown file type {p.suffix!r} (expected "
        f"{', '.join('.' + t for t in PREFLIB_TYPES)}, .csv or .json)",
    )

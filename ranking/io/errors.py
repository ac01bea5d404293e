"""The one error type of the readers."""

from __future__ import annotations

__all__ = ["ParseError"]


class ParseError(ValueError):
    """A malformed input file; ``str()`` reads ``file:line: problem``.

    Parameters
    ----------
    source : str
        File name (or a label such as ``"<csv>"``).
    line : int, str or None
        Line number, or a JSON location such as ``"ballots[3]"``; None for the whole file.
    problem : str
        What is wrong, in words.
    """

    def __init__(self, source: str, line: int | str | None, problem: str) -> None:
        self.source, self.line, self.problem = source, line, problem
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {problem}")

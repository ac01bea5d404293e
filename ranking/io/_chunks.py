"""Reading text in line-aligned byte chunks, so memory follows the chunk, not the file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["CHUNK_BYTES", "Chunk", "chunks_of_bytes", "chunks_of_file"]

#: Bytes per chunk: large enough that numpy's per-call overhead vanishes, small enough that
#: the per-byte temporaries of a chunk stay a few tens of MiB.
CHUNK_BYTES = 1 << 20

#: ``(data, first_line)``: whole lines ending in ``b"\n"`` and the number of the first one.
Chunk = tuple[bytes, int]

_BOM = b"\xef\xbb\xbf"


def chunks_of_bytes(data: bytes, size: int = CHUNK_BYTES) -> Iterator[Chunk]:
    """Split ``data`` into chunks of whole lines of about ``size`` bytes.

    Parameters
    ----------
    data : bytes
        The text (a UTF-8 byte order mark is dropped).
    size : int
        Target chunk size in bytes.

    Yields
    ------
    Chunk
        Each chunk ends with a newline (one is added to the last line if missing).
    """
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    start, line = 0, 1
    while start < len(data):
        end = data.rfind(b"\n", start, start + size)
        end = len(data) if end < 0 or start + size >= len(data) else end + 1
        part = data[start:end]
        if not part.endswith(b"\n"):
            part += b"\n"
        yield part, line
        line += part.count(b"\n")
        start = end


def chunks_of_file(path: str | Path, size: int = CHUNK_BYTES) -> Iterator[Chunk]:
    """Read a file as chunks of whole lines (see :func:`chunks_of_bytes`).

    Parameters
    ----------
    path : str or Path
        The file.
    size : int
        Target chunk size in bytes.

    Yields
    ------
    Chunk
        Line-aligned chunks; the file is never held in memory whole.
    """
    with open(path, "rb") as fh:
        yield from _chunks_of_stream(fh, size)


def _chunks_of_stream(fh: BinaryIO, size: int) -> Iterator[Chunk]:
    rest, line, first = b"", 1, True
    while True:
        block = fh.read(size)
        if first:
            first = False
            if block.startswith(_BOM):
                block = block[len(_BOM) :]
        if not block:
            if rest:
                yield rest + b"\n", line
            return
        data = rest + block
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            rest = data
            continue
        yield data[:cut], line
        line += data.count(b"\n", 0, cut)
        rest = data[cut:]

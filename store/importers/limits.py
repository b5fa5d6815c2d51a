"""Bounds on imported input, shared by every importer: a line, a text field, a list, an id.

Record fields use the annotated types below (so every importer that builds records gets the same
limits, each broken one reported as the field and its file and line); line-oriented files are read
with `numbered_lines`, which refuses an overlong line before holding it and reports invalid UTF-8
on the line it is on.
"""

from collections.abc import Iterator
from io import BufferedIOBase
from typing import Annotated

from pydantic import Field

from store.importers.errors import BundleError

MAX_LINE_BYTES = 8 * 1024 * 1024  # one JSON Lines record
MAX_TEXT_CHARS = 1_000_000  # a body, profile or description
MAX_LIST_ITEMS = 1_000  # tags, skills, languages, interests
MAX_ID_CHARS = 200  # the store's id columns
MAX_NAME_CHARS = 300  # names, titles, units, locations, emails, list items
MAX_INT = 2**31 - 1  # counts and scores: the store's INTEGER columns (32-bit on PostgreSQL)

Id = Annotated[str, Field(min_length=1, max_length=MAX_ID_CHARS)]
Name = Annotated[str, Field(max_length=MAX_NAME_CHARS)]
LongText = Annotated[str, Field(max_length=MAX_TEXT_CHARS)]
Items = Annotated[list[Name], Field(max_length=MAX_LIST_ITEMS)]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
Score = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]


def numbered_lines(stream: BufferedIOBase, name: str) -> Iterator[tuple[int, str]]:
    """Numbered non-blank lines of a binary stream, decoded as UTF-8 (a leading BOM dropped).

    Raises BundleError naming `name` and the line: longer than MAX_LINE_BYTES, not valid UTF-8,
    or unreadable (a truncated gzip file).
    """
    number = 0
    try:
        while line := stream.readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                raise BundleError(name, number, f"line longer than {MAX_LINE_BYTES:,} bytes")
            try:
                text = line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                raise BundleError(name, number, f"not valid UTF-8 (byte {error.start + 1})") from error
            if text.strip():
                yield number, text
    except (OSError, EOFError) as error:
        raise BundleError(name, number + 1, f"unreadable: {error}") from error

"""The error every importer raises for input it cannot take: it names the file and the place."""

Place = int | str | None  # a line number, another place in the file (e.g. "[3]"), or the whole file


def where(file: str, place: Place) -> str:
    """`file line N`, `file PLACE` or `file`: how errors name a place in the input."""
    if place is None:
        return file
    return f"{file} line {place}" if isinstance(place, int) else f"{file} {place}"


class BundleError(ValueError):
    """An input that cannot be imported; names the file and the line or place in it."""

    def __init__(self, file: str, line: Place, message: str) -> None:
        self.file = file
        self.line = line
        self.message = message
        super().__init__(f"{where(file, line)}: {message}")

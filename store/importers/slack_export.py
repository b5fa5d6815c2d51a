"""The files of a Slack workspace export, read from its ZIP or its unpacked folder.

The export's root is where `channels.json` lies (a ZIP may wrap everything in one folder).
"""

import json
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from store.importers.records import BundleError


class SlackExport:
    """Named JSON files of one export; names are relative to the export's root, `/`-separated."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        if path.is_dir():
            files = {p.relative_to(path).as_posix(): str(p) for p in path.rglob("*.json") if p.is_file()}
        elif zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            files = {name: name for name in self._zip.namelist() if name.endswith(".json")}
        else:
            raise BundleError(str(path), None, "neither a folder nor a ZIP file")
        roots = sorted(str(PurePosixPath(n).parent) for n in files if n.rpartition("/")[2] == "channels.json")
        if not roots:
            raise BundleError("channels.json", None, f"missing from {path}")
        prefix = "" if roots[0] == "." else roots[0] + "/"
        self._files = {n.removeprefix(prefix): f for n, f in files.items() if n.startswith(prefix)}

    def names(self) -> list[str]:
        """Every JSON file's name, sorted."""
        return sorted(self._files)

    def load(self, name: str, required: bool = True) -> Any:
        """The parsed JSON of one file ([] when an optional file is absent)."""
        source = self._files.get(name)
        if source is None:
            if required:
                raise BundleError(name, None, f"missing from {self.path}")
            return []
        try:
            raw = self._zip.read(source) if self._zip else Path(source).read_bytes()
            return json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise BundleError(name, None, "not valid UTF-8") from error
        except json.JSONDecodeError as error:
            raise BundleError(name, error.lineno, f"invalid JSON: {error.msg}") from error
        except (OSError, zipfile.BadZipFile) as error:
            raise BundleError(name, None, f"unreadable: {error}") from error

"""Plain text from Slack's message markup: mentions and links resolved, emoji codes dropped,
code kept verbatim (https://api.slack.com/reference/surfaces/formatting)."""

import re
from collections.abc import Mapping
from html import unescape

CODE = re.compile(r"(```.*?```|`[^`\n]+`)", re.DOTALL)
SPECIAL = re.compile(r"<([^<>\n]+)>")
EMOJI = re.compile(r"(?<![\w:])(?::[a-z0-9_+'-]+:)+(?![\w:])")
SPACES = re.compile(r"[ \t]+")


def slack_to_text(text: str, users: Mapping[str, str], channels: Mapping[str, str]) -> str:
    """Readable text of a message; `users` and `channels` map Slack ids to names."""
    parts = []
    for number, part in enumerate(CODE.split(text)):
        resolved = SPECIAL.sub(lambda m: _special(m.group(1), users, channels), part)
        if number % 2:
            parts.append(unescape(resolved.strip("`")))
        else:
            parts.append(unescape(SPACES.sub(" ", EMOJI.sub("", resolved))))
    return "\n".join(line.rstrip() for line in "".join(parts).strip().splitlines())


def _special(token: str, users: Mapping[str, str], channels: Mapping[str, str]) -> str:
    """The text of one `<...>` token: a user, a channel, a broadcast or a link."""
    target, _, label = token.partition("|")
    if target.startswith("@"):
        return users.get(target[1:]) or label or target
    if target.startswith("#"):
        return "#" + (label or channels.get(target[1:], target[1:]))
    if target.startswith("!"):
        return label or "@" + target[1:].split("^")[0]
    return label or target.removeprefix("mailto:")

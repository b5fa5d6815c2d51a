"""A hand-made Slack workspace export written into a temporary folder or ZIP."""

import json
import zipfile
from pathlib import Path

USERS = [
    {
        "id": "U1",
        "name": "ana",
        "tz": "Europe/Lisbon",
        "profile": {"real_name": "Ana Lima", "title": "DBA", "email": "ana@example.org"},
    },
    {"id": "U2", "name": "ben", "real_name": "Ben Ode", "tz": "America/New_York", "profile": {}},
    {"id": "U3", "name": "caro", "profile": {"real_name": "Caro"}},
    {"id": "U4", "name": "gone", "deleted": True, "profile": {"real_name": "Gone Person"}},
    {"id": "B1", "name": "deploybot", "is_bot": True, "profile": {"real_name": "Deploy"}},
    {"id": "USLACKBOT", "name": "slackbot", "profile": {"real_name": "Slackbot"}},
]
CHANNELS = [
    {"id": "C1", "name": "databases", "purpose": {"value": "All about databases"}, "topic": {"value": "t"}},
    {"id": "C2", "name": "random", "purpose": {"value": ""}, "topic": {"value": "anything goes"}},
]
# 2021-03-01 09:00:00 UTC = 1614589200
DAY1 = [
    {
        "type": "message",
        "subtype": "channel_join",
        "user": "U1",
        "text": "<@U1> has joined",
        "ts": "1614589000.000100",
    },
    {
        "type": "message",
        "user": "U2",
        "text": "How do I speed up a join? :thinking_face:\nIt takes 10:30 minutes",
        "ts": "1614589200.000100",
        "thread_ts": "1614589200.000100",
        "reply_count": 3,
        "reactions": [{"name": "eyes", "users": ["U1", "U3"], "count": 2}],
    },
    {
        "type": "message",
        "user": "U1",
        "text": "Add an index, see <https://example.org/idx|the guide> and ask <@U3> in <#C2|random>",
        "ts": "1614589260.000200",
        "thread_ts": "1614589200.000100",
        "reactions": [
            {"name": "white_check_mark", "users": ["U2"], "count": 1},
            {"name": "+1", "users": ["U3", "U4"], "count": 2},
        ],
    },
    {
        "type": "message",
        "user": "U3",
        "text": "```\nCREATE INDEX i ON t (a); -- :not_emoji:\n```",
        "ts": "1614589320.000300",
        "thread_ts": "1614589200.000100",
        "reactions": [{"name": "white_check_mark", "users": ["U1"], "count": 1}],
    },
    {
        "type": "message",
        "user": "U4",
        "text": "old advice",
        "ts": "1614589380.000400",
        "thread_ts": "1614589200.000100",
    },
    {
        "type": "message",
        "subtype": "channel_topic",
        "user": "U1",
        "text": "set the topic",
        "ts": "1614589400.000100",
    },
    {
        "type": "message",
        "subtype": "bot_message",
        "bot_id": "BB1",
        "text": "deployed",
        "ts": "1614589500.000100",
    },
    {"type": "message", "user": "B1", "text": "bot user talks", "ts": "1614589510.000100"},
    {"type": "message", "user": "USLACKBOT", "text": "reminder", "ts": "1614589520.000100"},
    {"type": "message", "user": "U1", "text": "Backups run nightly &amp; weekly", "ts": "1614589600.000500"},
]
DAY2 = [
    {
        "type": "message",
        "user": "U3",
        "text": "Vacuum or analyze first?",
        "ts": "1614675600.000100",
        "thread_ts": "1614675600.000100",
        "reply_count": 2,
        "reactions": [{"name": "heavy_check_mark", "users": ["U3"], "count": 1}],
    },
    {
        "type": "message",
        "user": "U1",
        "text": "analyze",
        "ts": "1614675660.000200",
        "thread_ts": "1614675600.000100",
    },
    {
        "type": "message",
        "user": "U2",
        "text": "both",
        "ts": "1614675720.000300",
        "thread_ts": "1614675600.000100",
    },
    {"type": "message", "subtype": "channel_leave", "user": "U2", "text": "left", "ts": "1614675800.000100"},
]
RANDOM_DAY = [{"type": "message", "user": "U2", "text": "lunch?", "ts": "1614589700.000100"}]


def export_files(days: dict[str, list] | None = None) -> dict[str, object]:
    """The export's files by name; `days` replaces the day files (name -> messages)."""
    files: dict[str, object] = {"users.json": USERS, "channels.json": CHANNELS}
    files |= days or {
        "databases/2021-03-01.json": DAY1,
        "databases/2021-03-02.json": DAY2,
        "random/2021-03-01.json": RANDOM_DAY,
    }
    return files


def write_export(path: Path, files: dict[str, object] | None = None, as_zip: bool = False) -> Path:
    """Write the export as a folder (or a ZIP when `as_zip`); a str value is written as is."""
    files = export_files() if files is None else files
    texts = {name: v if isinstance(v, str) else json.dumps(v) for name, v in files.items()}
    if as_zip:
        with zipfile.ZipFile(path, "w") as archive:
            for name, text in texts.items():
                archive.writestr(name, text)
        return path
    for name, text in texts.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    return path

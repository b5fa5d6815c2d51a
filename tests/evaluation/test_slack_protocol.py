"""A Slack export made from the demo organization goes through the expert protocol like a bundle
(the evaluation itself, on any batch, is tested end to end in test_end_to_end.py)."""

from datetime import datetime
from pathlib import Path

from evaluation.protocol import split_experts
from service.demo.generator import generate_demo
from store.importers.slack import read_slack
from tests.store.slack_exports import write_export


def demo_as_slack(folder: Path) -> Path:
    """The demo's communities as channels, questions as threads, the accepted answer ✅ by the asker."""
    demo = generate_demo(seed=7, size="small")
    channels = {c["id"]: f"c{n}" for n, c in enumerate(demo.communities)}
    users = {m["id"]: f"U{n}" for n, m in enumerate(demo.members)}
    ts = {
        c["id"]: f"{datetime.fromisoformat(c['created_at']).timestamp():.0f}.{n:06d}"
        for n, c in enumerate(demo.contributions)
    }
    by_id = {c["id"]: c for c in demo.contributions}
    days: dict[str, list[dict]] = {}
    for c in demo.contributions:
        if c["kind"] not in ("question", "answer") or c.get("community_id") not in channels:
            continue
        message = {
            "type": "message",
            "user": users[c["author_id"]],
            "text": f"{c.get('title', '')}\n{c.get('body', '')}",
            "ts": ts[c["id"]],
        }
        if c["kind"] == "question":
            message |= {"thread_ts": ts[c["id"]], "reply_count": 1}
        else:
            question = by_id[c["parent_id"]]
            message["thread_ts"] = ts[question["id"]]
            if c.get("accepted"):
                message["reactions"] = [
                    {"name": "white_check_mark", "users": [users[question["author_id"]]], "count": 1}
                ]
        day = f"{channels[c['community_id']]}/{c['created_at'][:10]}.json"
        days.setdefault(day, []).append(message)
    files: dict[str, object] = {
        "users.json": [
            {"id": users[m["id"]], "name": m["id"], "profile": {"real_name": m["name"]}} for m in demo.members
        ],
        "channels.json": [{"id": cid.replace("/", "-"), "name": name} for cid, name in channels.items()],
    }
    return write_export(folder, files | days)


def test_slack_export_gives_held_out_questions_with_experts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    batch = read_slack(demo_as_slack(tmp_path / "export"))
    split = split_experts([item.record for item in batch.contributions])
    assert len(split.kept) >= 5
    assert all(q.id.startswith("slack:") and q.expert.startswith("slack:U") for q in split.kept)
    assert all(q.expert in q.answerers and q.asker != q.expert for q in split.kept)

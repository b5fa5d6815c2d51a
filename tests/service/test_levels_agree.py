"""`copmatch stats` and GET /v1/members/{id} count the same participation levels (one rule)."""

from collections import Counter

import pytest
from typer.testing import CliRunner

from models.participation import LEVELS
from service.cli import app

pytestmark = pytest.mark.slow


def test_stats_and_member_api_agree_on_every_community(demo, app_client, reader, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPMATCH_HOME", str(demo[0].home))
    monkeypatch.delenv("COPMATCH_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["stats"])
    assert result.exit_code == 0, result.output
    table = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()}
    shown = table.pop("community")[5:]
    assert shown == ["core", "active", "peripheral", "newcomer"]

    snapshot = app_client.app.state.context.holder.get()
    counted: dict[str, Counter[str]] = {community: Counter() for community in table}
    for row, member_id in enumerate(snapshot.members.ids):
        if snapshot.members.discoverable[row]:
            response = app_client.get(f"/v1/members/{member_id}", headers=reader)
            levels = {c["community_id"]: c["level"] for c in response.json()["communities"]}
        else:  # the API hides them (404); their levels are the snapshot rows it would read
            by_row = snapshot.members.community_level[row]
            levels = {snapshot.communities.ids[c]: LEVELS[code] for c, code in by_row.items()}
        for community, level in levels.items():
            counted[community][level] += 1

    from_api = {community: [str(counted[community][level]) for level in shown] for community in table}
    assert from_api == {community: numbers[5:] for community, numbers in table.items()}
    assert sum(int(n) for numbers in table.values() for n in numbers[5:7]) > 0  # some core and active

"""POST /v1/admin/members/{id}/erase and /restore: applied at once by every route, kept through imports."""

import shutil

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from service.app import build_context, create_app
from store.db import open_store
from store.importers.bundle import import_bundle
from store.keys import create_key
from store.tables import Contribution
from tests.service.appearances import shown_everywhere, shown_in

pytestmark = pytest.mark.slow


@pytest.fixture
def erasable(demo, encoder, tmp_path):  # type: ignore[no-untyped-def]
    """(client, admin headers, sessions, bundle folder) over a copy of the demo organization."""
    source, _ = demo
    home = tmp_path / "home"
    shutil.copytree(source.home, home)
    settings = source.model_copy(update={"home": home})
    sessions = open_store(settings)
    admin = {
        "Authorization": f"Bearer {create_key(sessions, name='erase-admin', role='admin', replace=True)}"
    }
    with TestClient(create_app(context=build_context(settings, encoder))) as client:
        yield client, admin, sessions, home / "bundle"


def test_an_erased_member_is_gone_at_once_and_stays_gone_until_restored(erasable, demo) -> None:
    client, admin, sessions, bundle = erasable
    member, question, _, newcomers = shown_everywhere(client, admin, demo[1])
    erased = client.post(f"/v1/admin/members/{member}/erase", headers=admin)  # no body: re-attribute
    assert erased.status_code == 200, erased.text
    assert erased.json()["contributions_reattributed"] > 0
    assert shown_in(client, admin, member, question, newcomers) == set()
    assert client.get(f"/v1/members/{member}", headers=admin).status_code == 404  # even to an admin
    again = client.post(f"/v1/admin/members/{member}/erase", json={}, headers=admin)
    assert again.status_code == 409

    import_bundle(sessions, bundle)  # the organization's export still holds them
    assert shown_in(client, admin, member, question, newcomers) == set()

    assert client.post(f"/v1/admin/members/{member}/restore", headers=admin).status_code == 200
    import_bundle(sessions, bundle)
    assert client.get(f"/v1/members/{member}", headers=admin).status_code == 200


def test_erasing_with_contributions_removes_them_from_answers_at_once(erasable, demo) -> None:
    client, admin, sessions, _ = erasable
    member, question, _, _ = shown_everywhere(client, admin, demo[1])
    with sessions() as session:
        theirs = set(session.scalars(select(Contribution.id).where(Contribution.author_id == member)))
    body = {"text": question, "k": 50}

    def served() -> set[str]:
        solutions = client.post("/v1/solutions", json=body, headers=admin).json()["solutions"]
        experts = client.post("/v1/experts", json=body, headers=admin).json()["experts"]
        evidence = {e["contribution_id"] for x in experts for e in x["evidence"]}
        return ({s["contribution_id"] for s in solutions} | evidence) & theirs

    assert served()
    erased = client.post(
        f"/v1/admin/members/{member}/erase", json={"with_contributions": True}, headers=admin
    )
    assert erased.json()["contributions_deleted"] == len(theirs)
    assert served() == set()
    assert client.post("/v1/admin/members/nobody/erase", json={}, headers=admin).status_code == 404

"""Who is signed in to the web pages: proxy header only from trusted addresses, session, CSRF."""

import re

import pytest
from fastapi.testclient import TestClient

from indexing.job import run_index
from service.app import build_context, create_app
from store.db import open_store, transaction
from store.settings import Settings
from store.tables import Feedback, Member
from tests.indexing.fakes import FakeEncoder, populate

PROXY = "10.0.0.7"


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:  # type: ignore[no-untyped-def]
    """The small fake organization, indexed; m1 has an email the proxy can name."""
    settings = Settings(home=tmp_path_factory.mktemp("web-home"), web_trusted_proxies=[PROXY], _env_file=None)
    sessions = open_store(settings)
    populate(sessions)
    with transaction(sessions) as session:
        session.get(Member, "m1").email = "Ada@Example.com"
        session.get(Member, "m2").chat_user_id = "U222"
    run_index(settings, encoder=FakeEncoder(), progress=False)
    return settings


def client(settings: Settings, address: str = "203.0.113.9", **changes: object) -> TestClient:
    """A browser at `address` talking to an app with `settings` (changed by `changes`)."""
    app = create_app(context=build_context(settings.model_copy(update=changes), FakeEncoder()))
    return TestClient(app, client=(address, 50000), follow_redirects=False)


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_page_without_a_signed_in_member_sends_to_the_sign_in_page(settings) -> None:
    with client(settings) as browser:
        response = browser.get("/me")
        assert response.status_code == 303
        assert response.headers["location"] == "/signin?next=%2Fme"
        page = browser.get(response.headers["location"])
    assert page.status_code == 200
    assert "<h1>Sign in</h1>" in page.text
    assert "Demo sign-in is <strong>off</strong>" in page.text


def test_the_identity_header_counts_only_from_a_trusted_proxy(settings) -> None:
    forged = {"X-Forwarded-Email": "ada@example.com"}
    with client(settings, "203.0.113.9") as stranger:
        assert stranger.get("/me", headers=forged).status_code == 303
    with client(settings, PROXY) as proxy:
        page = proxy.get("/me", headers=forged)
        assert page.status_code == 200
        assert "Member 1" in page.text
        assert proxy.get("/me").status_code == 200  # the session remembers who the proxy named


def test_the_proxy_may_name_a_member_by_id_or_chat_id(settings) -> None:
    with client(settings, PROXY, web_identity_header="X-Forwarded-User") as proxy:
        assert "Member 2" in proxy.get("/me", headers={"X-Forwarded-User": "U222"}).text
    with client(settings, PROXY, web_identity_header="X-Forwarded-User") as proxy:
        assert "Member 3" in proxy.get("/me", headers={"X-Forwarded-User": "m3"}).text
        unknown = proxy.get("/me", headers={"X-Forwarded-User": "nobody"})
        assert unknown.status_code == 303  # and the earlier session no longer counts


def test_demo_sign_in_only_when_the_setting_is_on(settings) -> None:
    with client(settings, PROXY) as browser:
        token = csrf_of(browser.get("/ask", headers={"X-Forwarded-Email": "ada@example.com"}).text)
        refused = browser.post("/signin", data={"csrf_token": token, "member_id": "m2"})
        assert refused.status_code == 403
        assert "Demo sign-in is off" in refused.text
        assert "Member 2" not in browser.get("/me").text
    with client(settings, web_demo_signin=True) as browser:
        page = browser.get("/signin").text
        assert "Demo sign-in is <strong>on</strong>" in page
        signed = browser.post("/signin", data={"csrf_token": csrf_of(page), "member_id": "m1", "next": "/me"})
        assert (signed.status_code, signed.headers["location"]) == (303, "/me")
        assert "Member 1" in browser.get("/me").text
        token = csrf_of(browser.get("/signin").text)  # signing in began a new session, with a new token
        unknown = browser.post("/signin", data={"csrf_token": token, "member_id": "nobody"})
        assert unknown.status_code == 400
        assert "No member is called" in unknown.text


def test_a_form_without_its_csrf_token_is_refused(settings) -> None:
    feedback = {"recommendation": "experts", "item_id": "m3", "verdict": "helpful", "query": "indexes"}
    with client(settings, PROXY) as browser:
        headers = {"X-Forwarded-Email": "ada@example.com"}
        page = browser.get("/ask", headers=headers).text
        assert browser.post("/feedback", data=feedback, headers=headers).status_code == 403
        wrong = browser.post("/feedback", data=feedback | {"csrf_token": "guess"}, headers=headers)
        assert wrong.status_code == 403
        assert "Form refused" in wrong.text
        stored = open_store(settings)
        with stored() as session:
            assert session.query(Feedback).count() == 0
        accepted = browser.post("/feedback", data=feedback | {"csrf_token": csrf_of(page)}, headers=headers)
        assert accepted.status_code == 303
        with stored() as session:
            row = session.query(Feedback).one()
    assert (row.item_id, row.verdict, row.api_key_name) == ("m3", "helpful", "web:m1")


def test_bad_input_gets_a_message_on_the_page_never_a_500(settings) -> None:
    with client(settings, PROXY) as browser:
        headers = {"X-Forwarded-Email": "ada@example.com"}
        token = csrf_of(browser.get("/ask", headers=headers).text)
        assert "at most 30000 characters" in browser.get("/ask", params={"q": "x" * 30_001}).text
        assert browser.get("/members/nobody").status_code == 404
        assert browser.get("/community", params={"id": "nowhere"}).status_code == 404
        assert browser.get("/contributions/none").status_code == 404
        for mentorship in ("abc", str(2**70), "999"):
            changed = browser.post(
                f"/mentorships/{mentorship}", data={"csrf_token": token, "action": "accept"}
            )
            assert changed.status_code == 303
            assert "There is no mentorship" in browser.get("/me").text
        bad = {"csrf_token": token, "action": "capacity", "value": "lots"}
        assert browser.post("/me/preferences", data=bad).status_code == 303
        assert "Not changed" in browser.get("/me").text
        away = {"csrf_token": token, "action": "away", "value": "2001-01-01"}
        browser.post("/me/preferences", data=away)
        assert "pick a day after today" in browser.get("/me").text
        feedback = {"csrf_token": token, "recommendation": "nonsense", "item_id": "m3", "verdict": "helpful"}
        browser.post("/feedback", data=feedback)
        assert "Not recorded" in browser.get("/ask").text

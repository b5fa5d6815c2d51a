"""The web app's main flows in a real browser (Debian chromium via Playwright), with screenshots."""

import re
from datetime import date, timedelta
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import select

from store.db import open_store
from store.tables import Feedback, Mentorship
from tests.web.browser import PHONE

pytestmark = pytest.mark.slow


def sign_in(page, base_url: str, role: str) -> str:  # type: ignore[no-untyped-def]
    """Sign in on the demo page as its member for `role` (a newcomer, a mentor, a coordinator); their name."""
    page.goto(f"{base_url}/ask")
    assert page.url.startswith(f"{base_url}/signin")
    card = page.locator(".card", has_text=role)
    name = card.locator("strong").first.inner_text()
    card.get_by_role("button").click()
    page.wait_for_url(f"{base_url}/ask")
    return name


def sign_in_as(page, base_url: str, member_id: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in on the demo page by typing a member id."""
    page.goto(f"{base_url}/signin")
    page.get_by_label("Or any member id or email").fill(member_id)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{base_url}/ask")


def places(text: str) -> int:
    return int(re.search(r"(\d+) mentee places? left", text).group(1))


def test_demo_sign_in_then_ask_then_helpful(page, base_url, web_demo, shots) -> None:
    settings, truth = web_demo
    page.goto(f"{base_url}/me")
    assert "Demo sign-in is on" in page.inner_text("main")
    page.screenshot(path=shots / "signin.png", full_page=True)
    sign_in(page, base_url, "a coordinator")
    question = next(q for t in truth["topics"].values() for q in t["sample_questions"])
    page.get_by_label("Your question").fill(question)
    page.get_by_role("button", name="Ask", exact=True).click()
    first = page.locator("section[aria-labelledby=experts-h] li.card").first
    expert = first.locator("h3 a").inner_text()
    assert page.locator("section[aria-labelledby=solutions-h] li.card").count() > 0
    page.screenshot(path=shots / "ask.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=shots / "ask-phone.png")
    page.set_viewport_size({"width": 1280, "height": 860})
    first.get_by_role("button", name=f"Helpful: {expert}", exact=True).click()
    assert "Thanks: recorded as helpful." in page.locator("[role=status]").inner_text()
    assert page.get_by_label("Your question").input_value() == question
    with open_store(settings)() as session:
        row = session.scalars(select(Feedback).order_by(Feedback.id.desc())).first()
    assert (row.recommendation, row.verdict, row.query) == ("experts", "helpful", question)
    assert row.api_key_name.startswith("web:")


def test_newcomer_proposes_a_mentor_who_accepts_and_has_a_place_less(page, base_url, web_demo, shots) -> None:
    settings, _ = web_demo
    newcomer = sign_in(page, base_url, "a newcomer")
    page.get_by_role("link", name="Find a mentor").click()
    page.get_by_role("button", name="Find me a mentor").click()
    first = page.locator("section[aria-labelledby=mentors-h] li.card").first
    mentor = first.locator("h3 a").inner_text()
    mentor_id = first.locator("input[name=mentor_id]").get_attribute("value")
    before = places(first.inner_text())
    page.screenshot(path=shots / "newcomer.png", full_page=True)
    first.get_by_role("button", name=f"Ask {mentor} to mentor me").click()
    assert f"Proposed to {mentor}" in page.locator("[role=status]").inner_text()
    assert "proposed" in page.locator("section[aria-labelledby=requests-h]").inner_text()

    page.get_by_role("button", name="Sign out").click()
    sign_in_as(page, base_url, mentor_id)
    page.get_by_role("link", name="Me", exact=True).click()
    page.get_by_role("button", name=f"Accept {newcomer}").click()
    assert "Mentorship accepted." in page.locator("[role=status]").inner_text()
    assert places(page.locator("section[aria-labelledby=mentoring-h]").inner_text()) == before - 1
    page.screenshot(path=shots / "me.png", full_page=True)
    with open_store(settings)() as session:
        status = session.scalars(select(Mentorship.status).where(Mentorship.mentor_id == mentor_id)).all()
    assert "accepted" in status

    page.goto(f"{base_url}/members/{mentor_id}")
    assert places(page.inner_text("main")) == before - 1
    page.screenshot(path=shots / "member.png", full_page=True)


def test_community_page_shows_levels_related_communities_and_open_questions(page, base_url, shots) -> None:
    sign_in(page, base_url, "a coordinator")
    page.get_by_role("link", name="Communities").click()
    main = page.locator("main")
    titles = main.locator("svg.chart[role=img] title").all_text_contents()
    assert titles[0].startswith("Members per participation level") and titles[1].startswith("Contributors")
    assert main.locator("svg.chart[role=img]").count() == 2  # levels now, and contributors per quarter
    assert main.locator("section[aria-labelledby=risk-h]").count() == 1
    levels = main.locator("table.levels").inner_text()
    assert all(level in levels for level in ("core", "active", "peripheral", "newcomer"))
    assert main.locator("section[aria-labelledby=open-h]").count() == 1
    page.screenshot(path=shots / "community.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=shots / "community-phone.png")
    page.set_viewport_size({"width": 1280, "height": 860})


def api(base_url: str, key: str, method: str, path: str, **body: object) -> httpx.Response:
    """A JSON API call with the reader key."""
    headers = {"Authorization": f"Bearer {key}"}
    return httpx.request(method, f"{base_url}{path}", json=body or None, headers=headers, timeout=60)


def expert_ids(base_url: str, key: str, question: str) -> list[str]:
    response = api(base_url, key, "POST", "/v1/experts", text=question, k=10)
    assert response.status_code == 200, response.text
    return [e["member_id"] for e in response.json()["experts"]]


def on_me(page, base_url: str, button: str) -> str:  # type: ignore[no-untyped-def]
    """Press a button of the Me page; the note the page then shows."""
    page.goto(f"{base_url}/me")
    page.get_by_role("button", name=button, exact=True).click()
    return page.locator("[role=status]").inner_text()


@pytest.fixture(scope="module")
def expert(base_url, web_demo, api_key) -> dict:  # type: ignore[no-untyped-def]
    """A question and the member /v1/experts ranks first for it (with their evidence's communities)."""
    topic = next(t for t in web_demo[1]["topics"].values() if t["sample_questions"])
    question = topic["sample_questions"][0]
    found = api(base_url, api_key, "POST", "/v1/experts", text=question, k=10).json()["experts"][0]
    found["question"] = question
    return found


def test_hiding_the_topic_or_going_away_stops_recommendations_at_once(
    page, base_url, api_key, expert, shots
) -> None:
    member_id, question = expert["member_id"], expert["question"]
    sign_in_as(page, base_url, member_id)
    page.goto(f"{base_url}/me")
    page.get_by_label("Away until").fill((date.today() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Set away").click()
    assert "Away until" in page.locator("[role=status]").inner_text()
    assert member_id not in expert_ids(base_url, api_key, question)
    assert "I am back" in page.inner_text("main")
    assert "Welcome back" in on_me(page, base_url, "I am back")
    assert member_id in expert_ids(base_url, api_key, question)

    hidden: list[str] = []
    for _ in range(3):  # hide the communities of the evidence shown until none is left for the question
        shown = api(base_url, api_key, "POST", "/v1/experts", text=question, k=10).json()["experts"]
        mine = next((e for e in shown if e["member_id"] == member_id), None)
        if mine is None:
            break
        for community in {e["community_id"] for e in mine["evidence"]} - set(hidden) - {None}:
            page.goto(f"{base_url}/me")
            page.locator(f"form:has(input[name=value][value='{community}'])").get_by_role("button").click()
            assert "Topic hidden" in page.locator("[role=status]").inner_text()
            hidden.append(community)
    assert hidden and member_id not in expert_ids(base_url, api_key, question)
    assert "hidden from recommendations" in page.inner_text("main")
    page.screenshot(path=shots / "me-preferences.png", full_page=True)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base_url, "a newcomer")
    page.goto(f"{base_url}/ask?q={quote(question)}")
    assert f'/members/{member_id}"' not in page.content()

    sign_in_as(page, base_url, member_id)
    for community in hidden:
        page.goto(f"{base_url}/me")
        page.locator(f"form:has(input[name=value][value='{community}'])").get_by_role("button").click()
    assert member_id in expert_ids(base_url, api_key, question)


def test_opting_out_removes_the_member_from_every_page_and_route_at_once(
    page, base_url, api_key, expert, web_demo
) -> None:
    member_id, question = expert["member_id"], expert["question"]
    community = expert["evidence"][0]["community_id"]
    newcomer = next(m for m in web_demo[1]["newcomers"] if m != member_id)
    link = f'/members/{member_id}"'
    sign_in_as(page, base_url, member_id)
    assert "You opted out" in on_me(page, base_url, "Opt out entirely")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base_url, "a coordinator")
    pages = [f"/ask?q={quote(question)}", f"/community?id={quote(community)}", "/newcomer?find=1"]
    pages += [f"/contributions/{e['contribution_id']}" for e in expert["evidence"]]
    for path in pages:
        page.goto(f"{base_url}{path}")
        assert link not in page.content() and expert["name"] not in page.inner_text("main"), path
    response = page.goto(f"{base_url}/members/{member_id}")
    assert response.status == 404 and expert["name"] not in page.inner_text("main")

    assert member_id not in expert_ids(base_url, api_key, question)
    assert api(base_url, api_key, "GET", f"/v1/members/{member_id}").status_code == 404
    solutions = api(base_url, api_key, "POST", "/v1/solutions", text=question, k=20).json()["solutions"]
    assert member_id not in {s["author_id"] for s in solutions}
    related = api(base_url, api_key, "POST", "/v1/communities/related", community_id=community, k=10).json()
    assert member_id not in {b["member_id"] for c in related["communities"] for b in c["bridges"]}
    mentors = api(base_url, api_key, "POST", "/v1/mentors", member_id=newcomer, k=20).json()["mentors"]
    assert member_id not in {m["member_id"] for m in mentors}

    sign_in_as(page, base_url, member_id)
    assert "You are back" in on_me(page, base_url, "Opt back in")
    assert api(base_url, api_key, "GET", f"/v1/members/{member_id}").status_code == 200
    assert member_id in expert_ids(base_url, api_key, question)

"""The web app's main flows in a real browser (Debian chromium via Playwright), with screenshots."""

import re

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
    assert main.locator("svg.chart[role=img]").count() == 1
    levels = main.locator("table.levels").inner_text()
    assert all(level in levels for level in ("core", "active", "peripheral", "newcomer"))
    assert main.locator("section[aria-labelledby=open-h]").count() == 1
    page.screenshot(path=shots / "community.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=shots / "community-phone.png")
    page.set_viewport_size({"width": 1280, "height": 860})

"""A small fake Discourse forum: an ASGI app serving the REST API's documented JSON shapes.

Category pages hold PAGE_SIZE topics, newest bump first (pinned first), and include the
topics of subcategories as Discourse does; topics carry their first 20 posts and the ids of
all. `requests` logs every path asked for; `throttled[path] = n` answers 429 n times first.
"""

from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

PAGE_SIZE = 2
FIRST_POSTS = 20


def post(post_id: int, number: int, user: dict | None, text: str, at: str, **extra: Any) -> dict:
    """A post as /t/{id}.json lists it."""
    return {
        "id": post_id,
        "post_number": number,
        "user_id": user["id"] if user else None,
        "username": user["username"] if user else None,
        "name": user.get("name") if user else None,
        "created_at": at,
        "cooked": f"<p>{text}</p>",
        "post_type": 1,
        "reply_to_post_number": None,
        "actions_summary": [],
        **extra,
    }


ALICE = {
    "id": 1,
    "username": "alice",
    "name": "Alice Wong",
    "title": "DBA",
    "bio_cooked": "<p>I tune <b>queries</b></p>",
    "created_at": "2020-05-01T10:00:00.000Z",
    "user_option": {"timezone": "Europe/Berlin"},
}
BOB = {"id": 2, "username": "bob", "name": "", "created_at": "2021-01-01T00:00:00.000Z"}
CAROL = {"id": 3, "username": "carol", "name": "Carol", "bio_raw": "Postgres person"}
SYSTEM = {"id": -1, "username": "system", "name": "system"}
GHOST = {"id": 9, "username": "ghost", "name": "Hidden"}  # its profile answers 404


@dataclass
class Topic:
    id: int
    title: str
    category_id: int
    bumped_at: str
    posts: list[dict]
    pinned: bool = False
    accepted: int | None = None
    tags: list = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "category_id": self.category_id,
            "bumped_at": self.bumped_at,
            "created_at": self.posts[0]["created_at"],
            "pinned": self.pinned,
            "posts_count": len(self.posts),
        }

    def full(self) -> dict:
        data = {
            "id": self.id,
            "title": self.title,
            "category_id": self.category_id,
            "tags": self.tags,
            "post_stream": {"posts": self.posts[:FIRST_POSTS], "stream": [p["id"] for p in self.posts]},
        }
        if self.accepted is not None:
            data["accepted_answer"] = {"post_number": self.accepted, "username": "x"}
        return data


def long_topic() -> Topic:
    """25 posts: alice asks, bob and carol answer in turn; the accepted one is past the first 20."""
    posts = [post(1100, 1, ALICE, "Vacuum never finishes on a big table", "2024-01-02T08:00:00Z")]
    for number in range(2, 26):
        user = BOB if number % 2 else CAROL
        posts.append(
            post(1100 + number, number, user, f"try setting {number}", f"2024-01-02T09:{number:02d}:00Z")
        )
    return Topic(11, "Autovacuum tuning", 2, "2024-01-04T00:00:00Z", posts, accepted=23)


def forum_topics() -> list[Topic]:
    """The forum's topics before the second run."""
    json_index = Topic(
        10,
        "How do I index JSON?",
        1,
        "2024-01-05T00:00:00Z",
        [
            post(1000, 1, BOB, "My <code>jsonb</code> queries are slow", "2024-01-01T10:00:00Z"),
            post(
                1001,
                2,
                ALICE,
                "Use a GIN index",
                "2024-01-01T11:00:00Z",
                accepted_answer=True,
                actions_summary=[{"id": 2, "count": 3}, {"id": 6, "count": 1}],
            ),
            post(1002, 3, CAROL, "and jsonb_path_ops", "2024-01-01T12:00:00Z", reply_to_post_number=2),
            post(1003, 4, SYSTEM, "closed the topic", "2024-01-01T13:00:00Z", post_type=3),
            post(1004, 5, None, "an old answer", "2024-01-01T14:00:00Z"),
            post(1005, 6, GHOST, "me too", "2024-01-01T15:00:00Z", reply_to_post_number=1),
        ],
        tags=["jsonb", {"id": 5, "name": "indexing"}],
    )
    about = Topic(
        12,
        "About the Databases category",
        1,
        "2023-01-01T00:00:00Z",
        [post(1200, 1, SYSTEM, "This category is about databases", "2023-01-01T00:00:00Z")],
        pinned=True,
    )
    replication = Topic(
        13,
        "Logical replication lag",
        1,
        "2024-01-03T00:00:00Z",
        [
            post(1300, 1, CAROL, "Lag grows overnight", "2024-01-03T00:00:00Z"),
        ],
    )
    lunch = Topic(
        14, "Lunch", 3, "2024-01-06T00:00:00Z", [post(1400, 1, BOB, "Pizza?", "2024-01-06T00:00:00Z")]
    )
    return [json_index, long_topic(), about, replication, lunch]


def new_topic() -> Topic:
    """A topic created after the first run."""
    return Topic(
        15,
        "Partitioning by month",
        1,
        "2024-02-01T10:00:00Z",
        [
            post(1500, 1, BOB, "Monthly partitions?", "2024-02-01T09:00:00Z"),
            post(1501, 2, ALICE, "Yes, with pg_partman", "2024-02-01T10:00:00Z"),
        ],
    )


CATEGORIES = [
    {
        "id": 1,
        "name": "Databases",
        "slug": "databases",
        "description_text": "Everything about databases",
        "subcategory_list": [
            {
                "id": 2,
                "name": "PostgreSQL",
                "slug": "postgres",
                "parent_category_id": 1,
                "description_text": "PG",
            }
        ],
    },
    {"id": 3, "name": "Off topic", "slug": "off-topic", "description_text": None},
]


class FakeForum:
    """The forum's state and its ASGI app."""

    def __init__(self, api_key: str | None = None) -> None:
        self.topics = {t.id: t for t in forum_topics()}
        self.users = {u["username"]: u for u in (ALICE, BOB, CAROL, SYSTEM)}
        self.api_key = api_key
        self.requests: list[str] = []
        self.throttled: dict[str, int] = {}
        self.app = Starlette(
            routes=[
                Route("/categories.json", self.categories),
                Route("/c/{slug}/{id:int}.json", self.category),
                Route("/t/{id:int}.json", self.topic),
                Route("/t/{id:int}/posts.json", self.posts),
                Route("/users/{username}.json", self.user),
            ]
        )
        self.app.add_middleware(_Gate, forum=self)

    async def categories(self, request: Request) -> JSONResponse:
        return JSONResponse({"category_list": {"categories": CATEGORIES}})

    async def category(self, request: Request) -> JSONResponse:
        ids = {request.path_params["id"]} | {
            s["id"]
            for c in CATEGORIES
            if c["id"] == request.path_params["id"]
            for s in c.get("subcategory_list", [])
        }
        newest_first = sorted(
            (t for t in self.topics.values() if t.category_id in ids), key=lambda t: t.bumped_at, reverse=True
        )
        topics = sorted(newest_first, key=lambda t: not t.pinned)
        page = int(request.query_params.get("page", 0))
        shown = topics[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        listing: dict[str, Any] = {"topics": [t.summary() for t in shown]}
        if (page + 1) * PAGE_SIZE < len(topics):
            listing["more_topics_url"] = f"{request.url.path}?page={page + 1}"
        return JSONResponse({"users": [], "topic_list": listing})

    async def topic(self, request: Request) -> JSONResponse:
        topic = self.topics.get(request.path_params["id"])
        if topic is None:
            return JSONResponse({"errors": ["not found"]}, status_code=404)
        return JSONResponse(topic.full())

    async def posts(self, request: Request) -> JSONResponse:
        wanted = {int(i) for i in request.query_params.getlist("post_ids[]")}
        topic = self.topics[request.path_params["id"]]
        return JSONResponse({"post_stream": {"posts": [p for p in topic.posts if p["id"] in wanted]}})

    async def user(self, request: Request) -> JSONResponse:
        user = self.users.get(request.path_params["username"])
        if user is None:
            return JSONResponse({"errors": ["not found"]}, status_code=404)
        return JSONResponse({"user": user})


class _Gate:
    """Logs requests, checks the API key, and answers 429 to throttled paths."""

    def __init__(self, app: Any, forum: FakeForum) -> None:
        self.app, self.forum = app, forum

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        path = request.url.path
        self.forum.requests.append(path + (f"?{request.url.query}" if request.url.query else ""))
        if self.forum.api_key is not None and request.headers.get("api-key") != self.forum.api_key:
            response = JSONResponse(
                {"errors": ["You are not permitted to view the requested resource."]}, 403
            )
            if "api-key" not in request.headers:
                response = JSONResponse({"errors": ["not logged in"]}, 401)
        elif self.forum.throttled.get(path, 0) > 0:
            self.forum.throttled[path] -= 1
            response = JSONResponse({"errors": ["too many requests"]}, 429, headers={"Retry-After": "7"})
        else:
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)

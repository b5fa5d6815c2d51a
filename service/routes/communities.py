"""POST /v1/communities/related and GET /v1/communities/{id}/health."""

from typing import Annotated

from fastapi import APIRouter, Path

from service.auth import ReaderDep
from service.context import ContextDep
from service.continuity import health_report
from service.errors import error_responses
from service.lookup import community_row
from service.schemas_continuity import CommunityHealthOut
from service.schemas_matching import RelatedCommunitiesOut, RelatedQuery

router = APIRouter(prefix="/v1", tags=["communities"])
CommunityId = Annotated[str, Path(max_length=200, description="a community's id")]


@router.post(
    "/communities/related",
    response_model=RelatedCommunitiesOut,
    responses=error_responses(400, 401, 404, 422, 503),
)
def related(query: RelatedQuery, context: ContextDep, _: ReaderDep) -> dict:
    """Communities related to exactly one of text, member_id (communities they have not joined) or
    community_id, with the members they share and the discoverable members who bridge to each."""
    found = context.related.find(
        query.k, text=query.text, member_id=query.member_id, community_id=query.community_id
    )
    return {"communities": found.items, "index_version": found.index_version}


@router.get(
    "/communities/{community_id}/health",
    response_model=CommunityHealthOut,
    responses=error_responses(401, 404, 422, 503),
)
def health(community_id: CommunityId, context: ContextDep, _: ReaderDep) -> dict:
    """Participation levels now and per quarter, newcomer progression, the community's topics
    with their experts, the topics at risk with who could grow into them, unanswered questions."""
    snapshot = context.holder.get()
    return health_report(snapshot, community_row(snapshot, community_id))

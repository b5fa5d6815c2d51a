"""POST /v1/communities/related."""

from fastapi import APIRouter

from service.auth import ReaderDep
from service.context import ContextDep
from service.schemas_matching import RelatedCommunitiesOut, RelatedQuery

router = APIRouter(prefix="/v1", tags=["communities"])


@router.post("/communities/related", response_model=RelatedCommunitiesOut)
def related(query: RelatedQuery, context: ContextDep, _: ReaderDep) -> dict:
    """Communities related to a text, a member (ones they have not joined) or a community,
    with the members they share and the discoverable members who bridge to each."""
    found = context.related.find(
        query.k, text=query.text, member_id=query.member_id, community_id=query.community_id
    )
    return {"communities": found.items, "index_version": found.index_version}

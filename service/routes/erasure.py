"""POST /v1/admin/members/{id}/erase and /restore: the right to erasure, for admins."""

from dataclasses import asdict

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from service.auth import AdminDep
from service.context import ContextDep
from service.errors import error_response, error_responses
from service.schemas_preferences import ErasureIn, ErasureOut, RestoredOut
from store.erasure import ErasureError, erase_member, restore_member

router = APIRouter(
    prefix="/v1/admin/members", tags=["admin"], responses=error_responses(401, 403, 404, 409, 422)
)


@router.post("/{member_id}/erase", response_model=ErasureOut, responses=error_responses(400))
def erase(member_id: str, context: ContextDep, _: AdminDep, body: ErasureIn | None = None) -> dict:
    """Remove a member's profile and personal data; their contributions go to a non-discoverable
    placeholder (or are deleted). Every process stops showing them within a second; later imports
    keep them out until restored."""
    report = erase_member(context.sessions, member_id, bool(body and body.with_contributions))
    context.holder.invalidate()
    return asdict(report)


@router.post("/{member_id}/restore", response_model=RestoredOut)
def restore(member_id: str, context: ContextDep, _: AdminDep) -> dict:
    """Forget an erasure: the next import that holds the member brings them back."""
    restore_member(context.sessions, member_id)
    context.holder.invalidate()
    return {"member_id": member_id, "status": "restored"}


def install_error_handlers(app: FastAPI) -> None:
    """An erasure that cannot be done (unknown or already erased id) is a 409 with the reason."""

    @app.exception_handler(ErasureError)
    async def refused(_: Request, error: ErasureError) -> JSONResponse:
        return error_response(409, str(error))

"""POST /v1/chat/slack: Slack slash commands, authenticated by Slack's request signature."""

import time

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from service.context import ContextDep
from service.errors import error_responses
from service.schemas import ErrorOut
from service.slack import SlackAuthError, SlackRequestError, answer, parse_command, verify_signature

router = APIRouter(prefix="/v1", tags=["chat"])
SLACK_OFF = {"model": ErrorOut, "description": "Slack is not configured (COPMATCH_SLACK_SIGNING_SECRET)"}


@router.post("/chat/slack", responses=error_responses(400, 401) | {503: SLACK_OFF})
async def slack(request: Request, context: ContextDep) -> dict:
    """Answer `/experts`, `/solutions` or `/mentor` with an ephemeral Block Kit message."""
    secret = context.settings.slack_signing_secret
    if not secret:
        raise HTTPException(
            503,
            "Slack is not configured: set COPMATCH_SLACK_SIGNING_SECRET to the Slack app's signing secret",
        )
    body = await request.body()
    try:
        verify_signature(
            secret,
            request.headers.get("x-slack-request-timestamp", ""),
            body,
            request.headers.get("x-slack-signature", ""),
            time.time(),
        )
        command = parse_command(body, context.settings.max_text_chars)
    except SlackAuthError as error:
        raise HTTPException(401, str(error)) from None
    except SlackRequestError as error:
        raise HTTPException(400, str(error)) from None
    return await run_in_threadpool(answer, command, context.recommender, context.mentoring)

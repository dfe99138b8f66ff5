"""The REST API under /api/v1: routers translate HTTP into service calls, nothing more."""

from fastapi import APIRouter

from app.api import auth, glossary, offices, processes, search, tools, users
from app.api.problems import RESPONSES

router = APIRouter(prefix="/api/v1", responses=RESPONSES)
for module in (auth, offices, processes, users, tools, search, glossary):
    router.include_router(module.router)

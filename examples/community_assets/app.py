"""Community assets subgraph: adds `Organisation.communityAssets` to the network's graph.

A partner organisation runs something like this itself and adds it to the gateway by
configuration only (see README, "Adding a partner subgraph"). Run it with:

    .venv/bin/python -m uvicorn examples.community_assets.app:create_app --factory --port 8010

Set COMMUNITY_ASSETS_GATEWAY_SECRET to the network's gateway secret so that entity lookups
are answered to the gateway only.
"""

from __future__ import annotations

import json
import os
from enum import Enum
from pathlib import Path
from typing import Any

import strawberry
from fastapi import FastAPI, Request
from servicekit.graphql import GATEWAY_SECRET_HEADER, SubgraphGuard
from strawberry.fastapi import BaseContext, GraphQLRouter

DATA = Path(__file__).with_name("assets.json")


@strawberry.enum(description="What kind of community asset this is.")
class AssetKind(Enum):
    WARM_SPACE = "warm_space"
    FOOD_BANK = "food_bank"
    GREEN_SPACE = "green_space"
    PEER_GROUP = "peer_group"


@strawberry.type(description="A place or group in the community that supports health and wellbeing.")
class CommunityAsset:
    name: str = strawberry.field(description="What it is called.")
    kind: AssetKind = strawberry.field(description="What kind of asset it is.")
    opens: str = strawberry.field(description="When it is open or meets, in plain words.")


def load_assets(path: Path = DATA) -> dict[str, list[CommunityAsset]]:
    raw: dict[str, list[dict[str, Any]]] = json.loads(path.read_text())
    return {
        organisation: [CommunityAsset(name=a["name"], kind=AssetKind[a["kind"]], opens=a["opens"]) for a in assets]
        for organisation, assets in raw.items()
    }


@strawberry.federation.type(keys=["id"], description="An organisation of the network.")
class Organisation:
    id: strawberry.ID

    @strawberry.field(description="Community assets this organisation runs or knows of.")
    def community_assets(self, info: strawberry.Info) -> list[CommunityAsset]:
        assets: list[CommunityAsset] = info.context.assets.get(str(self.id), [])
        return assets

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Organisation:
        return cls(id=id)


@strawberry.type
class Query:
    @strawberry.field(description="Every kind of community asset.")
    def community_asset_kinds(self) -> list[AssetKind]:
        return list(AssetKind)


class Context(BaseContext):
    def __init__(self, assets: dict[str, list[CommunityAsset]], from_gateway: bool) -> None:
        super().__init__()
        self.assets = assets
        self.from_gateway = from_gateway
        self.auth_error = None


def create_app(data: Path = DATA) -> FastAPI:
    secret = os.environ.get("COMMUNITY_ASSETS_GATEWAY_SECRET", "")
    assets = load_assets(data)
    extensions = [SubgraphGuard] if secret else []
    schema = strawberry.federation.Schema(query=Query, types=[Organisation], extensions=extensions)

    async def context(request: Request) -> Context:
        return Context(assets, from_gateway=bool(secret) and request.headers.get(GATEWAY_SECRET_HEADER) == secret)

    app = FastAPI(title="community-assets")
    app.include_router(GraphQLRouter(schema, context_getter=context), prefix="/graphql")

    @app.get("/readyz")
    async def ready() -> dict[str, str]:
        return {"status": "ready"}

    return app

"""Subgraph mechanism: request context (caller, transaction), error codes, gateway-only fields."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import FieldExtension, SchemaExtension
from strawberry.fastapi import BaseContext
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

from servicekit.db import is_unavailable, transaction
from servicekit.errors import DATABASE_UNAVAILABLE_MESSAGE, DomainError, NotAllowed
from servicekit.identity import ANONYMOUS, InvalidToken, Principal, TokenVerifier, bearer_token

GATEWAY_SECRET_HEADER = "x-heroes-gateway-secret"  # noqa: S105 - the header's name, not a secret
GATEWAY_ONLY_FIELDS = frozenset({"_entities", "_service"})
INTERNAL_ERROR_MESSAGE = "Something went wrong on our side. Please try again later."
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
# Raised by strawberry before execution and answered by its HTTP view as a 400; let them pass.
_REFUSED_BEFORE_EXECUTION = (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError)


class RequestContext(BaseContext):
    """What every resolver of a subgraph can reach through `info.context`."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        principal: Principal = ANONYMOUS,
        from_gateway: bool = False,
        auth_error: DomainError | None = None,
        standing_error: DomainError | None = None,
        allowed_when_refused: frozenset[str] = frozenset(),
        confirm_standing: Callable[[AsyncSession, Principal], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__()
        self.sessions = sessions
        self.principal = principal
        self.from_gateway = from_gateway
        self.auth_error = auth_error
        # Why membership does not vouch for the caller now (erased, paused, unknown), and the root
        # fields they may still ask for (membership's `me`).
        self.standing_error = standing_error
        self.allowed_when_refused = allowed_when_refused
        self._confirm_standing = confirm_standing

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work for a mutation: commits on exit, rolls back on error. The caller's
        standing is checked again first, holding it, so a write never outruns an erasure."""
        async with transaction(self.sessions) as session:
            # A caller already refused reached this only through a field open to them (joinNetwork).
            if self._confirm_standing is not None and self.standing_error is None:
                await self._confirm_standing(session, self.principal)
            yield session

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A short read-only session for queries and loaders."""
        async with self.sessions() as session:
            yield session


def identify(
    connection: HTTPConnection,
    *,
    verifier: TokenVerifier | None,
    gateway_secret: str,
) -> tuple[Principal, bool, DomainError | None]:
    """Caller, whether the gateway sent the request, and any sign-in error to report.

    With no verifier (sign-in not set up) every request is anonymous and any
    token presented is refused rather than trusted.
    """
    presented = connection.headers.get(GATEWAY_SECRET_HEADER, "")
    from_gateway = bool(gateway_secret) and hmac.compare_digest(
        presented.encode(), gateway_secret.encode()
    )
    try:
        token = bearer_token(connection.headers.get("authorization"))
        if token and verifier is None:
            raise InvalidToken("Sign-in is not set up on this service.")
        principal = verifier.verify(token) if token and verifier else ANONYMOUS
    except DomainError as error:
        return ANONYMOUS, from_gateway, error
    return principal, from_gateway, None


class SubgraphGuard(SchemaExtension):
    """Refuses bad sign-ins, and `_entities`/`_service` from anyone but the gateway.

    Federation's entity lookup bypasses the gateway's limits if reachable
    directly, so a subgraph serves it only to callers presenting the shared
    gateway secret.
    """

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        auth_error = getattr(context, "auth_error", None)
        if auth_error is not None:
            raise GraphQLError(auth_error.message, extensions={"code": auth_error.code})
        document = self.execution_context.graphql_document
        used = root_field_names(document, self.execution_context.operation_name) if document is not None else set()
        if document is not None and not getattr(context, "from_gateway", False) and used & GATEWAY_ONLY_FIELDS:
            error = NotAllowed("This field is only answered to the network's gateway.")
            raise GraphQLError(error.message, extensions={"code": error.code})
        refused = getattr(context, "standing_error", None)
        if refused is not None and used - getattr(context, "allowed_when_refused", frozenset()) - {"__typename"}:
            raise GraphQLError(refused.message, extensions={"code": refused.code, **_safe_details(refused.details)})
        yield


class ErrorCodes(SchemaExtension):
    """Every error gets `extensions.code`; anything that is not an expected failure is masked.

    A database that cannot be reached is `SERVICE_UNAVAILABLE` with `retryable: true`,
    whichever resolver or loader met it, so clients know that trying again is right.
    Errors raised from other extensions' hooks (the parser cache raises syntax errors
    from its own) reach no result this extension could edit, so they are coded as they
    pass through `on_operation`.
    """

    def __init__(self, *, on_internal_error: Callable[[GraphQLError], None] | None = None) -> None:
        self._validation_failed = False
        self._on_internal_error = on_internal_error

    def on_validate(self) -> Iterator[None]:
        yield
        self._validation_failed = bool(self.execution_context.pre_execution_errors)

    def on_operation(self) -> Iterator[None]:
        self._validation_failed = False
        try:
            yield
        except GraphQLError as error:
            raise self._coded(error) from None
        except _REFUSED_BEFORE_EXECUTION:
            raise  # strawberry answers these itself (a 400 with a reason)
        except Exception as error:
            raise self._coded(GraphQLError(str(error), original_error=error)) from None
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is None or not errors:
            return
        result.errors = [self._coded(error) for error in errors]

    def on_stream_result(self, result: Any) -> Iterator[None]:
        """Each result of a subscription gets the same coding as a single result."""
        if getattr(result, "errors", None):
            result.errors = [self._coded(error) for error in result.errors]
        yield

    def _coded(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, DomainError):
            extensions = {"code": original.code, **_safe_details(original.details)}
            return _with_extensions(error, error.message, extensions)
        if original is not None and is_unavailable(original):
            extensions = {"code": SERVICE_UNAVAILABLE, "retryable": True}
            return _with_extensions(error, DATABASE_UNAVAILABLE_MESSAGE, extensions)
        if original is None or isinstance(original, GraphQLError):
            if error.extensions and "code" in error.extensions:
                return error
            if original is not None and original.extensions and "code" in original.extensions:
                return _with_extensions(error, error.message, dict(original.extensions))
            return _with_extensions(error, error.message, {"code": self._phase_code()})
        if self._on_internal_error is not None:
            self._on_internal_error(error)
        return _with_extensions(error, INTERNAL_ERROR_MESSAGE, {"code": "INTERNAL_SERVER_ERROR"})

    def _phase_code(self) -> str:
        """The code of an uncoded GraphQL error, from how far the operation got."""
        if self.execution_context.graphql_document is None:
            return "GRAPHQL_PARSE_FAILED"
        if self._validation_failed:
            return "GRAPHQL_VALIDATION_FAILED"
        return "BAD_USER_INPUT"


def _safe_details(details: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in details.items() if isinstance(value, str | int | float | bool)}


def _with_extensions(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )


def root_field_names(document: DocumentNode, operation_name: str | None) -> set[str]:
    """Names (not aliases) of the root fields the chosen operation selects, through fragments."""
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    operations = [
        definition
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
        and (operation_name is None or (definition.name and definition.name.value == operation_name))
    ]
    names: set[str] = set()
    for operation in operations:
        _collect(operation.selection_set, fragments, names, set())
    return names


def _collect(
    selection_set: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    names: set[str],
    visited: set[str],
) -> None:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            names.add(selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            _collect(selection.selection_set, fragments, names, visited)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in visited:
                visited.add(name)
                _collect(fragments[name].selection_set, fragments, names, visited)


class SignInFirst(FieldExtension):
    """For fields only members may use: an anonymous caller is told to sign in before the resolver
    reads any argument, so "please sign in" comes before "this id is not valid"."""

    def resolve(self, next_: Callable[..., Any], source: Any, info: Any, **kwargs: Any) -> Any:
        info.context.viewer.require_member()
        return next_(source, info, **kwargs)

    async def resolve_async(self, next_: Callable[..., Awaitable[Any]], source: Any, info: Any,
                            **kwargs: Any) -> Any:
        info.context.viewer.require_member()
        return await next_(source, info, **kwargs)


def subgraph_extensions() -> list[type[SchemaExtension]]:
    """The extensions every subgraph schema uses, as classes (a fresh instance per request).

    The parser and validation caches live at module level, so they are shared
    across requests even though their extension objects are not.
    """
    from strawberry.extensions import ParserCache, ValidationCache

    return [SubgraphGuard, ErrorCodes, ParserCache, ValidationCache]

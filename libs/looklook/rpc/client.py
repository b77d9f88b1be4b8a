"""RPC clients: a betterproto stub on a channel that speaks upstream's status codes.

``rpc_client(pb.TravelStub, conf)`` returns an instance of the stub class (so call
sites read ``await travel.homestay_detail(req)``) with ``conf.timeout_ms`` as the
per-call timeout, traceparent injection, client metrics, and errors translated into
``CodeError`` (business codes) or ``RpcError`` (everything else). ``close()`` on the
returned stub closes its channel.
"""

from __future__ import annotations

import asyncio
import time
from functools import cache
from typing import Any, cast

from betterproto.grpc.grpclib_client import ServiceStub
from grpclib.const import Status
from grpclib.events import SendRequest, listen
from grpclib.exceptions import GRPCError, ProtocolError, StreamTerminatedError
from opentelemetry.trace import SpanKind
from opentelemetry.trace import Status as SpanStatus
from opentelemetry.trace import StatusCode as SpanCode

from looklook import metrics
from looklook.errors import CodeError
from looklook.settings import RpcClientConf

from . import tracing
from .errors import RpcError, from_grpc_error
from .status import CodeAwareChannel

DEADLINE_MSG = "context deadline exceeded"


async def _inject_trace(event: SendRequest) -> None:
    tracing.inject(event.metadata)


def create_channel(conf: RpcClientConf) -> CodeAwareChannel:
    """A lazily-connecting channel to ``conf.endpoint`` (host:port, DNS names allowed)."""
    channel = CodeAwareChannel(conf.host, conf.port)
    listen(channel, SendRequest, _inject_trace)
    return channel


class _ClientMixin(ServiceStub):
    """Wraps every unary call of a generated stub (all upstream RPCs are unary)."""

    async def _unary_unary(self, route: str, request: Any, response_type: Any, **kw: Any) -> Any:
        start = time.monotonic()
        code = Status.OK.value
        with tracing.TRACER.start_as_current_span(
            route, kind=SpanKind.CLIENT, attributes=tracing.span_attributes(route)
        ) as span:
            try:
                return await super()._unary_unary(route, request, response_type, **kw)
            except Exception as exc:
                err = _translate(exc)
                if err is None:
                    raise
                code = err.code if isinstance(err, CodeError) else err.status
                span.set_attribute("rpc.grpc.status_code", code)
                span.set_status(SpanStatus(SpanCode.ERROR, str(err)))
                raise err from exc
            finally:
                metrics.RPC_CLIENT_DURATION.labels(route).observe(
                    (time.monotonic() - start) * 1000
                )
                metrics.RPC_CLIENT_CODE.labels(route, str(code)).inc()

    def close(self) -> None:
        """Close the underlying channel (idempotent)."""
        self.channel.close()


def _translate(exc: Exception) -> CodeError | RpcError | None:
    """Map what grpclib raises to CodeError / RpcError; None leaves it alone."""
    if isinstance(exc, GRPCError):
        return from_grpc_error(exc)
    if isinstance(exc, asyncio.TimeoutError):
        return RpcError(Status.DEADLINE_EXCEEDED.value, DEADLINE_MSG)
    if isinstance(exc, (OSError, StreamTerminatedError, ProtocolError)):
        return RpcError(Status.UNAVAILABLE.value, f"{type(exc).__name__}: {exc}")
    return None


@cache
def _client_class(stub_cls: type[ServiceStub]) -> type[ServiceStub]:
    """``stub_cls`` with :class:`_ClientMixin` in front, built once per stub class."""
    return type(f"{stub_cls.__name__}Client", (_ClientMixin, stub_cls), {})


def rpc_client[S: ServiceStub](stub_cls: type[S], conf: RpcClientConf) -> S:
    """An instance of ``stub_cls`` bound to ``conf``; call ``.close()`` on shutdown."""
    timeout = conf.timeout_ms / 1000 if conf.timeout_ms > 0 else None
    client = _client_class(stub_cls)(create_channel(conf), timeout=timeout)
    # The class made by type() subclasses stub_cls, which mypy cannot follow.
    return cast(S, client)


def close_client(stub: object) -> None:
    """Close a stub made by :func:`rpc_client` (for call sites typed as the plain stub)."""
    close = getattr(stub, "close", None)
    if callable(close):
        close()

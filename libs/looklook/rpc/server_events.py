"""Server interceptors built on ``grpclib.events``: errors, deadline, tracing, logs, metrics.

``RecvRequest`` wraps the method handler (its ``method_func`` is a documented mutable
payload); ``SendTrailingMetadata`` sees the status that actually goes on the wire and
records logs and metrics. Both events run in the request's task, so a ContextVar links
them.

Method label: the wire path (``/pb.order/createHomestayOrder``). Upstream's order and
travel servers label with a capitalised name (``/pb.order/CreateHomestayOrder``) that
exists only inside their old generated code; we keep the real path so a dashboard
query works the same for all four services.
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from grpclib.const import Status
from grpclib.events import RecvRequest, SendTrailingMetadata, listen
from grpclib.exceptions import GRPCError
from grpclib.server import Server
from opentelemetry.trace import SpanKind
from opentelemetry.trace import Status as SpanStatus
from opentelemetry.trace import StatusCode as SpanCode

from looklook import metrics
from looklook.errors import GENERIC_MSG, CodeError

from . import tracing
from .status import grpc_error, status_code

log = logging.getLogger("looklook.rpc.server")

DEADLINE_MSG = "context deadline exceeded"


@dataclass
class _Call:
    method: str
    peer: str
    start: float = field(default_factory=time.monotonic)


_CALL: ContextVar[_Call | None] = ContextVar("looklook_rpc_call", default=None)


class ServerInterceptors:
    """Attach with :meth:`attach`; one instance per server."""

    def __init__(self, *, timeout_ms: int) -> None:
        self._timeout = timeout_ms / 1000 if timeout_ms > 0 else None
        self.in_flight = 0
        #: Set while no call is in flight (graceful stop waits on it).
        self.idle = asyncio.Event()
        self.idle.set()

    def attach(self, server: Server) -> None:
        listen(server, RecvRequest, self._on_request)
        listen(server, SendTrailingMetadata, self._on_trailers)

    async def _on_request(self, event: RecvRequest) -> None:
        call = _Call(method=event.method_name, peer=_peer(event.peer))
        _CALL.set(call)
        self.in_flight += 1
        self.idle.clear()
        inner = event.method_func
        parent = tracing.extract(event.metadata)

        async def handle(stream: Any) -> None:
            with tracing.TRACER.start_as_current_span(
                call.method,
                context=parent,
                kind=SpanKind.SERVER,
                attributes=tracing.span_attributes(call.method),
            ) as span:
                try:
                    await self._run(inner, stream, call.method)
                except GRPCError as err:
                    code = status_code(err.status)
                    span.set_attribute("rpc.grpc.status_code", code)
                    span.set_status(SpanStatus(SpanCode.ERROR, err.message or ""))
                    raise
                finally:
                    self._done()

        event.method_func = handle

    def _done(self) -> None:
        self.in_flight -= 1
        if self.in_flight == 0:
            self.idle.set()

    async def _run(self, inner: Any, stream: Any, method: str) -> None:
        """Call the handler under the server deadline; map exceptions to statuses."""
        timeout = asyncio.timeout(self._timeout)
        try:
            async with timeout:
                await inner(stream)
        except GRPCError:
            raise
        except CodeError as err:
            log.error("【RPC-SRV-ERR】 %s", err, extra={"method": method})
            raise grpc_error(err.code, err.msg) from err
        except TimeoutError as err:
            if timeout.expired():
                raise GRPCError(Status.DEADLINE_EXCEEDED, DEADLINE_MSG) from err
            log.exception("【RPC-SRV-ERR】 timeout", extra={"method": method})
            raise GRPCError(Status.UNKNOWN, GENERIC_MSG) from err
        except Exception as err:
            log.exception("【RPC-SRV-ERR】 %r", err, extra={"method": method})
            raise GRPCError(Status.UNKNOWN, GENERIC_MSG) from err

    async def _on_trailers(self, event: SendTrailingMetadata) -> None:
        call = _CALL.get()
        if call is None:
            return
        _CALL.set(None)
        code = status_code(event.status)
        duration_ms = (time.monotonic() - call.start) * 1000
        metrics.RPC_SERVER_DURATION.labels(call.method).observe(duration_ms)
        metrics.RPC_SERVER_CODE.labels(call.method, str(code)).inc()
        log.log(
            logging.INFO if code == 0 else logging.WARNING,
            "rpc %s code=%d %.1fms",
            call.method,
            code,
            duration_ms,
            extra={
                "method": call.method,
                "code": code,
                "duration_ms": round(duration_ms, 3),
                "peer": call.peer,
            },
        )


def _peer(peer: Any) -> str:
    addr = peer.addr() if peer is not None else None
    return f"{addr[0]}:{addr[1]}" if addr else ""

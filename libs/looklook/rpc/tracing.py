"""W3C trace context (traceparent / baggage) carried in gRPC metadata.

Uses the global OpenTelemetry propagator (TraceContext + Baggage by default), the same
pair upstream's go-zero processes use, so traces join across Go and Python hops.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from opentelemetry import propagate, trace
from opentelemetry.context import Context

TRACER = trace.get_tracer("looklook.rpc")


def extract(metadata: Any) -> Context:
    """Trace context sent by the caller (``metadata`` is grpclib's MultiDict)."""
    carrier = {str(k).lower(): v for k, v in metadata.items() if isinstance(v, str)}
    return propagate.extract(carrier)


def inject(metadata: MutableMapping[str, Any]) -> None:
    """Add ``traceparent`` (and ``baggage``) of the current span to outgoing metadata."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    for key, value in carrier.items():
        metadata[key] = value


def span_attributes(method: str) -> dict[str, str]:
    """OpenTelemetry rpc.* attributes for a wire path like ``/pb.travel/homestayDetail``."""
    service, _, name = method.lstrip("/").partition("/")
    return {"rpc.system": "grpc", "rpc.service": service, "rpc.method": name}

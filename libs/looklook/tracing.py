"""OpenTelemetry set-up and W3C propagation (go-zero ``Telemetry`` block).

Spans are always created (so trace ids appear in logs and are propagated); they are
exported over OTLP/HTTP only when ``TelemetryConf.endpoint`` is set.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.baggage.propagation import W3CBaggagePropagator
from opentelemetry.propagators.composite import CompositePropagator
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from looklook.settings import TelemetryConf

__all__ = [
    "current_ids",
    "extract",
    "get_tracer",
    "inject",
    "setup_tracing",
]

_TRACER_NAME = "looklook"

propagate.set_global_textmap(
    CompositePropagator([TraceContextTextMapPropagator(), W3CBaggagePropagator()])
)


def setup_tracing(
    service_name: str, conf: TelemetryConf, *, exporter: SpanExporter | None = None
) -> TracerProvider:
    """Install the global tracer provider; call ``provider.shutdown()`` on exit to flush.

    ``exporter`` overrides the OTLP exporter (tests pass an in-memory one).
    """
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: service_name}),
        sampler=ParentBased(TraceIdRatioBased(conf.sampler)),
    )
    if exporter is None and conf.endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=conf.endpoint)
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return provider


def get_tracer() -> trace.Tracer:
    return trace.get_tracer(_TRACER_NAME)


def extract(headers: Mapping[str, str]) -> otel_context.Context:
    """Context carried by ``traceparent`` / ``tracestate`` / ``baggage`` headers."""
    return propagate.extract(headers)


def inject(headers: MutableMapping[str, str], ctx: otel_context.Context | None = None) -> None:
    """Write the current (or given) context into ``headers`` for an outgoing call."""
    propagate.inject(headers, context=ctx)


def current_ids() -> tuple[str, str] | None:
    """``(trace_id, span_id)`` hex of the active span, or None when there is none."""
    sc = trace.get_current_span().get_span_context()
    if not sc.is_valid:
        return None
    return format(sc.trace_id, "032x"), format(sc.span_id, "016x")

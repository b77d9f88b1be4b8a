"""Guards for the one place looklook.rpc relies on grpclib internals (looklook/rpc/status.py).

If a grpclib upgrade changes them, these fail before production does.
"""

from __future__ import annotations

import inspect

import grpclib
import grpclib.client
import pytest
from grpclib.const import Status
from grpclib.exceptions import GRPCError
from looklook.errors import GENERIC_MSG_FULLWIDTH, CodeError
from looklook.rpc import CustomStatus, RpcError, from_grpc_error, http_error_mapper
from looklook.rpc.status import CodeAwareStream, status_of


def test_overridden_hook_still_exists_with_same_shape() -> None:
    original = inspect.signature(grpclib.client.Stream._process_grpc_status)
    assert list(original.parameters) == ["self", "headers_map"]
    assert CodeAwareStream._process_grpc_status is not grpclib.client.Stream._process_grpc_status


def test_stock_grpclib_still_rejects_custom_codes() -> None:
    # Why CodeAwareStream exists; if grpclib ever accepts 100001 itself, drop the subclass.
    with pytest.raises(ValueError):
        Status(100001)


def _headers(status: str, message: str | None = None) -> dict[str, str]:
    headers = {"grpc-status": status}
    if message is not None:
        headers["grpc-message"] = message
    return headers


def test_code_aware_stream_reads_numeric_status() -> None:
    stream = object.__new__(CodeAwareStream)
    stream._status_details_codec = None
    status, message, _ = stream._process_grpc_status(
        _headers("100001", "%E7%94%A8%E6%88%B7%E4%B8%8D%E5%AD%98%E5%9C%A8")
    )
    assert status == 100001 and status.value == 100001
    assert message == "用户不存在"
    status, message, _ = stream._process_grpc_status(_headers("14", "down"))
    assert status is Status.UNAVAILABLE and message == "down"


def test_custom_status_behaves_like_a_status_for_the_server() -> None:
    status = status_of(100005)
    assert isinstance(status, CustomStatus)
    assert str(status.value) == "100005"  # what grpclib writes into grpc-status
    assert status != Status.OK and status is not Status.OK
    assert status_of(4) is Status.DEADLINE_EXCEEDED


def test_error_translation() -> None:
    assert from_grpc_error(GRPCError(CustomStatus(100005), "数据库繁忙,请稍后再试")) == CodeError(
        100005, "数据库繁忙,请稍后再试"
    )
    err = from_grpc_error(GRPCError(CustomStatus(123456), "odd"))
    assert isinstance(err, RpcError) and err.status == 123456
    err = from_grpc_error(GRPCError(Status.UNAVAILABLE, "down"))
    assert isinstance(err, RpcError) and (err.status, err.message) == (14, "down")


def test_http_error_mapper() -> None:
    assert http_error_mapper(RpcError(14, "connection refused")) == CodeError(
        100001, GENERIC_MSG_FULLWIDTH
    )
    assert http_error_mapper(CodeError(100001, "x")) is None
    assert http_error_mapper(ValueError("x")) is None


def test_grpclib_version_is_the_pinned_one() -> None:
    assert grpclib.__version__ == "0.4.9", "re-check looklook/rpc/status.py for this grpclib"


def test_mapper_is_registered_with_the_web_layer() -> None:
    from looklook.web import map_exception

    assert map_exception(RpcError(4, "context deadline exceeded")) == CodeError(
        100001, GENERIC_MSG_FULLWIDTH
    )

"""usercenter-rpc over real sockets: our grpclib stubs and stock grpcio on the same paths."""

from __future__ import annotations

import grpc
import pytest
from looklook.errors import CodeError
from looklook.pb import pb
from looklook.rpc import rpc_client
from looklook.settings import RpcClientConf
from looklook.testing import grpcio_unary

from .conftest import new_mobile


@pytest.fixture
async def stub(usercenter):
    client = rpc_client(pb.UsercenterStub, RpcClientConf(endpoint=usercenter.rpc_endpoint))
    yield client
    client.close()


async def test_all_six_methods(stub) -> None:
    mobile = new_mobile()
    reg = await stub.register(
        pb.RegisterReq(
            mobile=mobile, nickname="Alice", password="pw", auth_key=mobile, auth_type="system"
        )
    )
    assert reg.access_token and reg.refresh_after < reg.access_expire
    login = await stub.login(pb.LoginReq(auth_type="system", auth_key=mobile, password="pw"))
    auth = (
        await stub.get_user_auth_by_auth_key(
            pb.GetUserAuthByAuthKeyReq(auth_key=mobile, auth_type="system")
        )
    ).user_auth
    assert auth.auth_key == mobile and auth.auth_type == "system" and auth.id > 0
    user = (await stub.get_user_info(pb.GetUserInfoReq(id=auth.user_id))).user
    assert (user.mobile, user.nickname) == (mobile, "Alice")  # supplied nickname is stored (fix)
    by_user = (
        await stub.get_user_auth_by_user_id(
            pb.GetUserAuthByUserIdReq(user_id=auth.user_id, auth_type="system")
        )
    ).user_auth
    assert by_user.id == auth.id
    token = await stub.generate_token(pb.GenerateTokenReq(user_id=auth.user_id))
    assert token.access_token and login.access_token


async def test_business_errors_carry_upstream_codes(stub) -> None:
    with pytest.raises(CodeError) as err:
        await stub.get_user_info(pb.GetUserInfoReq(id=987654321))
    assert (err.value.code, err.value.msg) == (100001, "用户不存在")
    with pytest.raises(CodeError) as err:
        await stub.login(pb.LoginReq(auth_type="wxMini", auth_key="x", password="y"))
    assert (err.value.code, err.value.msg) == (100001, "服务器开小差啦,稍后再来试一试")


async def test_missing_auth_is_an_empty_present_message(stub) -> None:
    resp = await stub.get_user_auth_by_auth_key(
        pb.GetUserAuthByAuthKeyReq(auth_key="nobody", auth_type="wxMini")
    )
    assert resp.user_auth is not None and resp.user_auth.id == 0
    assert bytes(resp) == b"\x0a\x00"  # field 1 present, empty


async def test_grpcio_generic_client(usercenter, stub) -> None:
    mobile = new_mobile()
    await stub.register(
        pb.RegisterReq(mobile=mobile, password="pw", auth_key=mobile, auth_type="system")
    )
    auth = (
        await stub.get_user_auth_by_auth_key(
            pb.GetUserAuthByAuthKeyReq(auth_key=mobile, auth_type="system")
        )
    ).user_auth
    status, raw, _ = await grpcio_unary(
        usercenter.rpc_endpoint,
        "/pb.usercenter/getUserInfo",
        bytes(pb.GetUserInfoReq(id=auth.user_id)),
    )
    assert status == grpc.StatusCode.OK
    assert pb.GetUserInfoResp().parse(raw).user.mobile == mobile
    status, raw, _ = await grpcio_unary(
        usercenter.rpc_endpoint, "/pb.usercenter/getUserInfo", bytes(pb.GetUserInfoReq(id=10**12))
    )
    # grpcio cannot represent upstream's numeric code 100001; it must still fail
    assert status != grpc.StatusCode.OK and raw is None

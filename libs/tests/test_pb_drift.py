"""The checked-in libs/looklook/pb must be exactly what protos/*.proto generate."""

from __future__ import annotations

from pathlib import Path

import pytest
from looklook.rpc import codegen


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One generator run shared by the tests (protoc + formatting take seconds)."""
    out = tmp_path_factory.mktemp("gen") / "pb"
    assert codegen.generate(out), "the generator wrote nothing"
    return out


def test_generated_code_matches_protos(fresh: Path) -> None:
    drift = codegen.differences(fresh, codegen.PB_DIR)
    assert not drift, f"libs/looklook/pb is out of date ({', '.join(drift)}): run `make gen`"


def test_generation_is_deterministic(fresh: Path, tmp_path: Path) -> None:
    codegen.generate(tmp_path / "again")
    assert codegen.differences(fresh, tmp_path / "again") == []


def test_differences_reports_changed_missing_and_extra(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        (d / "pb").mkdir(parents=True)
        (d / "pb" / "__init__.py").write_text("x = 1\n")
    (b / "pb" / "__init__.py").write_text("x = 2\n")
    (a / "only_a.py").write_text("")
    (b / "only_b.py").write_text("")
    assert codegen.differences(a, b) == ["only_a.py", "only_b.py", "pb/__init__.py"]


def test_wire_paths_and_fields_follow_the_contract() -> None:
    from looklook.pb import pb

    # Service/method names exactly as upstream wrote them (wire paths).
    assert set(pb.TravelBase().__mapping__()) == {"/pb.travel/homestayDetail"}
    assert "/pb.payment/CreatePayment" in pb.PaymentBase().__mapping__()
    assert "/pb.order/createHomestayOrder" in pb.OrderBase().__mapping__()
    assert "/pb.usercenter/getUserAuthByUserId" in pb.UsercenterBase().__mapping__()
    # Odd upstream names are kept.
    assert pb.GetUserAuthyUserIdResp().user_auth is not None
    assert bytes(pb.UserHomestayOrderListReq(trader_state=3)) == b"\x20\x03"
    assert bytes(pb.CreatePaymentReq(pay_model="WECHAT_PAY"))[:1] == b"\x12"
    # needFood is field 27 (tag 27<<3 = 216 -> varint d8 01).
    assert bytes(pb.HomestayOrder(need_food=1)) == b"\xd8\x01\x01"

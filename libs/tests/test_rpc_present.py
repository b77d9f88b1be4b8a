"""Empty sub-messages are sent (field present, length 0) once marked with present()."""

from looklook.pb import pb
from looklook.rpc.present import present


def test_empty_sub_message_is_on_the_wire() -> None:
    assert bytes(pb.HomestayDetailResp(homestay=pb.Homestay())) == b""
    assert bytes(pb.HomestayDetailResp(homestay=present(pb.Homestay()))) == b"\x0a\x00"
    decoded = pb.HomestayDetailResp().parse(b"\x0a\x00")
    assert decoded.homestay is not None and decoded.homestay.id == 0


def test_non_empty_message_unchanged() -> None:
    msg = pb.HomestayDetailResp(homestay=present(pb.Homestay(id=3)))
    assert pb.HomestayDetailResp().parse(bytes(msg)).homestay.id == 3

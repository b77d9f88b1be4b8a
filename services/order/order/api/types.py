"""order-api request and response types (http-api.md §6.3), keys in contract order."""

from __future__ import annotations

from looklook.web import RequestModel, ResponseModel

__all__ = [
    "CreateHomestayOrderReq",
    "CreateHomestayOrderResp",
    "UserHomestayOrderDetailReq",
    "UserHomestayOrderDetailResp",
    "UserHomestayOrderListReq",
    "UserHomestayOrderListResp",
    "UserHomestayOrderListView",
]


class CreateHomestayOrderReq(RequestModel):
    homestayId: int  # noqa: N815 - JSON key
    isFood: bool  # noqa: N815
    liveStartTime: int  # noqa: N815
    liveEndTime: int  # noqa: N815
    livePeopleNum: int  # noqa: N815
    remark: str


class CreateHomestayOrderResp(ResponseModel):
    orderSn: str  # noqa: N815


class UserHomestayOrderListReq(RequestModel):
    lastId: int  # noqa: N815
    pageSize: int  # noqa: N815
    tradeState: int  # noqa: N815


class UserHomestayOrderListView(ResponseModel):
    sn: str
    title: str
    subTitle: str  # noqa: N815
    homestayId: int  # noqa: N815
    cover: str
    orderTotalPrice: float  # noqa: N815
    createTime: int  # noqa: N815
    tradeState: int  # noqa: N815
    liveStartDate: int  # noqa: N815
    liveEndDate: int  # noqa: N815
    tradeCode: str  # noqa: N815


class UserHomestayOrderListResp(ResponseModel):
    list: list[UserHomestayOrderListView]


class UserHomestayOrderDetailReq(RequestModel):
    sn: str


class UserHomestayOrderDetailResp(ResponseModel):
    sn: str
    userId: int  # noqa: N815
    homestayId: int  # noqa: N815
    title: str
    subTitle: str  # noqa: N815
    cover: str
    info: str
    foodInfo: str  # noqa: N815
    foodPrice: float  # noqa: N815
    homestayPrice: float  # noqa: N815
    marketHomestayPrice: float  # noqa: N815
    homestayBusinessId: float  # noqa: N815 - an id typed float upstream
    homestayUserId: float  # noqa: N815
    orderTotalPrice: float  # noqa: N815
    createTime: int  # noqa: N815
    tradeState: int  # noqa: N815
    liveStartDate: int  # noqa: N815
    liveEndDate: int  # noqa: N815
    tradeCode: str  # noqa: N815
    foodTotalPrice: float  # noqa: N815
    homestayTotalPrice: float  # noqa: N815
    remark: str
    livePeopleNum: int  # noqa: N815
    needFood: int  # noqa: N815
    payTime: int  # noqa: N815
    payType: str  # noqa: N815

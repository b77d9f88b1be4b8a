"""travel-rpc: the pb.travel service, delegating to logic.homestays."""

from __future__ import annotations

from looklook.pb import pb

from travel.logic.homestays import homestay_detail
from travel.models import HomestayModel

__all__ = ["TravelServer"]


class TravelServer(pb.TravelBase):
    def __init__(self, homestays: HomestayModel) -> None:
        self.homestays = homestays

    async def homestay_detail(
        self, homestay_detail_req: pb.HomestayDetailReq
    ) -> pb.HomestayDetailResp:
        return await homestay_detail(self.homestays, homestay_detail_req)

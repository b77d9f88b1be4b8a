"""``user``: one account; looked up by id and by its unique mobile number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from looklook.data import EPOCH, CachedModel


@dataclass
class User:
    id: int = 0
    create_time: datetime = EPOCH
    update_time: datetime = EPOCH
    delete_time: datetime = EPOCH
    del_state: int = 0
    version: int = 0
    mobile: str = ""
    password: str = ""
    nickname: str = ""
    sex: int = 0
    avatar: str = ""
    info: str = ""


class UserModel(CachedModel[User]):
    row_type = User
    table = "user"
    cache_prefix = "cache:looklookUsercenter:user:"
    unique_keys = (("mobile",),)

"""``user_auth``: how a user signs in (mobile for ``system``, openid for ``wxMini``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from looklook.data import EPOCH, CachedModel

AUTH_TYPE_SYSTEM = "system"
AUTH_TYPE_WX_MINI = "wxMini"


@dataclass
class UserAuth:
    id: int = 0
    create_time: datetime = EPOCH
    update_time: datetime = EPOCH
    delete_time: datetime = EPOCH
    del_state: int = 0
    version: int = 0
    user_id: int = 0
    auth_key: str = ""
    auth_type: str = ""


class UserAuthModel(CachedModel[UserAuth]):
    """Unique on (auth_type, auth_key) and on (user_id, auth_type)."""

    row_type = UserAuth
    table = "user_auth"
    cache_prefix = "cache:looklookUsercenter:userAuth:"
    unique_keys = (("auth_type", "auth_key"), ("user_id", "auth_type"))

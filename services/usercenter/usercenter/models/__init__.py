"""Cached models of looklook_usercenter (database.md §3.1-3.2)."""

from usercenter.models.user import User, UserModel
from usercenter.models.user_auth import AUTH_TYPE_SYSTEM, AUTH_TYPE_WX_MINI, UserAuth, UserAuthModel

__all__ = [
    "AUTH_TYPE_SYSTEM",
    "AUTH_TYPE_WX_MINI",
    "User",
    "UserAuth",
    "UserAuthModel",
    "UserModel",
]

"""Token issuing for usercenter-rpc (business-rules.md §1.3), over looklook.web.auth."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from looklook.errors import CodeError
from looklook.settings import JwtConf
from looklook.web.auth import issue_token

__all__ = ["MSG_TOKEN_FAIL", "TokenIssuer"]

log = logging.getLogger(__name__)

MSG_TOKEN_FAIL = "生成token失败"


@dataclass(frozen=True)
class TokenIssuer:
    conf: JwtConf

    def issue(self, user_id: int) -> dict[str, int | str]:
        """Keyword arguments for RegisterResp/LoginResp/GenerateTokenResp."""
        try:
            token = issue_token(self.conf, user_id)
        except Exception as exc:  # noqa: BLE001 - any signing failure is upstream's one text
            log.error("token signing failed", exc_info=exc)
            raise CodeError.of_msg(MSG_TOKEN_FAIL) from exc
        return {
            "access_token": token.access_token,
            "access_expire": token.access_expire,
            "refresh_after": token.refresh_after,
        }

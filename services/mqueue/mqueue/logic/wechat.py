"""WeChat subscribe messages (messaging-and-jobs.md §3): access token and send.

The access token is cached in process memory until shortly before it expires, as
upstream's SDK does; a token WeChat rejects is dropped so the next attempt refreshes it.
"""

from __future__ import annotations

import time
from typing import Any

import aiohttp
from looklook.wxmini import WxMiniConf, WxMiniError

#: errcodes meaning "the access token is invalid or expired".
_TOKEN_ERRORS = {40001, 40014, 42001}


class SubscribeSender:
    """Sends subscribe messages with one cached access token per process."""

    def __init__(self, http: aiohttp.ClientSession, conf: WxMiniConf, mode: str) -> None:
        self.http = http
        self.conf = conf
        self.state = "formal" if mode == "pro" else "developer"
        self._token = ""
        self._expires_at = 0.0

    def _url(self, path: str) -> str:
        return self.conf.base_url.rstrip("/") + path

    async def _call(self, method: str, url: str, **kw: Any) -> dict[str, Any]:
        timeout = aiohttp.ClientTimeout(total=self.conf.timeout_s)
        try:
            async with self.http.request(method, url, timeout=timeout, **kw) as resp:
                body = await resp.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise WxMiniError(f"wechat {url.split('?')[0]}: {exc!r}") from exc
        if not isinstance(body, dict):
            raise WxMiniError("wechat: response is not a JSON object")
        return body

    async def access_token(self) -> str:
        if self._token and time.monotonic() < self._expires_at:
            return self._token
        body = await self._call(
            "GET",
            self._url("/cgi-bin/token"),
            params={
                "grant_type": "client_credential",
                "appid": self.conf.app_id,
                "secret": self.conf.secret,
            },
        )
        token = body.get("access_token")
        if not token:
            raise WxMiniError(f"wechat token: errcode {body.get('errcode')} {body.get('errmsg')}")
        self._token = str(token)
        self._expires_at = time.monotonic() + max(int(body.get("expires_in", 7200)) - 300, 60)
        return self._token

    async def send(self, openid: str, template_id: str, data: dict[str, str]) -> None:
        """One send attempt; raises WxMiniError unless WeChat answered errcode 0."""
        token = await self.access_token()
        payload = {
            "touser": openid,
            "template_id": template_id,
            "page": "",
            "data": {key: {"value": value, "color": ""} for key, value in data.items()},
            "miniprogram_state": self.state,
            "lang": "",
        }
        body = await self._call(
            "POST",
            self._url("/cgi-bin/message/subscribe/send"),
            params={"access_token": token},
            json=payload,
        )
        code = int(body.get("errcode", 0) or 0)
        if code in _TOKEN_ERRORS:
            self._token = ""
        if code != 0:
            raise WxMiniError(f"wechat subscribe send: errcode {code} {body.get('errmsg')}")

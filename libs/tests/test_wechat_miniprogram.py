"""looklook.wechat.miniprogram's access-token client against a real HTTP stand-in for WeChat."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp import web
from looklook.testing import free_port
from looklook.wechat.miniprogram import WxMiniClient, WxMiniConf, WxMiniError, miniprogram_state


class WeChat:
    """Issues TOKEN1, TOKEN2...; ``send_codes`` are the errcodes of the next sends."""

    def __init__(self) -> None:
        self.tokens = 0
        self.send_codes: list[int] = []
        self.sent: list[tuple[str, dict]] = []
        self.token_body: dict | None = None

    async def token(self, request: web.Request) -> web.Response:
        if self.token_body is not None:
            return web.json_response(self.token_body)
        self.tokens += 1
        return web.json_response({"access_token": f"TOKEN{self.tokens}", "expires_in": 7200})

    async def send(self, request: web.Request) -> web.Response:
        self.sent.append((request.query["access_token"], await request.json()))
        code = self.send_codes.pop(0) if self.send_codes else 0
        return web.Response(text=f'{{"errcode":{code},"errmsg":"x"}}', content_type="text/plain")


@pytest.fixture
async def wechat():
    fake = WeChat()
    app = web.Application()
    app.router.add_get("/cgi-bin/token", fake.token)
    app.router.add_post("/cgi-bin/message/subscribe/send", fake.send)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    async with aiohttp.ClientSession() as http:
        conf = WxMiniConf(app_id="wxapp", secret="s", base_url=f"http://127.0.0.1:{port}")
        yield fake, WxMiniClient(http, conf)
    await runner.cleanup()


async def test_token_is_cached_and_refreshed_after_wechat_rejects_it(wechat):
    fake, client = wechat
    await client.send_subscribe("openid", "tpl", {"thing1": "a"}, state="developer")
    fake.send_codes = [40001]  # token invalid
    with pytest.raises(WxMiniError, match="40001"):
        await client.send_subscribe("openid", "tpl", {"thing1": "b"})
    await client.send_subscribe("openid", "tpl", {"thing1": "c"})
    assert [token for token, _ in fake.sent] == ["TOKEN1", "TOKEN1", "TOKEN2"]
    first = fake.sent[0][1]
    assert first == {"touser": "openid", "template_id": "tpl", "page": "",
                     "data": {"thing1": {"value": "a", "color": ""}},
                     "miniprogram_state": "developer", "lang": ""}


async def test_other_errcodes_fail_the_send_but_keep_the_token(wechat):
    fake, client = wechat
    fake.send_codes = [43101]  # user refused the subscription
    with pytest.raises(WxMiniError, match="43101"):
        await client.send_subscribe("openid", "tpl", {})
    await client.send_subscribe("openid", "tpl", {})
    assert fake.tokens == 1


async def test_token_errors_and_unreachable_wechat_raise_wxminierror(wechat):
    fake, client = wechat
    fake.token_body = {"errcode": 40013, "errmsg": "invalid appid"}
    with pytest.raises(WxMiniError, match="40013"):
        await client.access_token()
    async with aiohttp.ClientSession() as http:
        dead = WxMiniClient(http, WxMiniConf(app_id="a", base_url=f"http://127.0.0.1:{free_port()}"))
        with pytest.raises(WxMiniError):
            await dead.access_token()


def test_miniprogram_state_is_formal_only_in_pro():
    assert [miniprogram_state(m) for m in ("pro", "dev", "test")] == [
        "formal", "developer", "developer"]

"""A small WeChat stand-in for the local stack and the tests.

Speaks the few WeChat endpoints our services call, over real HTTP, so that wxMiniAuth,
subscribe messages and WeChat Pay can be exercised without WeChat's servers:
`miniprogram` (code2session, access token, subscribe messages, plus a device helper that
plays `wx.login` + `getPhoneNumber`) and `pay` (JSAPI prepay and the signed callback).
"""

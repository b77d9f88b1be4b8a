"""WeChat's server APIs as our services use them.

`miniprogram`: code2session, phone-number decryption, access tokens, subscribe messages.
`pay`: WeChat Pay v3 merchant side (JSAPI prepay, notification verification), with the
request signing and resource encryption in `crypto`.
"""

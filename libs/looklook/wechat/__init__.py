"""WeChat Pay v3 (merchant side): signing, verification, resource encryption, JSAPI."""

"""HTTP framework with go-zero ``rest`` behaviour: binding, JWT, envelope, middleware.

Typical use in a service::

    routes = [Route("/usercenter/v1/user/login", login, LoginReq)]
    app = create_app(name="usercenter-api", http=conf.api, routes=routes, jwt=conf.jwt)
    await run_http(app, conf.api, stop=lifecycle.shutdown)
"""

from looklook.web.app import Auth, Route, create_app, run_http, start_http
from looklook.web.auth import (
    InvalidTokenError,
    Token,
    current_claims,
    current_user_id,
    issue_token,
    verify_token,
)
from looklook.web.binding import (
    PayloadTooLargeError,
    RequestModel,
    ResponseModel,
    bind,
    param_error,
    parse_body,
    validate_request,
)
from looklook.web.envelope import JSON_CONTENT_TYPE, error_response, ok_body, ok_response
from looklook.web.errors import ErrorMapper, map_exception, register_error_mapper
from looklook.web.keys import APP_NAME, CLAIMS, HTTP_CONF, JWT_CONF, USER_ID

__all__ = [
    "APP_NAME",
    "CLAIMS",
    "HTTP_CONF",
    "JSON_CONTENT_TYPE",
    "JWT_CONF",
    "USER_ID",
    "Auth",
    "ErrorMapper",
    "InvalidTokenError",
    "PayloadTooLargeError",
    "RequestModel",
    "ResponseModel",
    "Route",
    "Token",
    "bind",
    "create_app",
    "current_claims",
    "current_user_id",
    "error_response",
    "issue_token",
    "map_exception",
    "ok_body",
    "ok_response",
    "param_error",
    "parse_body",
    "register_error_mapper",
    "run_http",
    "start_http",
    "validate_request",
    "verify_token",
]

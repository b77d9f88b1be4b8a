"""gRPC on grpclib: server and client builders with upstream's numeric status codes.

Server: ``create_rpc_server([TravelServer(...)], name=..., conf=..., mode=...)`` then
``await server.start()`` / ``await server.stop(grace)``. Handlers raise
``looklook.errors.CodeError``; it goes out as ``grpc-status: <code>`` + message.

Client: ``travel = rpc_client(pb.TravelStub, conf)``; failures raise ``CodeError`` for
allow-listed codes, else :class:`RpcError`; ``travel.close()`` on shutdown.
"""

from looklook.web.errors import register_error_mapper

from .client import close_client, create_channel, rpc_client
from .errors import RpcError, from_grpc_error, http_error_mapper
from .server import RpcServer, create_rpc_server
from .status import CustomStatus

# API processes reach RPCs through this package, so importing it is what teaches the
# HTTP envelope writer that an RpcError means the generic 100001 text (errors.md §3.2).
register_error_mapper(http_error_mapper)

__all__ = [
    "CustomStatus",
    "RpcError",
    "RpcServer",
    "close_client",
    "create_channel",
    "create_rpc_server",
    "from_grpc_error",
    "http_error_mapper",
    "rpc_client",
]

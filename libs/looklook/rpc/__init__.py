"""gRPC on grpclib: server and client builders with upstream's numeric status codes."""

"""Generated protobuf messages and gRPC stubs (package ``pb``). Do not edit: run `make gen`.

Sources: protos/*.proto. ``from looklook.pb import pb`` gives the generated module;
its names are also re-exported here.
"""

from . import pb
from .pb import *  # noqa: F401,F403

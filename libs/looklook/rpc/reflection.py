"""Descriptor pool for server reflection, built from the generated FileDescriptorSet.

betterproto messages are plain dataclasses with no protobuf descriptors, so grpclib's
reflection service is given a pool loaded from ``looklook/pb/descriptors.binpb``.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from google.protobuf.descriptor_pb2 import FileDescriptorSet
from google.protobuf.descriptor_pool import DescriptorPool


@cache
def descriptor_pool() -> DescriptorPool:
    """A private pool holding upstream's four .proto files (package ``pb``)."""
    data = files("looklook.pb").joinpath("descriptors.binpb").read_bytes()
    pool = DescriptorPool()
    for proto in FileDescriptorSet.FromString(data).file:
        pool.Add(proto)
    return pool

"""The messages tasks exchange over gRPC, and how tensors and errors travel in them.

Each RPC of the worker service (`server.py`) takes and returns one message below, encoded with
protobuf's wire format (the same `Message` machinery as GraphDef). Tensors travel as TF's
`TensorProto` (`NamedTensorProto`, as TF's worker.proto names it); nothing is pickled, so a
task runs only what a GraphDef describes.

Compression (the deck's 32 -> 16 -> 32 transfers): with `enable_bfloat16_sendrecv` a float32
tensor crosses between tasks as a DT_BFLOAT16 TensorProto (2 bytes a value, rounded to nearest
even) and becomes float32 again on arrival; the bound is ops/transfer_ops.py's (relative error
<= 2**-8 for normal values).
"""

import numpy as np

from tensorflux import errors
from tensorflux.backends.numpy import transfer_ops
from tensorflux.graph import attr_values, dtypes, tensor_util
from tensorflux.summary.proto import Field, Message, TensorProto, TensorShapeProto

SERVICE = "/tensorflux.WorkerService/"
# Tensors of a big model exceed gRPC's 4 MiB default: no limit, as TF sets for its channels.
CHANNEL_OPTIONS = (("grpc.max_send_message_length", -1),
                   ("grpc.max_receive_message_length", -1))


class NamedTensorProto(Message):
    """TF's NamedTensorProto, plus `wire`: the 16-bit format a float32 value travels as."""

    FIELDS = (Field("name", 1, "string"), Field("tensor", 2, TensorProto),
              Field("wire", 3, "string"))


class StatusRequest(Message):
    FIELDS = ()


class StatusResponse(Message):
    """Who the task is: its cluster (ClusterDef bytes), job and index, and its devices."""

    FIELDS = (Field("cluster_def", 1, "bytes"), Field("job_name", 2, "string"),
              Field("task_index", 3, "int32"), Field("device", 4, "string", repeated=True))


class RegisterGraphRequest(Message):
    FIELDS = (Field("graph_def", 1, "bytes"),)


class RegisterGraphResponse(Message):
    FIELDS = (Field("graph_handle", 1, "string"),)


class RunGraphRequest(Message):
    """One partition of one step: the ops to run (in order), what they are fed, what comes
    back, and the wire format of float32 values on the way back."""

    FIELDS = (Field("graph_handle", 1, "string"), Field("op", 2, "string", repeated=True),
              Field("send", 3, NamedTensorProto, repeated=True),
              Field("recv_key", 4, "string", repeated=True),
              Field("wire_dtype", 5, "string"), Field("timeout_in_ms", 6, "int64"))


class RunGraphResponse(Message):
    FIELDS = (Field("recv", 1, NamedTensorProto, repeated=True),
              Field("error_code", 2, "int32"), Field("error_message", 3, "string"),
              Field("error_node", 4, "string"))


class VariablesRequest(Message):
    """Reads (`name`, no `value`) or writes (`value`) variables of the task's state."""

    FIELDS = (Field("name", 1, "string", repeated=True),
              Field("value", 2, NamedTensorProto, repeated=True))


class VariablesResponse(Message):
    FIELDS = (Field("value", 1, NamedTensorProto, repeated=True),
              Field("error_code", 2, "int32"), Field("error_message", 3, "string"))


class ResetRequest(Message):
    FIELDS = (Field("container", 1, "string", repeated=True),)


class ResetResponse(Message):
    FIELDS = ()


# --- tensors -----------------------------------------------------------------------------------
def encode(name, value, wire=""):
    """A NamedTensorProto of `value`; float32 as bfloat16 or float16 when `wire` says so."""
    arr = np.asarray(value)
    if wire and arr.dtype == np.float32:
        if wire == "bfloat16":
            kind, data = dtypes.bfloat16, transfer_ops.bfloat16_bits(arr).astype("<u2")
        else:
            kind, data = dtypes.float16, transfer_ops.to_float16(arr).astype("<f2")
        proto = TensorProto(dtype=kind.as_datatype_enum, tensor_shape=_shape(arr.shape),
                            tensor_content=np.ascontiguousarray(data).tobytes())
        return NamedTensorProto(name=name, tensor=proto, wire=wire)
    if arr.dtype.kind in "SUO":
        proto = tensor_util.make_tensor_proto(arr, dtype=dtypes.string)
    else:
        little = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
        proto = TensorProto(dtype=dtypes.as_dtype(arr.dtype).as_datatype_enum,
                            tensor_shape=_shape(arr.shape),
                            tensor_content=np.ascontiguousarray(little).tobytes())
    return NamedTensorProto(name=name, tensor=proto)


def decode(named):
    """The numpy value of a NamedTensorProto (a compressed float32 comes back as float32)."""
    proto = named.tensor
    shape = tuple(d.size for d in proto.tensor_shape.dim)
    if named.wire == "bfloat16":
        bits = np.frombuffer(proto.tensor_content, "<u2").reshape(shape)
        return transfer_ops.from_bfloat16_bits(bits)
    if named.wire == "float16":
        return np.frombuffer(proto.tensor_content, "<f2").reshape(shape).astype(np.float32)
    if proto.dtype == dtypes.string.as_datatype_enum:
        return attr_values.tensor_proto_to_ndarray(proto)
    npd = np.dtype(dtypes.as_dtype(proto.dtype).as_numpy_dtype)
    arr = np.frombuffer(proto.tensor_content, npd.newbyteorder("<"))
    return arr.astype(npd).reshape(shape)


def _shape(shape):
    return TensorShapeProto(dim=[TensorShapeProto.Dim(size=int(d)) for d in shape])


# --- errors ------------------------------------------------------------------------------------
def error_fields(exc):
    """(code, message, node name) of an exception raised while a task ran a partition."""
    if isinstance(exc, errors.OpError):
        op = exc.op
        return exc.error_code, exc.message, getattr(op, "name", "") or ""
    return errors.INTERNAL, "%s: %s" % (type(exc).__name__, exc), ""


def raise_error(code, message, node="", graph=None):
    """Raises the `tf.errors` class of `code`, naming the client graph's op `node`."""
    cls = errors.exception_type_from_error_code(code)
    op = None
    if node and graph is not None:
        op = graph._ops_by_name.get(node)
    raise cls(getattr(op, "node_def", None) if op is not None else None, op, message)

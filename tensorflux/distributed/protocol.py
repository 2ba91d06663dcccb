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
from tensorflux.graph import protowire as pw
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


class NodeTiming(Message):
    """One op's run in a traced partition (FULL_TRACE): where, what, and when (ns)."""

    FIELDS = (Field("device", 1, "string"), Field("name", 2, "string"),
              Field("label", 3, "string"), Field("start_ns", 4, "int64"),
              Field("end_ns", 5, "int64"))


class RunGraphRequest(Message):
    """One partition of one step: the ops to run (in order), what they are fed, what comes
    back, and the wire format of float32 values on the way back."""

    FIELDS = (Field("graph_handle", 1, "string"), Field("op", 2, "string", repeated=True),
              Field("send", 3, NamedTensorProto, repeated=True),
              Field("recv_key", 4, "string", repeated=True),
              Field("wire_dtype", 5, "string"), Field("timeout_in_ms", 6, "int64"),
              Field("trace", 7, "bool"))


class RunGraphResponse(Message):
    FIELDS = (Field("recv", 1, NamedTensorProto, repeated=True),
              Field("error_code", 2, "int32"), Field("error_message", 3, "string"),
              Field("error_node", 4, "string"), Field("node", 5, NodeTiming, repeated=True))


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
def decode(named):
    """The numpy value of a NamedTensorProto message (the reference reader of what
    `tensor_chunks` writes; strings are read this way)."""
    proto = named.tensor
    if proto.dtype == dtypes.string.as_datatype_enum:
        return attr_values.tensor_proto_to_ndarray(proto)
    shape = tuple(d.size for d in proto.tensor_shape.dim)
    npd = np.dtype(dtypes.as_dtype(proto.dtype).as_numpy_dtype)
    arr = np.frombuffer(proto.tensor_content, npd.newbyteorder("<"))
    return arr.astype(npd).reshape(shape)


def _shape(shape):
    return TensorShapeProto(dim=[TensorShapeProto.Dim(size=int(d)) for d in shape])


# --- tensors without copies ----------------------------------------------------------------------
# A step moves every weight and gradient (13 MB each way for the deck's CNN), so the repeated
# NamedTensorProto fields of RunGraph are written and read here directly: a numeric array's
# memory goes into the message in one copy (the final join) and comes out in one copy, where
# nesting messages would copy it at each level.
def tensor_chunks(number, items, wire=""):
    """The bytes of repeated NamedTensorProto field `number` holding `items` ((name, value)
    pairs), as a list of chunks to join."""
    chunks = []
    for name, value in items:
        arr = np.asarray(value)
        fmt = wire if wire and arr.dtype == np.float32 else ""
        if arr.dtype.kind in "SUO":  # strings: TensorProto's string_val, as TF writes them
            named = NamedTensorProto(name=name, tensor=tensor_util.make_tensor_proto(
                arr, dtype=dtypes.string))
            chunks.append(pw.encode_bytes_field(number, named.SerializeToString()))
            continue
        if fmt == "bfloat16":
            kind, data = dtypes.bfloat16, transfer_ops.bfloat16_bits(arr)
        elif fmt == "float16":
            kind, data = dtypes.float16, transfer_ops.to_float16(arr)
        else:
            kind, data = dtypes.as_dtype(arr.dtype), arr
        data = np.ascontiguousarray(data)
        if data.dtype.byteorder == ">":
            data = data.astype(data.dtype.newbyteorder("<"))
        content = memoryview(data.reshape(-1)).cast("B") if data.size else b""
        shape = b"".join(pw.encode_bytes_field(2, pw.encode_varint_field(1, int(d)))
                         for d in arr.shape)
        head = (pw.encode_varint_field(1, kind.as_datatype_enum) + pw.encode_bytes_field(2, shape)
                + pw.field_key(4, pw.WIRE_LEN) + pw.encode_varint(len(content)))
        tail = pw.encode_bytes_field(3, fmt) if fmt else b""
        named = pw.encode_bytes_field(1, name) + pw.field_key(2, pw.WIRE_LEN) + \
            pw.encode_varint(len(head) + len(content))
        size = len(named) + len(head) + len(content) + len(tail)
        chunks += [pw.field_key(number, pw.WIRE_LEN) + pw.encode_varint(size) + named + head,
                   content, tail]
    return chunks


def split_tensors(data, number):
    """(the message's other fields as bytes, [(name, array)] of its NamedTensorProto field
    `number`); each array is read from `data` with one copy, into aligned memory of its own."""
    view = memoryview(data).cast("B")
    rest, tensors = [], []
    for field, start, stop, value in _fields(view):
        if field == number:
            tensors.append(_named_tensor(value))
        else:
            rest.append(view[start:stop])
    return b"".join(rest), tensors


def _fields(view):
    """(field number, start, stop, value) of each field of a serialized message: the field's
    byte span, and its value (an int, or a memoryview of a length-delimited body)."""
    pos, end = 0, len(view)
    while pos < end:
        start = pos
        key, pos = pw.decode_varint(view, pos)
        wire = key & 7
        if wire == pw.WIRE_VARINT:
            value, pos = pw.decode_varint(view, pos)
        elif wire == pw.WIRE_LEN:
            length, pos = pw.decode_varint(view, pos)
            if pos + length > end:
                raise errors.DataLossError(None, None, "A tensor message was truncated")
            value = view[pos:pos + length]
            pos += length
        else:
            raise errors.DataLossError(None, None, "Unexpected wire type %d in a tensor "
                                       "message" % wire)
        yield key >> 3, start, pos, value


def _named_tensor(view):
    """(name, array) of a serialized NamedTensorProto."""
    name, body, wire = "", None, ""
    for field, _, _, value in _fields(view):
        if field == 1:
            name = bytes(value).decode("utf-8")
        elif field == 2:
            body = value
        elif field == 3:
            wire = bytes(value).decode("ascii")
    dtype, shape, content = 0, [], None
    for field, _, _, value in _fields(body if body is not None else memoryview(b"")):
        if field == 1:
            dtype = value
        elif field == 2:
            for f, _, _, dim in _fields(value):
                if f == 2:
                    shape.append(next((v for n, _, _, v in _fields(dim) if n == 1), 0))
        elif field == 4:
            content = value
    if content is None:  # strings and other TensorProtos without tensor_content
        return name, decode(NamedTensorProto.FromString(bytes(view)))
    shape = tuple(shape)
    if wire == "bfloat16":
        return name, transfer_ops.from_bfloat16_bits(np.frombuffer(content, "<u2")).reshape(shape)
    if wire == "float16":
        return name, np.frombuffer(content, "<f2").astype(np.float32).reshape(shape)
    npd = np.dtype(dtypes.as_dtype(dtype).as_numpy_dtype)
    arr = np.frombuffer(content, npd.newbyteorder("<")).reshape(shape)
    # One copy into memory of its own: a view into the message sits at any byte offset, and
    # unaligned operands cost the BLAS and oneDNN kernels several times their time.
    return name, arr.astype(npd, copy=True)


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

"""GraphDef and MetaGraphDef export as protobuf bytes (for TensorBoard, Netron and `.meta` files).

Encoded by hand with `protowire`; only the fields TF tools read are written.
"""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import protowire as pw
from tensorflux.train import checkpoint_protos

GRAPH_DEF_PRODUCER = 27


def _shape_proto(shape):
    shape = tensor_shape.as_shape(shape)
    if shape.ndims is None:
        return pw.encode_varint_field(3, 1)
    out = b""
    for d in shape.as_list():
        out += pw.encode_bytes_field(2, pw.encode_varint_field(1, -1 if d is None else d))
    return out


def _tensor_proto(value, dtype):
    arr = np.asarray(value)
    out = pw.encode_varint_field(1, dtype.as_datatype_enum)
    out += pw.encode_bytes_field(2, _shape_proto(arr.shape))
    if dtype == dtypes.string:
        for s in arr.ravel():
            out += pw.encode_bytes_field(8, s if isinstance(s, bytes) else str(s).encode())
    elif arr.size:
        if dtype == dtypes.bfloat16:  # held as float32; TF's tensor_content has 2 bytes each
            arr = checkpoint_protos.float32_to_bfloat16_bits(arr)
        out += pw.encode_bytes_field(4, np.ascontiguousarray(
            arr.astype(arr.dtype.newbyteorder("<"))).tobytes())
    return out


# Op types with inputs whose TF OpDef has no "T" attr (TF's importer rejects unknown attrs).
_NO_T_ATTR = ("Const", "SaveV2", "RestoreV2")
# Op types whose "T" is not their first input's dtype: the input that has it.
_T_INPUT = {"Select": 1, "SelectV2": 1, "Fill": 1, "StridedSliceGrad": 4}
_INDEX_OPS = ("Slice", "StridedSlice", "StridedSliceGrad", "StridedSliceAssign",
              "ResourceStridedSliceAssign", "TensorStridedSliceUpdate")
# Op types with a list input and an "N" attr: how many inputs are not in the list.
_N_INPUTS = {"AddN": 0, "Pack": 0, "ConcatV2": 1, "Concat": 1}


def _attr_value(v):
    """AttrValue bytes for one attribute value (None when it has no proto form)."""
    if isinstance(v, bool):
        return pw.encode_varint_field(5, int(v))
    if isinstance(v, (int, np.integer)):
        return pw.encode_varint_field(3, int(v))
    if isinstance(v, (float, np.floating)):
        return pw.encode_float_field(4, float(v))
    if isinstance(v, str):
        return pw.encode_bytes_field(2, v.encode())
    if isinstance(v, bytes):
        return pw.encode_bytes_field(2, v)
    if isinstance(v, dtypes.DType):
        return pw.encode_varint_field(6, v.as_datatype_enum)
    if isinstance(v, tensor_shape.TensorShape):
        return pw.encode_bytes_field(7, _shape_proto(v))
    if isinstance(v, np.ndarray):
        return pw.encode_bytes_field(8, _tensor_proto(v, dtypes.dtype_of_value(v)
                                                      if v.dtype.kind != "O" else dtypes.string))
    if isinstance(v, (list, tuple)):
        body = b""
        if all(isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in v):
            for x in v:
                body += pw.encode_varint_field(3, int(x))
        elif all(isinstance(x, (float, np.floating)) for x in v):
            for x in v:
                body += pw.encode_float_field(4, float(x))
        elif all(isinstance(x, str) for x in v):
            for x in v:
                body += pw.encode_bytes_field(2, x.encode())
        elif all(isinstance(x, dtypes.DType) for x in v):
            for x in v:
                body += pw.encode_varint_field(6, x.as_datatype_enum)
        elif all(isinstance(x, tensor_shape.TensorShape) for x in v):
            for x in v:
                body += pw.encode_bytes_field(7, _shape_proto(x))
        else:
            return None
        return pw.encode_bytes_field(1, body)
    return None


def node_def_bytes(op):
    out = pw.encode_bytes_field(1, op.name.encode()) + pw.encode_bytes_field(2, op.type.encode())
    for t in op.inputs:
        out += pw.encode_bytes_field(3, t._as_node_def_input().encode())
    for c in op.control_inputs:
        out += pw.encode_bytes_field(3, ("^" + c.name).encode())
    if op.device:
        out += pw.encode_bytes_field(4, op.device.encode())
    attrs = dict(op._attrs)
    if op.type == "Const":
        attrs["value"] = None
        body = pw.encode_bytes_field(1, b"value") + pw.encode_bytes_field(
            2, pw.encode_bytes_field(8, _tensor_proto(op._attrs["value"], op._attrs["dtype"])))
        out += pw.encode_bytes_field(5, body)
        attrs.pop("value")
    if "T" not in attrs and op.inputs and op.type not in _NO_T_ATTR:
        attrs["T"] = op.inputs[_T_INPUT.get(op.type, 0)].dtype.base_dtype
    if op.type in _N_INPUTS and "N" not in attrs:  # a list input's length
        attrs["N"] = len(op.inputs) - _N_INPUTS[op.type]
    if op.type in _INDEX_OPS and "Index" not in attrs:  # the dtype of begin/end/strides
        attrs["Index"] = op.inputs[1].dtype.base_dtype
    colocation = getattr(op, "_colocation", None)  # (a partition graph's op has none)
    if colocation and "_class" not in attrs:  # TF's colocation attr: `loc:@v`
        attrs["_class"] = ["loc:@" + colocation]
    for k in sorted(attrs):
        av = _attr_value(attrs[k])
        if av is None:
            continue
        out += pw.encode_bytes_field(5, pw.encode_bytes_field(1, k.encode()) +
                                     pw.encode_bytes_field(2, av))
    return out


class NodeDef:
    """A read-only view with TF's NodeDef field names and `SerializeToString()`."""

    def __init__(self, op):
        self.name = op.name
        self.op = op.type
        self.input = [t._as_node_def_input() for t in op.inputs] + [
            "^" + c.name for c in op.control_inputs]
        self.device = op.device
        self.attr = dict(op._attrs)
        self._op = op

    def SerializeToString(self):  # noqa: N802 - protobuf's name
        return node_def_bytes(self._op)


def node_def(op):
    return NodeDef(op)


class GraphDef:
    """A serialisable snapshot of a Graph (`node` list, `versions`)."""

    def __init__(self, graph):
        self._ops = graph.get_operations()
        self.node = [NodeDef(op) for op in self._ops]

    def SerializeToString(self):  # noqa: N802 - protobuf's name
        out = b"".join(pw.encode_bytes_field(1, node_def_bytes(op)) for op in self._ops)
        out += pw.encode_bytes_field(4, pw.encode_varint_field(1, GRAPH_DEF_PRODUCER))
        return out

    def ByteSize(self):  # noqa: N802 - protobuf's name
        return len(self.SerializeToString())


def graph_to_graph_def(graph, add_shapes=False):
    """The graph as a `GraphDef` message (`tf.GraphDef`: editable, as TF's proto is).

    With `add_shapes`, each node gets TF's `_output_shapes` attribute.
    """
    from tensorflux.graph import graph_protos

    msg = graph_protos.GraphDef.FromString(GraphDef(graph).SerializeToString())
    if add_shapes:
        for node, op in zip(msg.node, graph.get_operations()):
            shapes = [graph_protos.TensorShapeProto.FromString(_shape_proto(t.shape))
                      for t in op.outputs]
            node.attr["_output_shapes"].list.shape.extend(shapes)
    return msg


def _collection_def(items):
    """CollectionDef bytes: node_list for ops/tensors/variables' names, else nothing."""
    names = []
    for it in items:
        if hasattr(it, "_variable"):
            names = None
            break
        nm = getattr(it, "name", None)
        if not isinstance(nm, str):
            return None
        names.append(nm)
    if names is None:
        body = b""
        for v in items:
            vd = (pw.encode_bytes_field(1, v.name.encode())
                  + pw.encode_bytes_field(2, v.initializer.name.encode())
                  + pw.encode_bytes_field(3, v._snapshot.name.encode())
                  + pw.encode_bytes_field(6, v.initial_value.name.encode())
                  + pw.encode_varint_field(7, int(v.trainable)))
            body += pw.encode_bytes_field(1, vd)
        return pw.encode_bytes_field(2, body)
    return pw.encode_bytes_field(1, b"".join(pw.encode_bytes_field(1, n.encode())
                                             for n in names))


def meta_graph_def_bytes(graph, saver_def=None, collection_list=None):
    """Serialized MetaGraphDef: meta_info_def, graph_def, saver_def and collections."""
    ops_used = sorted({op.type for op in graph.get_operations()})
    op_list = b"".join(pw.encode_bytes_field(1, pw.encode_bytes_field(1, t.encode()))
                       for t in ops_used)
    info = (pw.encode_bytes_field(2, op_list)
            + pw.encode_bytes_field(5, b"1.15.5")
            + pw.encode_bytes_field(6, b"tensorflux"))
    out = pw.encode_bytes_field(1, info)
    out += pw.encode_bytes_field(2, GraphDef(graph).SerializeToString())
    if saver_def is not None:
        out += pw.encode_bytes_field(3, saver_def)
    keys = collection_list if collection_list is not None else graph.get_all_collection_keys()
    for key in sorted(keys):
        cd = _collection_def(graph.get_collection(key))
        if cd is None:
            continue
        entry = pw.encode_bytes_field(1, key.encode()) + pw.encode_bytes_field(2, cd)
        out += pw.encode_bytes_field(4, entry)
    return out

"""AttrValue and TensorProto messages to the Python values tensorflux ops keep in `op._attrs`.

A GraphDef stores an op's attributes as `AttrValue` messages; tensorflux ops keep plain
Python values: a `DType` for `type`, a `TensorShape` for `shape`, a numpy array for `tensor`,
`bytes` for `s` (as TF's `op.get_attr` returns them), lists of those for `list`.

Example:
    >>> av = AttrValue(type=1)
    >>> attr_value_to_python(av)
    tf.float32
"""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.train import checkpoint_protos

# Attributes that tensorflux's wrappers keep as `str` where TF uses bytes.
_STR_ATTRS = {"mode", "container", "shared_name", "message", "dct_method"}
_STR_ATTRS_BY_OP = {("DepthToSpace", "data_format"), ("SpaceToDepth", "data_format")}

_DT_BFLOAT16 = 14

_NHWC = {"data_format": b"NHWC"}
_CONV = dict(_NHWC, use_cudnn_on_gpu=True, explicit_paddings=[], dilations=[1, 1, 1, 1])
_POOL = dict(_NHWC, explicit_paddings=[])
_REDUCE = {"keep_dims": False, "Tidx": dtypes.int32}
# Attributes with a default in TF's OpDefs, which a GraphDef may leave out (strip_default_attrs
# or a hand-built graph) but tensorflux's shape functions and kernels read.
DEFAULT_ATTRS = {
    "MatMul": {"transpose_a": False, "transpose_b": False},
    "BatchMatMul": {"adj_x": False, "adj_y": False},
    "BatchMatMulV2": {"adj_x": False, "adj_y": False},
    "Conv2D": _CONV, "Conv2DBackpropInput": _CONV, "Conv2DBackpropFilter": _CONV,
    "DepthwiseConv2dNative": dict(_CONV), "BiasAdd": _NHWC, "BiasAddGrad": _NHWC,
    "MaxPool": _POOL, "AvgPool": _POOL, "MaxPoolGrad": _POOL, "AvgPoolGrad": _POOL,
    "FusedBatchNorm": dict(_NHWC, epsilon=0.0001, is_training=True),
    "FusedBatchNormV3": dict(_NHWC, epsilon=0.0001, is_training=True,
                             exponential_avg_factor=1.0),
    "Sum": _REDUCE, "Mean": _REDUCE, "Prod": _REDUCE, "Max": _REDUCE, "Min": _REDUCE,
    "All": _REDUCE, "Any": _REDUCE,
    "ArgMax": {"output_type": dtypes.int64}, "ArgMin": {"output_type": dtypes.int64},
    "Shape": {"out_type": dtypes.int32}, "Size": {"out_type": dtypes.int32},
    "Cast": {"Truncate": False}, "Placeholder": {"shape": tensor_shape.unknown_shape()},
    "Assign": {"validate_shape": True, "use_locking": True},
    "AssignAdd": {"use_locking": False}, "AssignSub": {"use_locking": False},
    "ApplyGradientDescent": {"use_locking": False},
    "VariableV2": {"container": "", "shared_name": ""},
    "Squeeze": {"squeeze_dims": []}, "Pack": {"axis": 0}, "Unpack": {"axis": 0},
    "OneHot": {"axis": -1}, "GatherV2": {"batch_dims": 0}, "TopKV2": {"sorted": True},
    "StridedSlice": {"begin_mask": 0, "end_mask": 0, "ellipsis_mask": 0, "new_axis_mask": 0,
                     "shrink_axis_mask": 0},
    "ResizeBilinear": {"align_corners": False, "half_pixel_centers": False},
    "ResizeNearestNeighbor": {"align_corners": False, "half_pixel_centers": False},
    "LRN": {"depth_radius": 5, "bias": 1.0, "alpha": 1.0, "beta": 0.5},
    "LeakyRelu": {"alpha": 0.2}, "Fill": {"index_type": dtypes.int32},
    "ExpandDims": {"Tdim": dtypes.int32}, "Reshape": {"Tshape": dtypes.int32},
}


class UnsupportedAttrError(ValueError):
    """An attribute tensorflux cannot rebuild (a function, a placeholder)."""


def shape_proto_to_shape(proto):
    """A `TensorShapeProto` as a `TensorShape` (-1 dims are unknown).

    Example:
        >>> shape_proto_to_shape(TensorShapeProto(dim=[TensorShapeProto.Dim(size=-1)]))
        TensorShape([Dimension(None)])
    """
    if proto.unknown_rank:
        return tensor_shape.unknown_shape()
    return tensor_shape.TensorShape([None if d.size < 0 else d.size for d in proto.dim])


def tensor_proto_to_ndarray(proto):
    """The numpy value of a `TensorProto` (`tf.make_ndarray`).

    Reads `tensor_content` or the typed value fields (`float_val`, `int_val`, …; a short
    list is padded with its last value, as TF does). Strings come back as an object array of
    bytes, bfloat16 as float32 (how tensorflux holds bfloat16 values).

    Example:
        >>> tensor_proto_to_ndarray(TensorProto(dtype=3, int_val=[7])).item()
        7
    """
    data = proto if isinstance(proto, bytes) else proto.SerializeToString()
    enum, array = checkpoint_protos.decode_tensor_proto(data)
    if enum == _DT_BFLOAT16:
        array = checkpoint_protos.bfloat16_bits_to_float32(array)
    elif array.dtype.kind != "O":
        array = array.astype(dtypes.as_dtype(enum).as_numpy_dtype, copy=False)
    return array


def _list_to_python(lv, where):
    if lv.func:
        raise UnsupportedAttrError("%s holds functions (%s); tensorflux cannot rebuild graph "
                                   "functions" % (where, ", ".join(f.name for f in lv.func)))
    if lv.s:
        return list(lv.s)
    if lv.i:
        return [int(v) for v in lv.i]
    if lv.f:
        return [float(v) for v in lv.f]
    if lv.b:
        return [bool(v) for v in lv.b]
    if lv.type:
        return [dtypes.as_dtype(v) for v in lv.type]
    if lv.shape:
        return [shape_proto_to_shape(s) for s in lv.shape]
    if lv.tensor:
        return [tensor_proto_to_ndarray(t) for t in lv.tensor]
    return []


def attr_value_to_python(av, where="attr"):
    """The Python value of one `AttrValue`.

    Args:
        av: An `AttrValue` message.
        where: Names the attribute in error messages.

    Raises:
        UnsupportedAttrError: For a function or an unresolved placeholder.
    """
    kind = av.WhichOneof("value")
    if kind in ("func", "placeholder"):
        what = av.func.name if kind == "func" else av.placeholder
        raise UnsupportedAttrError("%s is a %s (%r); tensorflux cannot rebuild graph functions"
                                   % (where, kind, what))
    if kind == "list":
        return _list_to_python(av.list, where)
    if kind == "type":
        return dtypes.as_dtype(av.type)
    if kind == "shape":
        return shape_proto_to_shape(av.shape)
    if kind == "tensor":
        return tensor_proto_to_ndarray(av.tensor)
    if kind in ("s", "i", "f", "b"):
        return getattr(av, kind)
    return []  # an empty list is written as an AttrValue with nothing set


def node_attrs(node):
    """The `op._attrs` dict of a NodeDef: TF's private `_`-attributes are left out.

    Raises:
        UnsupportedAttrError: If an attribute cannot be rebuilt; the message names the node.
    """
    attrs = {k: list(v) if isinstance(v, list) else v
             for k, v in DEFAULT_ATTRS.get(node.op, {}).items()}
    for key in sorted(node.attr):
        if key.startswith("_"):
            continue
        where = "Attr '%s' of node '%s' (op %s)" % (key, node.name, node.op)
        value = attr_value_to_python(node.attr[key], where)
        if isinstance(value, bytes) and (key in _STR_ATTRS or (node.op, key) in
                                         _STR_ATTRS_BY_OP):
            value = value.decode("utf-8", "replace")
        attrs[key] = value
    if node.op == "Const" and "value" in attrs:
        value = np.asarray(attrs["value"])
        value.setflags(write=False)
        attrs["value"] = value
    return attrs


def colocation_names(node):
    """The op names in a NodeDef's `_class` attribute (`loc:@name` entries)."""
    av = node.attr.get("_class")
    if av is None:
        return []
    return [s[5:].decode() for s in av.list.s if s.startswith(b"loc:@")]

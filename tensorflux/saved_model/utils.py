"""`tf.saved_model.utils`: `TensorInfo` protos from graph tensors, and back.

A signature names its tensors by `TensorInfo`: the tensor's name (or, for a SparseTensor,
the names of its three parts), its dtype enum and its static shape.
"""

from tensorflux.graph import graph as graph_lib
from tensorflux.graph import graph_def as graph_def_lib
from tensorflux.graph import graph_protos


def _scoped(name, import_scope):
    return "%s/%s" % (import_scope, name) if import_scope else name


def _shape_proto(shape):
    return graph_protos.TensorShapeProto.FromString(graph_def_lib._shape_proto(shape))


def build_tensor_info(tensor):
    """The `TensorInfo` of a tensor or SparseTensor: name(s), dtype and shape.

    Example:
        >>> x = tf.placeholder(tf.float32, [None, 4], name="x")
        >>> info = tf.saved_model.utils.build_tensor_info(x)
        >>> info.name, info.dtype
        ('x:0', 1)
    """
    from tensorflux.ops.sparse_tensor import SparseTensor

    info = graph_protos.TensorInfo(dtype=tensor.dtype.as_datatype_enum)
    if isinstance(tensor, SparseTensor):
        info.coo_sparse.values_tensor_name = tensor.values.name
        info.coo_sparse.indices_tensor_name = tensor.indices.name
        info.coo_sparse.dense_shape_tensor_name = tensor.dense_shape.name
        info.coo_sparse = info.coo_sparse  # marks the oneof as set
    else:
        info.name = tensor.name
    info.tensor_shape = _shape_proto(tensor.get_shape())
    return info


def build_tensor_info_from_op(op):
    """A `TensorInfo` naming an operation (no dtype, unknown shape), as TF's init-op
    signatures do."""
    return graph_protos.TensorInfo(
        name=op.name, dtype=0,
        tensor_shape=graph_protos.TensorShapeProto(unknown_rank=True))


def get_tensor_from_tensor_info(tensor_info, graph=None, import_scope=None):
    """The tensor (or SparseTensor) a `TensorInfo` names, looked up in `graph`.

    Args:
        tensor_info: A `TensorInfo` proto.
        graph: The graph to look in; the default graph if None.
        import_scope: The scope the graph was imported under, prepended to the names.

    Raises:
        KeyError: If a named tensor is not in the graph.
        ValueError: If `tensor_info` has no name or COO encoding.

    Example:
        >>> sig = meta.signature_def["serving_default"]
        >>> x = tf.saved_model.utils.get_tensor_from_tensor_info(sig.inputs["x"])
    """
    from tensorflux.ops.sparse_tensor import SparseTensor

    graph = graph or graph_lib.get_default_graph()

    def by_name(name):
        return graph.get_tensor_by_name(_scoped(name, import_scope))

    encoding = tensor_info.WhichOneof("encoding")
    if encoding == "name":
        return by_name(tensor_info.name)
    if encoding == "coo_sparse":
        coo = tensor_info.coo_sparse
        return SparseTensor(by_name(coo.indices_tensor_name), by_name(coo.values_tensor_name),
                            by_name(coo.dense_shape_tensor_name))
    raise ValueError("Invalid TensorInfo.encoding: %s" % encoding)


def get_element_from_tensor_info(tensor_info, graph=None, import_scope=None):
    """The tensor or operation a `TensorInfo`'s name refers to."""
    graph = graph or graph_lib.get_default_graph()
    return graph.as_graph_element(_scoped(tensor_info.name, import_scope))

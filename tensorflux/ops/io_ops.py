"""File ops: `tf.read_file` (`tf.io.read_file`), `tf.write_file` (`tf.io.write_file`),
`tf.matching_files` and the checkpoint ops `SaveV2`/`RestoreV2` that a Saver's graph nodes use,
run by the Session like any op (kernels in `backends/numpy/io_ops.py`)."""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

ND = registry.NOT_DIFFERENTIABLE


def _scalar_input(op, i, what):
    shape = op.inputs[i].shape
    if shape.ndims not in (None, 0):
        raise ShapeError("Shape must be rank 0 but is rank %d" % shape.ndims)


def _read_shape(op):
    _scalar_input(op, 0, "filename")
    return [(dtypes.string, tensor_shape.TensorShape([]))]


def _write_shape(op):
    _scalar_input(op, 0, "filename")
    _scalar_input(op, 1, "contents")
    return []


registry.register("ReadFile", shape=_read_shape, grad=ND, stateful=True)
registry.register("WriteFile", shape=_write_shape, grad=ND, stateful=True)
registry.register("MatchingFiles", shape=lambda op: [
    (dtypes.string, tensor_shape.TensorShape([None]))], grad=ND, stateful=True)


def _vector_input(op, i, what):
    shape = op.inputs[i].shape
    if shape.ndims not in (None, 1):
        raise ShapeError("Shape must be rank 1 but is rank %d (%s)" % (shape.ndims, what))


def _checkpoint_args_shape(op, count):
    """Checks prefix (scalar), tensor_names and shape_and_slices (vectors of `count`)."""
    _scalar_input(op, 0, "prefix")
    for i, what in ((1, "tensor_names"), (2, "shape_and_slices")):
        _vector_input(op, i, what)
        dim = op.inputs[i].shape.as_list()[0] if op.inputs[i].shape.ndims == 1 else None
        if dim is not None and dim != count:
            raise ShapeError("Dimension 0 in both shapes must be equal, but are %d and %d (%s "
                             "and dtypes)" % (dim, count, what))


def _save_v2_shape(op):
    count = len(op._attrs["dtypes"])
    if len(op.inputs) - 3 != count:
        raise ShapeError("Expected %d tensors to save (one per dtype), got %d"
                         % (count, len(op.inputs) - 3))
    _checkpoint_args_shape(op, count)
    return []


def _restore_v2_shape(op):
    dts = op._attrs["dtypes"]
    _checkpoint_args_shape(op, len(dts))
    return [(dt, tensor_shape.unknown_shape()) for dt in dts]


registry.register("SaveV2", shape=_save_v2_shape, grad=ND, stateful=True)
registry.register("RestoreV2", shape=_restore_v2_shape, grad=ND, stateful=True)


def read_file(filename, name=None):
    """The contents of file `filename` as a scalar string tensor.

    Example:
        >>> image = tf.image.decode_png(tf.read_file("cat.png"))
    """
    g = graph_lib._graph_from_values([filename])
    with g.as_default(), g.name_scope(name or "ReadFile") as scope:
        filename = convert(filename, dtype=dtypes.string, name="filename")
        return registry.make_tensor("ReadFile", [filename], {}, name=scope)


def write_file(filename, contents, name=None):
    """An op that writes `contents` (a scalar string) to `filename`, creating directories."""
    g = graph_lib._graph_from_values([filename, contents])
    with g.as_default(), g.name_scope(name or "WriteFile") as scope:
        filename = convert(filename, dtype=dtypes.string, name="filename")
        contents = convert(contents, dtype=dtypes.string, name="contents")
        return registry.make_op("WriteFile", [filename, contents], {}, name=scope)


def matching_files(pattern, name=None):
    """The sorted file names matching a glob pattern (or a 1-D tensor of patterns)."""
    g = graph_lib._graph_from_values([pattern])
    with g.as_default(), g.name_scope(name or "MatchingFiles") as scope:
        pattern = convert(pattern, dtype=dtypes.string, name="pattern")
        return registry.make_tensor("MatchingFiles", [pattern], {}, name=scope)


def save_v2(prefix, tensor_names, shape_and_slices, tensors, name=None):
    """An op that writes `tensors` to the V2 checkpoint `prefix` (TF's `gen_io_ops.save_v2`).

    Args:
        prefix: Scalar string, the checkpoint prefix (`prefix.index`, `prefix.data-*`).
        tensor_names: 1-D strings, one checkpoint key per tensor.
        shape_and_slices: 1-D strings, one per tensor; "" saves the full tensor.
        tensors: The tensors to save.
        name: Op name.

    Example:
        >>> save = save_v2("/tmp/ckpt", ["w"], [""], [w])  # doctest: +SKIP
    """
    tensors = list(tensors)
    g = graph_lib._graph_from_values([prefix] + tensors)
    with g.as_default(), g.name_scope(name or "SaveV2") as scope:
        args = _checkpoint_args(prefix, tensor_names, shape_and_slices)
        tensors = [convert(t) for t in tensors]
        dts = [t.dtype.base_dtype for t in tensors]
        return registry.make_op("SaveV2", args + tensors, {"dtypes": dts}, name=scope)


def restore_v2(prefix, tensor_names, shape_and_slices, dtypes, name=None):
    """The tensors `tensor_names` read from the checkpoint `prefix`, one per dtype.

    Example:
        >>> w, = restore_v2("/tmp/ckpt", ["w"], [""], [tf.float32])  # doctest: +SKIP
    """
    g = graph_lib._graph_from_values([prefix])
    with g.as_default(), g.name_scope(name or "RestoreV2") as scope:
        args = _checkpoint_args(prefix, tensor_names, shape_and_slices)
        dts = [_as_dtype(dt) for dt in dtypes]
        return list(registry.make_op("RestoreV2", args, {"dtypes": dts}, name=scope).outputs)


def _as_dtype(dt):
    return dtypes.as_dtype(dt).base_dtype


def _checkpoint_args(prefix, tensor_names, shape_and_slices):
    return [convert(prefix, dtype=dtypes.string, name="prefix"),
            convert(tensor_names, dtype=dtypes.string, name="tensor_names"),
            convert(shape_and_slices, dtype=dtypes.string, name="shape_and_slices")]

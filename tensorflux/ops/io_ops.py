"""File ops: `tf.read_file` (`tf.io.read_file`), `tf.write_file` (`tf.io.write_file`) and
`tf.matching_files`, run by the Session like any op (kernels in `backends/numpy/io_ops.py`)."""

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

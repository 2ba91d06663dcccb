"""Sparse ops: `tf.sparse_placeholder`, `tf.sparse.to_dense`, `tf.sparse.add`,
`tf.sparse.matmul` (`sparse_tensor_dense_matmul`), `tf.sparse.reduce_sum`, `tf.sparse.reorder`.

A SparseTensor (`sparse_tensor.py`) is three dense tensors; each op here takes them as separate
inputs, as TF's kernels do (`SparseToDense(indices, shape, values, default)`). Gradients flow
into the `values` (and the dense operands), never into indices or shapes.
"""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import (
    array_ops,
    constant_op,
    fill_ops,
    gather_ops,
    manip_ops,
    math_ops,
    reduction_ops,
    registry,
)
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError
from tensorflux.ops.sparse_tensor import (
    SparseTensor,
    SparseTensorValue,
    convert_to_tensor_or_sparse_tensor,
    is_sparse,
)

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape


def _as_sparse(x, what="sp_input"):
    if isinstance(x, SparseTensorValue):
        return SparseTensor.from_value(x)
    if not isinstance(x, SparseTensor):
        raise TypeError("Input must be a SparseTensor.")
    return x


# --- sparse_placeholder ----------------------------------------------------------------------
def sparse_placeholder(dtype, shape=None, name=None):
    """A SparseTensor of three placeholders, to be fed a `tf.SparseTensorValue`.

    Example:
        >>> sp = tf.sparse_placeholder(tf.float32, shape=[3, 4])
        >>> sess.run(tf.sparse.to_dense(sp), {sp: tf.SparseTensorValue([[0, 1]], [3.0], [3, 4])})
    """
    shape_name = (name + "/shape") if name is not None else None
    hint = None
    if shape is None:
        rank = None
        dense_shape = array_ops.placeholder(dtypes.int64, shape=[rank], name=shape_name)
    else:
        if hasattr(shape, "as_list"):
            shape = shape.as_list() if shape.ndims is not None else None
        rank = len(shape)
        if None in list(shape):
            dense_shape = array_ops.placeholder(dtypes.int64, shape=[rank], name=shape_name)
            hint = TS(list(shape))
        else:
            dense_shape = constant_op.constant(shape, dtype=dtypes.int64,
                                               name=shape_name or "Const")
    sp = SparseTensor(
        values=array_ops.placeholder(dtype, shape=[None],
                                     name=(name + "/values") if name is not None else None),
        indices=array_ops.placeholder(dtypes.int64, shape=[None, rank],
                                      name=(name + "/indices") if name is not None else None),
        dense_shape=dense_shape)
    sp._shape_hint = hint
    return sp


# --- SparseToDense ---------------------------------------------------------------------------
def _sparse_to_dense_shape(op):
    indices, output_shape, values, default = op.inputs
    if indices.shape.ndims is not None and indices.shape.ndims > 2:
        raise ShapeError("Shape must be at most rank 2 but is rank %d" % indices.shape.ndims)
    if default.shape.ndims not in (None, 0):
        raise ShapeError("Shape must be rank 0 but is rank %d" % default.shape.ndims)
    return [(values.dtype.base_dtype, constant_op.constant_value_as_shape(output_shape))]


def _sparse_to_dense_grad(op, grad):
    indices = op.inputs[0]
    values_grad = gather_ops.gather_nd(grad, indices)
    default_grad = reduction_ops.reduce_sum(grad) - reduction_ops.reduce_sum(values_grad)
    return [None, None, values_grad, default_grad]


registry.register("SparseToDense", shape=_sparse_to_dense_shape, grad=_sparse_to_dense_grad)


def sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value=0,
                    validate_indices=True, name=None):
    """A dense tensor with `sparse_values` at `sparse_indices` and `default_value` elsewhere.

    (Deprecated in TF 1.x in favour of `tf.sparse.to_dense`; kept for old code.)
    """
    g = graph_lib._graph_from_values([sparse_indices, output_shape, sparse_values])
    with g.as_default(), g.name_scope(name or "SparseToDense") as scope:
        sparse_indices = convert(sparse_indices, name="sparse_indices")
        output_shape = convert(output_shape, dtype=sparse_indices.dtype, name="output_shape")
        sparse_values = convert(sparse_values, name="sparse_values")
        default_value = convert(default_value, dtype=sparse_values.dtype, name="default_value")
        return registry.make_tensor(
            "SparseToDense", [sparse_indices, output_shape, sparse_values, default_value],
            {"validate_indices": bool(validate_indices), "T": sparse_values.dtype.base_dtype,
             "Tindices": sparse_indices.dtype.base_dtype}, name=scope)


def sparse_tensor_to_dense(sp_input, default_value=0, validate_indices=True, name=None):
    """The dense tensor a SparseTensor stands for (`default_value` where nothing is set).

    Example:
        >>> tf.sparse.to_dense(tf.SparseTensor([[0, 1]], [5.0], [2, 2]))  # [[0, 5], [0, 0]]
    """
    sp = _as_sparse(sp_input)
    out = sparse_to_dense(sp.indices, sp.dense_shape, sp.values, default_value=default_value,
                          validate_indices=validate_indices, name=name)
    if sp._shape_hint is not None:
        out.set_shape(sp._shape_hint)
    return out


# --- SparseTensorDenseAdd / SparseAdd -----------------------------------------------------------
def _sparse_dense_add_shape(op):
    return [(op.inputs[3].dtype.base_dtype, op.inputs[3].shape)]


def _sparse_dense_add_grad(op, grad):
    return [None, gather_ops.gather_nd(grad, op.inputs[0]), None, grad]


registry.register("SparseTensorDenseAdd", shape=_sparse_dense_add_shape,
                  grad=_sparse_dense_add_grad)


def _sparse_add_shape(op):
    a_idx, a_val = op.inputs[0], op.inputs[1]
    rank = a_idx.shape[1].value if a_idx.shape.ndims == 2 else None
    return [(dtypes.int64, TS([None, rank])), (a_val.dtype.base_dtype, TS([None])),
            (dtypes.int64, op.inputs[2].shape)]


def _sparse_add_grad(op, unused_indices_grad, values_grad, unused_shape_grad):
    a_indices, b_indices = op.inputs[0], op.inputs[3]
    a_grad, b_grad = registry.make_op("SparseAddGrad",
                                      [values_grad, a_indices, b_indices, op.outputs[0]],
                                      {"T": values_grad.dtype.base_dtype}).outputs
    return [None, a_grad, None, None, b_grad, None, None]


registry.register("SparseAdd", shape=_sparse_add_shape, grad=_sparse_add_grad)
registry.register("SparseAddGrad", shape=lambda op: [
    (op.inputs[0].dtype.base_dtype, TS([op.inputs[1].shape[0] if op.inputs[1].shape.ndims
                                        else None])),
    (op.inputs[0].dtype.base_dtype, TS([op.inputs[2].shape[0] if op.inputs[2].shape.ndims
                                        else None]))], grad=ND)


def sparse_add(a, b, thresh=0, name=None, threshold=None):
    """Adds two tensors, at least one of them sparse.

    Sparse + dense (either order) gives a dense Tensor; sparse + sparse gives a SparseTensor in
    which sums whose magnitude is below `thresh` are dropped.
    """
    if threshold is not None:
        thresh = threshold
    if not any(is_sparse(x) for x in (a, b)):
        raise TypeError("At least one input should be SparseTensor; do you mean to use tf.add()?")
    if all(is_sparse(x) for x in (a, b)):
        a, b = _as_sparse(a), _as_sparse(b)
        g = graph_lib._graph_from_values([a.values, b.values])
        with g.as_default(), g.name_scope(name or "SparseAdd") as scope:
            thresh = convert(thresh, dtype=a.values.dtype.real_dtype, name="threshold")
            idx, val, shape = registry.make_op(
                "SparseAdd", [a.indices, a.values, a.dense_shape, b.indices, b.values,
                              b.dense_shape, thresh],
                {"T": a.dtype.base_dtype, "Treal": thresh.dtype.base_dtype}, name=scope).outputs
        out = SparseTensor(idx, val, a.dense_shape)
        out._shape_hint = a._shape_hint
        return out
    if is_sparse(b):
        a, b = b, a
    a = _as_sparse(a)
    g = graph_lib._graph_from_values([a.values, b])
    with g.as_default(), g.name_scope(name or "SparseTensorDenseAdd") as scope:
        b = convert(b, dtype=a.dtype.base_dtype, name="b")
        return registry.make_tensor(
            "SparseTensorDenseAdd", [a.indices, a.values, a.dense_shape, b],
            {"T": a.dtype.base_dtype, "Tindices": a.indices.dtype.base_dtype}, name=scope)


# --- SparseTensorDenseMatMul ------------------------------------------------------------------
def _sp_matmul_shape(op):
    a_shape, b = op.inputs[2], op.inputs[3]
    adj_a, adj_b = op._attrs["adjoint_a"], op._attrs["adjoint_b"]
    b_shape = b.shape.with_rank(2) if b.shape.ndims is not None else TS([None, None])
    a_static = constant_op.constant_value_as_shape(a_shape)
    if a_static.ndims is None:
        a_static = TS([None, None])
    elif a_static.ndims != 2:
        raise ShapeError("Shape must be rank 2 but is rank %d" % a_static.ndims)
    rows, inner = (a_static[1], a_static[0]) if adj_a else (a_static[0], a_static[1])
    b_inner, cols = (b_shape[1], b_shape[0]) if adj_b else (b_shape[0], b_shape[1])
    if not inner.is_compatible_with(b_inner):
        raise ShapeError("Cannot multiply A and B because inner dimension does not match: %s vs. "
                         "%s.  Did you forget a transpose?  Dimensions of A: %s.  Dimensions "
                         "of B: %s" % (inner, b_inner, a_static, b_shape))
    return [(b.dtype.base_dtype, TS([rows, cols]))]


def _sp_matmul_grad(op, grad):
    a_indices, a_values, a_shape, b = op.inputs
    adj_a, adj_b = op._attrs["adjoint_a"], op._attrs["adjoint_b"]
    b_grad = _sp_matmul(a_indices, a_values, a_shape, grad, adjoint_a=not adj_a)
    if adj_b:
        b_grad = array_ops.transpose(b_grad)
    rows = array_ops.reshape(slice_column(a_indices, 0), [-1])
    cols = array_ops.reshape(slice_column(a_indices, 1), [-1])
    if adj_a:
        rows, cols = cols, rows
    parts_a = array_ops.gather(grad, rows)
    parts_b = array_ops.gather(array_ops.transpose(b) if adj_b else b, cols)
    values_grad = reduction_ops.reduce_sum(parts_a * parts_b, axis=1)
    return [None, values_grad, None, b_grad]


def slice_column(m, j):
    """Column `j` of a matrix, as a [N, 1] tensor."""
    from tensorflux.ops import slicing_ops

    return slicing_ops.slice(m, [0, j], [-1, 1])


registry.register("SparseTensorDenseMatMul", shape=_sp_matmul_shape, grad=_sp_matmul_grad)


def _sp_matmul(indices, values, shape, b, adjoint_a=False, adjoint_b=False):
    return registry.make_tensor(
        "SparseTensorDenseMatMul", [indices, values, shape, b],
        {"T": values.dtype.base_dtype, "Tindices": indices.dtype.base_dtype,
         "adjoint_a": bool(adjoint_a), "adjoint_b": bool(adjoint_b)},
        name="SparseTensorDenseMatMul")


def sparse_tensor_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """Multiplies a 2-D SparseTensor by a dense matrix: `op(sp_a) @ op(b)` (a dense Tensor).

    Example:
        >>> tf.sparse.matmul(tf.SparseTensor([[0, 1]], [2.0], [2, 3]), tf.ones([3, 4]))
    """
    sp_a = _as_sparse(sp_a)
    g = graph_lib._graph_from_values([sp_a.values, b])
    with g.as_default(), g.name_scope(name or "SparseTensorDenseMatMul"):
        b = convert(b, name="b")
        return _sp_matmul(sp_a.indices, sp_a.values, sp_a.dense_shape, b, adjoint_a, adjoint_b)


# --- SparseReduceSum ----------------------------------------------------------------------------
def _sparse_reduce_shape(op):
    _, values, shape_t, axes_t = op.inputs
    keep = op._attrs["keep_dims"]
    shape = constant_op.constant_value_as_shape(shape_t)
    axes = constant_op.constant_value(axes_t)
    if shape.ndims is None or axes is None:
        return [(values.dtype.base_dtype, tensor_shape.unknown_shape())]
    rank = shape.ndims
    red = set()
    for a in np.asarray(axes).ravel():
        a = int(a)
        if not -rank <= a < rank:
            raise ShapeError("Invalid reduction dimension %d for input with %d dimensions"
                             % (a, rank))
        red.add(a % rank)
    dims = []
    for i, d in enumerate(shape.as_list()):
        if i in red:
            if keep:
                dims.append(1)
        else:
            dims.append(d)
    return [(values.dtype.base_dtype, TS(dims))]


def _sparse_reduce_grad(op, grad):
    indices, _, shape, axes = op.inputs
    rank = array_ops.size(shape)
    axes = math_ops.floormod(math_ops.cast(axes, dtypes.int32), rank)
    hit = reduction_ops.reduce_sum(fill_ops.one_hot(array_ops.reshape(axes, [-1]), rank,
                                                    dtype=dtypes.int32), 0)
    kept = manip_ops.where(math_ops.greater(hit, 0), array_ops.ones_like(shape), shape)
    grad = array_ops.reshape(grad, kept)
    scale = math_ops.floordiv(shape, kept)
    return [None, gather_ops.gather_nd(grad, math_ops.floordiv(indices, scale)), None, None]


registry.register("SparseReduceSum", shape=_sparse_reduce_shape, grad=_sparse_reduce_grad)


def sparse_reduce_sum(sp_input, axis=None, keepdims=None, reduction_axes=None, keep_dims=None,
                      name=None):
    """Sums a SparseTensor's values over `axis` (all axes by default); a dense Tensor.

    Example:
        >>> st = tf.SparseTensor([[0, 0], [1, 2]], [1.0, 2.0], [3, 4])
        >>> tf.sparse_reduce_sum(st, axis=1)  # [1, 2, 0]
    """
    if reduction_axes is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'reduction_axes' and 'axis'")
        axis = reduction_axes
    if keep_dims is not None:
        if keepdims is not None:
            raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'")
        keepdims = keep_dims
    sp = _as_sparse(sp_input)
    g = graph_lib._graph_from_values([sp.values])
    with g.as_default():
        if axis is None:
            static = sp.get_shape()
            if static.ndims is not None:
                axes = constant_op.constant(np.arange(static.ndims, dtype=np.int32))
            else:
                axes = array_ops.range(0, array_ops.size(sp.dense_shape))
        else:
            axes = convert(axis, dtype=dtypes.int32)
        return registry.make_tensor(
            "SparseReduceSum", [sp.indices, sp.values, sp.dense_shape, axes],
            {"keep_dims": bool(keepdims), "T": sp.dtype.base_dtype},
            name=name or "SparseReduceSum")


# --- SparseReorder ----------------------------------------------------------------------------
def _sparse_reorder_grad(op, unused_indices_grad, values_grad):
    # The kernel's permutation is recomputed from the input indices by the grad op.
    return [None, registry.make_tensor("SparseReorderGrad", [op.inputs[0], values_grad]), None]


registry.register("SparseReorder", shape=lambda op: [
    (dtypes.int64, op.inputs[0].shape), (op.inputs[1].dtype.base_dtype, op.inputs[1].shape)],
    grad=_sparse_reorder_grad)
registry.register("SparseReorderGrad", shape=lambda op: [
    (op.inputs[1].dtype.base_dtype, op.inputs[1].shape)], grad=ND)


def sparse_reorder(sp_input, name=None):
    """The same SparseTensor with its indices in row-major (lexicographic) order."""
    sp = _as_sparse(sp_input)
    g = graph_lib._graph_from_values([sp.values])
    with g.as_default():
        idx, val = registry.make_op("SparseReorder", [sp.indices, sp.values, sp.dense_shape],
                                    {"T": sp.dtype.base_dtype},
                                    name=name or "SparseReorder").outputs
        # As TF: a statically known dense shape becomes a new constant.
        static = sp.get_shape()
        dense_shape = static.as_list() if static.is_fully_defined() else sp.dense_shape
        out = SparseTensor(idx, val, dense_shape)
    out._shape_hint = sp._shape_hint
    return out


__all__ = ["SparseTensor", "SparseTensorValue", "convert_to_tensor_or_sparse_tensor",
           "sparse_add", "sparse_placeholder", "sparse_reduce_sum", "sparse_reorder",
           "sparse_tensor_dense_matmul", "sparse_tensor_to_dense", "sparse_to_dense"]

"""numpy kernels for the sparse ops (COO: int64 indices [N, rank], values [N], shape [rank])."""

import numpy as np

from tensorflux.ops import registry


def _fmt(row):
    return ",".join(str(int(i)) for i in row)


def _order(indices):
    """The permutation that sorts the rows of `indices` lexicographically (row-major order)."""
    if indices.shape[0] == 0 or indices.shape[1] == 0:
        return np.arange(indices.shape[0])
    return np.lexsort(indices.T[::-1])


def _check_indices(indices, shape, validate_order):
    if indices.shape[0] == 0:
        return
    bad = (indices < 0) | (indices >= shape)
    if bad.any():
        n = int(np.argmax(bad.any(axis=1)))
        raise ValueError("indices[%d] = [%s] is out of bounds: need 0 <= index < [%s]"
                         % (n, _fmt(indices[n]), _fmt(shape)))
    if not validate_order or indices.shape[0] < 2:
        return
    # Row-major linear positions compare as the index tuples do.
    strides = np.concatenate([np.cumprod(shape[::-1])[::-1][1:], [1]]).astype(np.int64)
    flat = indices @ strides
    diff = np.diff(flat)
    if (diff <= 0).any():
        n = int(np.argmax(diff <= 0)) + 1
        what = "is repeated" if diff[n - 1] == 0 else (
            "is out of order. Many sparse ops require sorted indices.\n    Use "
            "`tf.sparse.reorder` to create a correctly ordered copy.\n\n")
        raise ValueError("indices[%d] = [%s] %s" % (n, _fmt(indices[n]), what))


@registry.kernel("SparseToDense")
def _sparse_to_dense(op):
    validate = op._attrs.get("validate_indices", True)

    def run(indices, output_shape, values, default_value):
        shape = np.asarray(output_shape, np.int64).reshape(-1)
        idx = np.asarray(indices, np.int64)
        if idx.ndim < 2:
            idx = idx.reshape(-1, 1) if shape.size == 1 else idx.reshape(1, -1)
        if idx.shape[1] != shape.size:
            raise ValueError("sparse_indices should be a scalar, vector, or matrix of rank %d, "
                             "got shape %s" % (shape.size, list(np.shape(indices))))
        n = idx.shape[0]
        values = np.asarray(values)
        if values.ndim not in (0, 1) or (values.ndim == 1 and values.shape[0] != n):
            raise ValueError("sparse_values has incorrect shape %s, should be [] or [%d]"
                             % (list(values.shape), n))
        _check_indices(idx, shape, validate)
        out = np.full(tuple(int(d) for d in shape), default_value, dtype=values.dtype)
        if n:
            out[tuple(idx.T)] = values
        return out

    return run


@registry.kernel("SparseTensorDenseAdd")
def _sparse_dense_add(op):
    def run(indices, values, shape, b):
        shape = np.asarray(shape).reshape(-1)
        if tuple(int(d) for d in shape) != b.shape:
            raise ValueError("Dimensions [0,%d) of indices[shape=%s] = %s must match "
                             "dimensions [0,%d) of updates[shape=%s]" % (
                                 len(shape), list(np.shape(indices)), list(shape), b.ndim,
                                 list(b.shape)))
        _check_indices(np.asarray(indices, np.int64), shape, False)
        out = b.copy()
        if len(values):
            np.add.at(out, tuple(np.asarray(indices).T), values)
        return out

    return run


def _merge(a_idx, b_idx):
    """Sorted union of two sorted index sets: (out indices, source a row or -1, b row or -1)."""
    rows = {}
    for i, r in enumerate(map(tuple, a_idx.tolist())):
        rows.setdefault(r, [-1, -1])[0] = i
    for j, r in enumerate(map(tuple, b_idx.tolist())):
        rows.setdefault(r, [-1, -1])[1] = j
    keys = sorted(rows)
    src = np.array([rows[k] for k in keys], np.int64).reshape(-1, 2)
    return np.array(keys, np.int64).reshape(-1, a_idx.shape[1]), src[:, 0], src[:, 1]


@registry.kernel("SparseAdd")
def _sparse_add(op):
    def run(a_idx, a_val, a_shape, b_idx, b_val, b_shape, thresh):
        if not np.array_equal(a_shape, b_shape):
            raise ValueError("Operands do not have the same ranks; got shapes: [%s] and [%s]"
                             % (_fmt(a_shape), _fmt(b_shape)))
        idx, ia, ib = _merge(np.asarray(a_idx, np.int64), np.asarray(b_idx, np.int64))
        dtype = np.result_type(a_val, b_val)
        val = np.zeros(len(idx), dtype)
        val[ia >= 0] += a_val[ia[ia >= 0]]
        val[ib >= 0] += b_val[ib[ib >= 0]]
        keep = ~((ia >= 0) & (ib >= 0)) | (np.abs(val) >= thresh)
        return [idx[keep], val[keep], np.asarray(a_shape, np.int64)]

    return run


@registry.kernel("SparseAddGrad")
def _sparse_add_grad(op):
    def run(grad, a_idx, b_idx, sum_idx):
        pos = {r: k for k, r in enumerate(map(tuple, np.asarray(sum_idx).tolist()))}

        def pick(idx):
            out = np.zeros(len(idx), grad.dtype)
            for i, r in enumerate(map(tuple, np.asarray(idx).tolist())):
                k = pos.get(r)
                if k is not None:
                    out[i] = grad[k]
            return out
        return [pick(a_idx), pick(b_idx)]

    return run


@registry.kernel("SparseTensorDenseMatMul")
def _sp_matmul(op):
    adj_a, adj_b = op._attrs["adjoint_a"], op._attrs["adjoint_b"]

    def run(indices, values, shape, b):
        shape = np.asarray(shape).reshape(-1)
        if shape.size != 2:
            raise ValueError("Tensor 'a_shape' is not a vector of length 2")
        if adj_b:
            b = np.conj(b.T)
        rows_n = int(shape[1] if adj_a else shape[0])
        inner = int(shape[0] if adj_a else shape[1])
        if b.shape[0] != inner:
            raise ValueError("Cannot multiply A and B because inner dimension does not match: "
                             "%d vs. %d.  Did you forget a transpose?  Dimensions of A: [%s).  "
                             "Dimensions of B: %s" % (inner, b.shape[0], _fmt(shape),
                                                      list(b.shape)))
        idx = np.asarray(indices, np.int64)
        rows, cols = (idx[:, 1], idx[:, 0]) if adj_a else (idx[:, 0], idx[:, 1])
        vals = np.conj(values) if adj_a else values
        bad = (rows < 0) | (rows >= rows_n) | (cols < 0) | (cols >= inner)
        if bad.any():
            k = int(np.argmax(bad))
            raise ValueError("k (%d) from index[%d,%d] out of bounds (>=%d)"
                             % (cols[k], k, int(adj_a), inner) if not 0 <= cols[k] < inner else
                             "m (%d) from index[%d,%d] out of bounds (>=%d)"
                             % (rows[k], k, int(not adj_a), rows_n))
        out = np.zeros((rows_n, b.shape[1]), np.result_type(values, b))
        if len(vals):
            np.add.at(out, rows, vals[:, None] * b[cols])
        return out

    return run


@registry.kernel("SparseReduceSum")
def _sparse_reduce_sum(op):
    keep = op._attrs["keep_dims"]

    def run(indices, values, shape, axes):
        shape = tuple(int(d) for d in np.asarray(shape).reshape(-1))
        rank = len(shape)
        ax = np.asarray(axes).reshape(-1)
        for a in ax:
            if not -rank <= a < rank:
                raise ValueError("Invalid reduction dimension %d, for input with %d dimensions."
                                 % (a, rank))
        axes = tuple(sorted({int(a) % rank for a in ax}))
        dense = np.zeros(shape, values.dtype)
        if len(values):
            np.add.at(dense, tuple(np.asarray(indices, np.int64).T), values)
        return np.sum(dense, axis=axes, keepdims=keep).astype(values.dtype)

    return run


@registry.kernel("SparseReorder")
def _sparse_reorder(op):
    def run(indices, values, shape):
        idx = np.asarray(indices, np.int64)
        _check_indices(idx, np.asarray(shape, np.int64).reshape(-1), False)
        perm = _order(idx)
        return [idx[perm], values[perm]]

    return run


@registry.kernel("SparseReorderGrad")
def _sparse_reorder_grad(op):
    def run(indices, grad):
        perm = _order(np.asarray(indices, np.int64))
        out = np.empty_like(grad)
        out[perm] = grad
        return out

    return run

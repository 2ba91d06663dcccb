"""XLA kernels for the sparse ops whose output shape is known (ops/sparse_ops.py).

SparseToDense, SparseTensorDenseAdd and SparseTensorDenseMatMul scatter COO values into a dense
result whose shape is a static input. Bad indices (out of bounds, or out of order where
SparseToDense validates it) are flagged, and numpy reports TF's message. The ops whose output
size depends on the indices (SparseAdd, SparseReorder, SparseReduceSum) stay on numpy.
"""

import jax.numpy as jnp
import numpy as np

from tensorflux.backends.xla.kernel import fail_if, kernel


def _shape(v):
    return tuple(int(d) for d in np.asarray(v).reshape(-1))


def _check_indices(idx, shape, validate_order):
    if idx.shape[0] == 0:
        return
    fail_if((idx < 0) | (idx >= jnp.asarray(shape, idx.dtype)))
    if validate_order and idx.shape[0] > 1:
        strides = np.concatenate([np.cumprod(shape[::-1])[::-1][1:], [1]]).astype(np.int64)
        flat = jnp.asarray(idx, jnp.int64) @ strides
        fail_if(flat[1:] <= flat[:-1])


@kernel("SparseToDense", static=(1,), checks=True)
def _sparse_to_dense(op):
    validate = op._attrs.get("validate_indices", True)

    def run(indices, output_shape, values, default_value):
        shape = _shape(output_shape)
        idx = jnp.asarray(indices, jnp.int64)
        if idx.ndim < 2:
            idx = idx.reshape(-1, 1) if len(shape) == 1 else idx.reshape(1, -1)
        n = idx.shape[0]
        if idx.shape[1] != len(shape) or jnp.ndim(values) not in (0, 1) or (
                jnp.ndim(values) == 1 and jnp.shape(values)[0] != n):
            raise ValueError("bad sparse_to_dense shapes")
        _check_indices(idx, shape, validate)
        out = jnp.full(shape, default_value, dtype=jnp.asarray(values).dtype)
        if n:
            out = out.at[tuple(idx.T)].set(values, mode="drop")
        return out

    return run


@kernel("SparseTensorDenseAdd", checks=True)
def _sparse_dense_add(op):
    def run(indices, values, shape, b):
        if jnp.ndim(shape) != 1 or jnp.shape(shape)[0] != b.ndim:
            raise ValueError("the sparse shape must have the dense operand's rank")
        if isinstance(shape, np.ndarray):
            if _shape(shape) != tuple(b.shape):
                raise ValueError("the sparse shape differs from the dense operand's")
        else:
            fail_if(jnp.asarray(shape, jnp.int64) != jnp.asarray(b.shape, jnp.int64))
        idx = jnp.asarray(indices, jnp.int64)
        _check_indices(idx, b.shape, False)
        if idx.shape[0] == 0:
            return b
        return jnp.asarray(b).at[tuple(idx.T)].add(values, mode="drop")

    return run


@kernel("SparseTensorDenseMatMul", static=(2,), checks=True)
def _sp_matmul(op):
    adj_a, adj_b = op._attrs["adjoint_a"], op._attrs["adjoint_b"]

    def run(indices, values, shape, b):
        shape = _shape(shape)
        if len(shape) != 2:
            raise ValueError("Tensor 'a_shape' is not a vector of length 2")
        if adj_b:
            b = jnp.conj(jnp.swapaxes(b, 0, 1))
        rows_n = shape[1] if adj_a else shape[0]
        inner = shape[0] if adj_a else shape[1]
        if b.shape[0] != inner:
            raise ValueError("inner dimensions differ")
        idx = jnp.asarray(indices, jnp.int64)
        rows, cols = (idx[:, 1], idx[:, 0]) if adj_a else (idx[:, 0], idx[:, 1])
        vals = jnp.conj(values) if adj_a else jnp.asarray(values)
        fail_if((rows < 0) | (rows >= rows_n) | (cols < 0) | (cols >= inner))
        dtype = jnp.result_type(vals.dtype, b.dtype)
        out = jnp.zeros((rows_n, b.shape[1]), dtype)
        if idx.shape[0] == 0:
            return out
        contrib = vals[:, None].astype(dtype) * jnp.take(b, cols, axis=0, mode="clip")
        return out.at[rows].add(contrib, mode="drop")

    return run

"""Matrix products and factorizations: `matmul` (transposes, batched), `tensordot`, `qr` and
`svd`, with their gradients."""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, diag_ops, manip_ops, math_ops, registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError


def _matmul_shape(op):
    a, b = op.inputs
    ta, tb = op._attrs["transpose_a"], op._attrs["transpose_b"]
    sa, sb = a.shape, b.shape
    if sa.ndims is None or sb.ndims is None:
        return [(a.dtype.base_dtype, tensor_shape.unknown_shape())]
    if op.type == "MatMul" and (sa.ndims != 2 or sb.ndims != 2):
        bad = sa if sa.ndims != 2 else sb
        raise ShapeError("Shape must be rank 2 but is rank %d" % bad.ndims)
    if sa.ndims < 2 or sb.ndims < 2:
        raise ShapeError("Shape must be rank >= 2 but is rank %d" % min(sa.ndims, sb.ndims))
    da, db = sa.as_list(), sb.as_list()
    m, ka = (da[-1], da[-2]) if ta else (da[-2], da[-1])
    kb, n = (db[-1], db[-2]) if tb else (db[-2], db[-1])
    if ka is not None and kb is not None and ka != kb:
        raise ShapeError("Dimensions must be equal, but are %d and %d" % (ka, kb))
    batch = []
    if op.type != "MatMul":
        from tensorflux.ops._helpers import broadcast_shapes

        batch = broadcast_shapes(tensor_shape.TensorShape(da[:-2]),
                                 tensor_shape.TensorShape(db[:-2])).as_list()
    return [(a.dtype.base_dtype, tensor_shape.TensorShape(batch + [m, n]))]


def _matmul_grad(op, g):
    a, b = math_ops.conj(op.inputs[0]), math_ops.conj(op.inputs[1])  # as TF, for complex
    ta, tb = op._attrs["transpose_a"], op._attrs["transpose_b"]
    if not ta and not tb:
        ga, gb = matmul(g, b, transpose_b=True), matmul(a, g, transpose_a=True)
    elif not ta and tb:
        ga, gb = matmul(g, b), matmul(g, a, transpose_a=True)
    elif ta and not tb:
        ga, gb = matmul(b, g, transpose_b=True), matmul(a, g)
    else:
        ga, gb = matmul(b, g, transpose_a=True, transpose_b=True), \
            matmul(g, a, transpose_a=True, transpose_b=True)
    if op.type == "BatchMatMulV2":
        ga = _unbroadcast_batch(ga, a)
        gb = _unbroadcast_batch(gb, b)
    return [ga, gb]


def _unbroadcast_batch(g, x):
    if g.shape.is_fully_defined() and x.shape.is_fully_defined() and g.shape == x.shape:
        return g
    return math_ops._sum_to(g, x)


registry.register("MatMul", shape=_matmul_shape, grad=_matmul_grad)
registry.register("BatchMatMulV2", shape=_matmul_shape, grad=_matmul_grad)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, name=None, output_type=None):
    """Matrix product of `a` and `b` (rank 2, or batched with broadcasting over leading dims).

    Example:
        >>> c = tf.matmul(a, b)  # [[58 64] [139 154]] for the deck's a, b
    """
    with graph_lib.name_scope(name, "MatMul", [a, b]) as scope:
        a = convert(a, name="a")
        b = convert(b, dtype=a.dtype.base_dtype, name="b")
        if a.dtype.base_dtype != b.dtype.base_dtype:
            raise TypeError("Input 'b' of 'MatMul' Op has type %s that does not match type %s of "
                            "argument 'a'." % (b.dtype.name, a.dtype.name))
        ta = transpose_a or adjoint_a
        tb = transpose_b or adjoint_b
        ra, rb = a.shape.ndims, b.shape.ndims
        op_type = "MatMul" if (ra == 2 and rb == 2) else "BatchMatMulV2"
        if op_type == "MatMul":
            attrs = {"transpose_a": ta, "transpose_b": tb}
        else:
            attrs = {"transpose_a": ta, "transpose_b": tb, "adj_x": ta, "adj_y": tb}
        return registry.make_tensor(op_type, [a, b], attrs, name=scope)


def _tensordot_axes(axes, ra):
    if isinstance(axes, int):
        if axes < 0:
            raise ValueError("'axes' must be at least 0.")
        return list(range(ra - axes, ra)), list(range(axes))
    if not isinstance(axes, (list, tuple)) or len(axes) != 2:
        raise ValueError("'axes' must be an integer or have length 2.")
    a_axes, b_axes = axes
    a_axes = [a_axes] if isinstance(a_axes, int) else list(a_axes)
    b_axes = [b_axes] if isinstance(b_axes, int) else list(b_axes)
    if len(a_axes) != len(b_axes):
        raise ValueError("Different number of contraction axes 'a' and 'b', %s != %s."
                         % (len(a_axes), len(b_axes)))
    return a_axes, b_axes


def _tensordot_reshape(t, axes, flipped=False):
    """`t` as a matrix: free dims x contracted dims (or the reverse when `flipped`)."""
    shape = t.shape.as_list()
    axes = [i if i >= 0 else i + len(shape) for i in axes]
    free = [i for i in range(len(shape)) if i not in axes]
    free_dims = [shape[i] for i in free]
    prod_free = int(np.prod(free_dims))
    prod_axes = int(np.prod([shape[i] for i in axes]))
    perm = axes + free if flipped else free + axes
    new_shape = [prod_axes, prod_free] if flipped else [prod_free, prod_axes]
    if perm != list(range(len(shape))):
        t = array_ops.transpose(t, perm)
    if t.shape.as_list() != new_shape:
        t = array_ops.reshape(t, new_shape)
    return t, free_dims


def tensordot(a, b, axes, name=None):
    """Contracts `a` and `b` over the given axes (an int N, or a pair of axis lists).

    Built as TF builds it: transpose and reshape each side to a matrix (skipping no-op steps),
    one MatMul, and a final reshape unless the product already has the result's shape.

    Example:
        >>> tf.tensordot(a, b, [[1], [0]])  # tf.matmul(a, b) for matrices
    """
    with graph_lib.name_scope(name, "Tensordot", [a, b, axes]) as scope:
        a = convert(a, name="a")
        b = convert(b, name="b")
        if not a.shape.is_fully_defined() or not b.shape.is_fully_defined():
            raise ValueError("tensordot needs fully defined static shapes in tensorflux")
        a_axes, b_axes = _tensordot_axes(axes, a.shape.ndims)
        a_mat, a_free = _tensordot_reshape(a, a_axes)
        b_mat, b_free = _tensordot_reshape(b, b_axes, flipped=True)
        product = matmul(a_mat, b_mat)
        if product.shape.as_list() == a_free + b_free:
            return product
        return array_ops.reshape(product, a_free + b_free, name=scope)


def _qr_shape(op):
    a = op.inputs[0]
    if a.shape.ndims is None:
        u = tensor_shape.unknown_shape()
        return [(a.dtype.base_dtype, u), (a.dtype.base_dtype, u)]
    *batch, m, n = a.shape.as_list()
    k = None if m is None or n is None else min(m, n)
    full = op._attrs["full_matrices"]
    return [(a.dtype.base_dtype, tensor_shape.TensorShape(batch + [m, m if full else k])),
            (a.dtype.base_dtype, tensor_shape.TensorShape(batch + [m if full else k, n]))]


registry.register("Qr", shape=_qr_shape, grad=None)


def qr(input, full_matrices=False, name=None):  # noqa: A002 - TF's keyword
    """QR decomposition; returns (q, r)."""
    op = registry.make_op("Qr", [convert(input)], {"full_matrices": bool(full_matrices)},
                          name=name or "Qr")
    return op.outputs[0], op.outputs[1]


# --- singular value decomposition --------------------------------------------------------------
_SVD_TYPES = (dtypes.float64, dtypes.float32, dtypes.float16, dtypes.complex64, dtypes.complex128)


def _svd_shape(op):
    """TF's SvdShapeFn: `s` is `[..., P]` with `P = min(M, N)`; `u` is `[..., M, M or P]` and
    `v` `[..., N, N or P]` (by `full_matrices`), both `[0]` without `compute_uv`."""
    a = op.inputs[0]
    dt = a.dtype.base_dtype
    shape = a.shape
    empty = tensor_shape.TensorShape([0])
    if shape.ndims is None:
        unknown = tensor_shape.unknown_shape()
        uv = unknown if op._attrs["compute_uv"] else empty
        return [(dt, unknown), (dt, uv), (dt, uv)]
    if shape.ndims < 2:
        raise ShapeError("Shape must be at least rank 2 but is rank %d" % shape.ndims)
    *batch, m, n = shape.as_list()
    p = None if m is None or n is None else min(m, n)
    s = tensor_shape.TensorShape(batch + [p])
    if not op._attrs["compute_uv"]:
        return [(dt, s), (dt, empty), (dt, empty)]
    full = op._attrs["full_matrices"]
    u = tensor_shape.TensorShape(batch + [m, m if full else p])
    v = tensor_shape.TensorShape(batch + [n, n if full else p])
    return [(dt, s), (dt, u), (dt, v)]


def _safe_reciprocal(x):
    eps = math_ops.cast(1e-20, x.dtype.base_dtype)
    return x * math_ops.reciprocal(x * x + eps)


def _svd_grad(op, grad_s, grad_u, grad_v):
    """TF's `_SvdGrad` for real input (Giles' and Townsend's derivations).

    For `M > N` the rule is applied to `A^T = V S U^T` and the result transposed. It is
    undefined (NaN or huge) where singular values repeat, as in TF; with `full_matrices` and
    `|M - N| > 1` the extra singular vectors are not unique and TF raises NotImplementedError.
    """
    from tensorflux.ops import linalg_impl  # linalg_impl imports this module

    a = op.inputs[0]
    if a.dtype.is_complex:
        raise NotImplementedError("the Svd gradient of complex input is not implemented in "
                                  "tensorflux")
    grad_s_mat = diag_ops.matrix_diag(grad_s)
    if not op._attrs["compute_uv"]:
        _, u, v = svd(a, compute_uv=True)
        return [matmul(u, matmul(grad_s_mat, v, adjoint_b=True))]
    m, n = a.shape.as_list()[-2:] if a.shape.ndims is not None else (None, None)
    if m is None or n is None:
        raise NotImplementedError("SVD gradient has not been implemented for input with "
                                  "unknown inner matrix shape.")
    full_matrices = op._attrs["full_matrices"]
    s, u, v = op.outputs
    use_adjoint = m > n
    if use_adjoint:
        m, n = n, m
        u, v = v, u
        grad_u, grad_v = grad_v, grad_u
    if full_matrices and abs(m - n) > 1:
        raise NotImplementedError(
            "svd gradient is not implemented for abs(m - n) > 1 when full_matrices is True. "
            "Received: m=%d and n=%d from op input=%s with shape=%s." % (m, n, a, a.shape))
    s_mat = diag_ops.matrix_diag(s)
    s2 = math_ops.square(s)
    # f[i, j] = 1 / (s_j^2 - s_i^2) off the diagonal, 0 on it
    f = _safe_reciprocal(manip_ops.expand_dims(s2, -2) - manip_ops.expand_dims(s2, -1))
    f = diag_ops.matrix_set_diag(f, array_ops.zeros_like(s))
    s_inv_mat = diag_ops.matrix_diag(_safe_reciprocal(s))
    v1, grad_v1 = v[..., :, :m], grad_v[..., :, :m]
    f_u = f * matmul(u, grad_u, adjoint_a=True)
    f_v = f * matmul(v1, grad_v1, adjoint_a=True)
    middle = (grad_s_mat + matmul(f_u + linalg_impl.adjoint(f_u), s_mat)
              + matmul(s_mat, f_v + linalg_impl.adjoint(f_v)))
    grad_a = matmul(u, matmul(middle, v1, adjoint_b=True))
    if m != n:
        gv1t = linalg_impl.matrix_transpose(grad_v1, conjugate=True)
        rest = gv1t - matmul(matmul(gv1t, v1), v1, adjoint_b=True)
        if full_matrices:
            v2, grad_v2 = v[..., :, m:n], grad_v[..., :, m:n]
            rest = rest - matmul(matmul(v1, grad_v2, adjoint_a=True), v2, adjoint_b=True)
        grad_a = grad_a + matmul(matmul(u, s_inv_mat), rest)
    if use_adjoint:
        grad_a = linalg_impl.matrix_transpose(grad_a, conjugate=True)
    return [grad_a]


registry.register("Svd", shape=_svd_shape, grad=_svd_grad)


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """Singular value decomposition of a batch of matrices: `tensor = u @ diag(s) @ adjoint(v)`.

    Returns `(s, u, v)`, or `s` alone when `compute_uv` is False. `s` (real, descending) is
    `[..., P]` with `P = min(M, N)`; `u` and `v` hold the leading `P` singular vectors as
    columns, or all of them (`[..., M, M]`, `[..., N, N]`) with `full_matrices`. Note the order
    (`s` first) and that `v`, not its adjoint, is returned, unlike `numpy.linalg.svd`.

    Example:
        >>> s, u, v = tf.linalg.svd([[3., 0.], [0., -2.]])  # s == [3., 2.]
        >>> tf.matmul(u * s[..., None, :], v, adjoint_b=True)  # the input again
    """
    with graph_lib.name_scope(name, "Svd", [tensor]) as scope:
        a = convert(tensor, name="input")
        if a.dtype.base_dtype not in _SVD_TYPES:
            raise TypeError("Value passed to parameter 'input' has DataType %s not in list of "
                            "allowed values: float64, float32, float16, complex64, complex128"
                            % a.dtype.base_dtype.name)
        op = registry.make_op("Svd", [a], {"compute_uv": bool(compute_uv),
                                           "full_matrices": bool(full_matrices)}, name=scope)
    s = math_ops.real(op.outputs[0])
    if compute_uv:
        return s, op.outputs[1], op.outputs[2]
    return s

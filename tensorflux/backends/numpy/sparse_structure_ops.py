"""numpy kernels for ops/sparse_structure_ops.py (COO: int64 indices [N, rank], values [N])."""

import numpy as np

from tensorflux.backends.numpy.sparse_ops import _order
from tensorflux.ops.registry import kernel


def _vec(x):
    return np.asarray(x, np.int64).reshape(-1)


def _fmt(shape):
    return "[" + ",".join(str(int(d)) for d in shape) + "]"


@kernel("SparseConcat")
def _concat(op):
    n, axis = op._attrs["N"], op._attrs["concat_dim"]

    def run(*args):
        indices, values, shapes = args[:n], args[n:2 * n], [_vec(s) for s in args[2 * n:]]
        rank = shapes[0].size
        dim = axis % rank if -rank <= axis < rank else None
        if dim is None:
            raise ValueError("Concat dimension must be in range [%d, %d), got %d"
                             % (-rank, rank, axis))
        for i, s in enumerate(shapes[1:], 1):
            if s.size != rank:
                raise ValueError("Ranks of all input tensors must match: expected %d but got %d "
                                 "at position %d" % (rank, s.size, i))
            for d in range(rank):
                if d != dim and s[d] != shapes[0][d]:
                    raise ValueError("Input shapes must match: expected %d for dimension %d but "
                                     "got %d at position %d" % (shapes[0][d], d, s[d], i))
        offset, parts = 0, []
        for idx, s in zip(indices, shapes):
            idx = np.array(idx, np.int64).reshape(-1, rank)
            idx[:, dim] += offset
            offset += s[dim]
            parts.append(idx)
        idx = np.concatenate(parts)
        vals = np.concatenate([np.asarray(v) for v in values])
        out_shape = shapes[0].copy()
        out_shape[dim] = offset
        perm = _order(idx)
        return [idx[perm], vals[perm], out_shape]

    return run


@kernel("SparseReshape")
def _reshape(op):
    def run(indices, shape, new_shape):
        shape, new_shape = _vec(shape), _vec(new_shape).copy()
        dense = int(np.prod(shape))
        unknown = np.flatnonzero(new_shape == -1)
        if len(unknown) > 1:
            raise ValueError("only one output dimension may be -1, not both %d and %d"
                             % (unknown[0], unknown[1]))
        known = int(np.prod(np.where(new_shape == -1, 1, new_shape)))
        if len(unknown):
            if known == 0 or dense % known:
                raise ValueError("Input to reshape is a SparseTensor with %d dense values, but "
                                 "the requested shape requires a multiple of %d. input_shape=%s "
                                 "output_shape=%s" % (dense, known, _fmt(shape),
                                                      _fmt(np.where(new_shape == -1, 1,
                                                                    new_shape))))
            new_shape[unknown[0]] = dense // known
        elif known != dense:
            raise ValueError("Input to reshape is a tensor with %d dense values, but the "
                             "requested shape has %d. input_shape=%s output_shape=%s"
                             % (dense, known, _fmt(shape), _fmt(new_shape)))
        idx = np.asarray(indices, np.int64).reshape(-1, shape.size)
        flat = np.ravel_multi_index(tuple(idx.T), shape) if len(idx) else np.zeros(0, np.int64)
        out = np.stack(np.unravel_index(flat, new_shape), 1) if len(idx) else np.zeros(
            (0, new_shape.size), np.int64)
        return [out.astype(np.int64).reshape(-1, new_shape.size), new_shape]

    return run


def _in_box(idx, start, end):
    return np.all((idx >= start) & (idx < end), axis=1)


@kernel("SparseSlice")
def _slice(op):
    def run(indices, values, shape, start, size):
        shape, start, size = _vec(shape), _vec(start), _vec(size)
        idx = np.asarray(indices, np.int64).reshape(-1, shape.size)
        end = start + size
        keep = _in_box(idx, start, end)
        out_shape = np.maximum(np.minimum(end, shape) - start, 0)
        return [idx[keep] - start, np.asarray(values)[keep], out_shape.astype(np.int64)]

    return run


@kernel("SparseSliceGrad")
def _slice_grad(op):
    def run(grad, indices, start, out_indices):
        start = _vec(start)
        pos = {r: k for k, r in enumerate(map(tuple, np.asarray(out_indices).tolist()))}
        out = np.zeros(len(indices), np.asarray(grad).dtype)
        for i, row in enumerate(np.asarray(indices, np.int64) - start):
            k = pos.get(tuple(row.tolist()))
            if k is not None:
                out[i] = grad[k]
        return out

    return run


@kernel("SparseSplit")
def _split(op):
    n = op._attrs["num_split"]

    def run(split_dim, indices, values, shape):
        shape = _vec(shape)
        dim = int(split_dim)
        if not -shape.size <= dim < shape.size:
            raise ValueError("Input split_dim should be between -%d and %d, got %d"
                             % (shape.size, shape.size, dim))
        dim %= shape.size
        if n > shape[dim]:
            raise ValueError("Input num_split should be between 1 and %d, got %d"
                             % (shape[dim], n))
        base, extra = divmod(int(shape[dim]), n)
        sizes = [base + (i < extra) for i in range(n)]
        idx = np.asarray(indices, np.int64).reshape(-1, shape.size)
        outs, start = [], 0
        for size in sizes:
            keep = (idx[:, dim] >= start) & (idx[:, dim] < start + size)
            part, part_shape = idx[keep].copy(), shape.copy()
            part[:, dim] -= start
            part_shape[dim] = size
            outs.append((part, np.asarray(values)[keep], part_shape))
            start += size
        return [o[0] for o in outs] + [o[1] for o in outs] + [o[2] for o in outs]

    return run


@kernel("SparseFillEmptyRows")
def _fill_empty_rows(op):
    def run(indices, values, dense_shape, default_value):
        shape = _vec(dense_shape)
        idx = np.asarray(indices, np.int64).reshape(-1, shape.size)
        rows = int(shape[0]) if shape.size else 0
        if shape.size == 0:
            raise ValueError("dense_shape must be a vector of length > 0")
        if len(idx) and (idx[:, 0].min() < 0 or idx[:, 0].max() >= rows):
            k = int(np.argmax((idx[:, 0] < 0) | (idx[:, 0] >= rows)))
            raise ValueError("indices(%d, 0) is invalid: %d >= %d" % (k, idx[k, 0], rows))
        counts = np.bincount(idx[:, 0], minlength=rows) if len(idx) else np.zeros(rows, int)
        empty = counts == 0
        # Each row's entries keep their input order; an empty row gets [row, 0, ...].
        fill = np.zeros((int(empty.sum()), shape.size), np.int64)
        fill[:, 0] = np.flatnonzero(empty)
        all_idx = np.concatenate([idx, fill])
        all_val = np.concatenate([np.asarray(values),
                                  np.full(len(fill), default_value, np.asarray(values).dtype)])
        perm = np.argsort(all_idx[:, 0], kind="stable")
        reverse = np.empty(len(all_idx), np.int64)
        reverse[perm] = np.arange(len(all_idx))
        return [all_idx[perm], all_val[perm], empty, reverse[:len(idx)]]

    return run


@kernel("SparseFillEmptyRowsGrad")
def _fill_empty_rows_grad(op):
    def run(reverse_index_map, grad_values):
        reverse = _vec(reverse_index_map)
        grad_values = np.asarray(grad_values)
        d_values = grad_values[reverse]
        unused = np.ones(len(grad_values), bool)
        unused[reverse] = False
        return [d_values, grad_values[unused].sum().astype(grad_values.dtype)]

    return run

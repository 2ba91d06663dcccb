"""numpy kernels for the set ops (ops/sets_ops.py): sets along the last dimension.

Each group (an index into all dimensions but the last) holds a set: the values of a dense row,
or the values of a SparseTensor whose indices start with the group. The result lists every
group's result set sorted ascending (bytes order for strings) as a SparseTensor padded to the
largest set, as TF's set_kernels.cc does.
"""

import numpy as np

from tensorflux.backends.numpy.sparse_ops import _check_indices
from tensorflux.ops.registry import kernel


def _as_key(v):
    return v.encode("utf-8") if isinstance(v, str) else (v.item() if isinstance(
        v, np.generic) else v)


def _dense_groups(x, name):
    x = np.asarray(x)
    if x.ndim < 2:
        raise ValueError("Invalid rank %d for %s" % (x.ndim, name))
    group_shape = x.shape[:-1]
    flat = x.reshape(-1, x.shape[-1])
    groups = {}
    for g, idx in enumerate(np.ndindex(*group_shape)):
        groups[idx] = {_as_key(v) for v in flat[g]}
    return list(group_shape), groups


def _sparse_groups(indices, values, shape, validate):
    indices = np.asarray(indices, np.int64)
    shape = np.asarray(shape, np.int64).reshape(-1)
    values = np.asarray(values)
    if shape.size < 2:
        raise ValueError("Invalid rank %d." % shape.size)
    if validate:
        _check_indices(indices, shape, True)
    groups = {}
    for row, v in zip(indices, values):
        groups.setdefault(tuple(int(i) for i in row[:-1]), set()).add(_as_key(v))
    return [int(d) for d in shape[:-1]], groups


def _combine(op_name, a, b):
    if op_name == "intersection":
        return a & b
    if op_name == "union":
        return a | b
    if op_name == "a-b":
        return a - b
    if op_name == "b-a":
        return b - a
    raise ValueError("Invalid set_operation %s." % op_name)


def _result(op, shape1, groups1, shape2, groups2):
    if shape1 != shape2:
        raise ValueError("Mismatched shapes [%s] vs [%s]"
                         % (",".join(map(str, shape1)), ",".join(map(str, shape2))))
    kind = op._attrs["set_operation"]
    kind = kind.decode("utf-8") if isinstance(kind, bytes) else kind  # read from a GraphDef
    npd = op._attrs["T"].as_numpy_dtype
    rows, vals, width = [], [], 0
    for g in sorted(set(groups1) | set(groups2)):
        result = sorted(_combine(kind, groups1.get(g, set()), groups2.get(g, set())))
        width = max(width, len(result))
        for j, v in enumerate(result):
            rows.append(g + (j,))
            vals.append(v)
    rank = len(shape1) + 1
    indices = np.array(rows, np.int64).reshape(len(rows), rank)
    values = np.array(vals, dtype=npd) if vals else np.zeros(0, npd)
    if npd is object:
        values = np.array(vals + [None], dtype=object)[:-1]
    return [indices, values, np.array(shape1 + [width], np.int64)]


@kernel("DenseToDenseSetOperation")
def _dense_dense(op):
    def run(set1, set2):
        s1, g1 = _dense_groups(set1, "set1")
        s2, g2 = _dense_groups(set2, "set2")
        return _result(op, s1, g1, s2, g2)
    return run


@kernel("DenseToSparseSetOperation")
def _dense_sparse(op):
    validate = op._attrs["validate_indices"]

    def run(set1, indices2, values2, shape2):
        s1, g1 = _dense_groups(set1, "set1")
        s2, g2 = _sparse_groups(indices2, values2, shape2, validate)
        return _result(op, s1, g1, s2, g2)
    return run


@kernel("SparseToSparseSetOperation")
def _sparse_sparse(op):
    validate = op._attrs["validate_indices"]

    def run(indices1, values1, shape1, indices2, values2, shape2):
        s1, g1 = _sparse_groups(indices1, values1, shape1, validate)
        s2, g2 = _sparse_groups(indices2, values2, shape2, validate)
        return _result(op, s1, g1, s2, g2)
    return run


@kernel("SetSize")
def _set_size(op):
    validate = op._attrs["validate_indices"]

    def run(indices, values, shape):
        group_shape, groups = _sparse_groups(indices, values, shape, validate)
        out = np.zeros(group_shape, np.int32)
        for g, members in groups.items():
            out[g] = len(members)
        return out
    return run

"""numpy runtime of the batching datasets: batch, padded_batch and unbatch (see
`dataset_sources.py` for how a pipeline runs)."""

import numpy as np

from tensorflux.backends.numpy.dataset_sources import SparseValue, builder


def _shape_str(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


# --- batch ----------------------------------------------------------------------------------
def _stack(rows):
    """One batch: each component stacked along a new axis 0 (all shapes must agree)."""
    out = []
    for c in range(len(rows[0])):
        if isinstance(rows[0][c], SparseValue):
            out.append(_stack_sparse([row[c] for row in rows], c))
            continue
        first = np.shape(rows[0][c])
        for i, row in enumerate(rows[1:], 1):
            if np.shape(row[c]) != first:
                raise ValueError("Cannot batch tensors with different shapes in component %d. "
                                 "First element had shape %s and element %d had shape %s."
                                 % (c, _shape_str(first), i, _shape_str(np.shape(row[c]))))
        out.append(np.stack([row[c] for row in rows]))
    return out


def _stack_sparse(items, c):
    """A batch of SparseTensor components: one more leading dimension, the dense shape the
    largest of the batch in every dimension (TF's rule)."""
    ranks = {len(np.ravel(v.dense_shape)) for v in items}
    if len(ranks) > 1:
        raise ValueError("Cannot batch sparse tensors of different ranks in component %d." % c)
    rank = ranks.pop()
    indices = [np.concatenate([np.full([len(v.values), 1], i, np.int64),
                               np.asarray(v.indices, np.int64).reshape(-1, rank)], 1)
               for i, v in enumerate(items)]
    shape = np.max([np.ravel(v.dense_shape) for v in items], axis=0).astype(np.int64)
    return SparseValue(np.concatenate(indices, 0).astype(np.int64).reshape(-1, rank + 1),
                       np.concatenate([np.ravel(v.values) for v in items]),
                       np.concatenate([[len(items)], shape]).astype(np.int64))


def _batches(child, size, drop_remainder, make):
    if size <= 0:
        raise ValueError("batch_size must be greater than zero.")

    def epoch():
        rows = []
        for element in child():
            rows.append(element)
            if len(rows) == size:
                yield make(rows)
                rows = []
        if rows and not drop_remainder:
            yield make(rows)
    return epoch


@builder("batch")
def _batch(ds, children, own, ctx):
    return _batches(children[0], int(own[0]), ds._attrs["drop_remainder"], _stack)


def _pad(rows, c, shape, value):
    arrays = [np.asarray(row[c]) for row in rows]
    ranks = {a.ndim for a in arrays}
    if ranks != {len(shape)}:
        raise ValueError("All elements in a batch must have the same rank as the padded shape "
                         "for component%d: expected rank %d but got element with rank %d"
                         % (c, len(shape), max(ranks - {len(shape)})))
    longest = np.max([a.shape for a in arrays], axis=0) if shape.size else shape
    target = [int(m) if d < 0 else int(d) for d, m in zip(shape, longest)]
    out = np.full([len(arrays)] + target, value, dtype=arrays[0].dtype)
    for i, a in enumerate(arrays):
        if any(s > t for s, t in zip(a.shape, target)):
            raise ValueError("Attempted to pad to a smaller size than the input element.")
        out[(i,) + tuple(slice(0, s) for s in a.shape)] = a
    return out


@builder("padded_batch")
def _padded_batch(ds, children, own, ctx):
    n = (len(own) - 1) // 2
    shapes, values = own[1:1 + n], own[1 + n:]

    def make(rows):
        return [_pad(rows, c, np.asarray(shapes[c]), values[c]) for c in range(n)]

    return _batches(children[0], int(own[0]), ds._attrs["drop_remainder"], make)


@builder("unbatch")
def _unbatch(ds, children, own, ctx):
    (child,) = children

    def epoch():
        for element in child():
            rows = {len(v) for v in element}
            if len(rows) > 1:
                raise ValueError("Input element must have the same batch size in each "
                                 "component. Component 0 had size %d but component had size %s."
                                 % (len(element[0]), sorted(rows)))
            for i in range(len(element[0])):
                yield [v[i] for v in element]
    return epoch

"""`tf.einsum`: Einstein summation built from reduce_sum, transpose, reshape and matmul.

It adds no op type (gradients come from the ops it is made of). Inputs are contracted left to
right; each pairwise step sums away labels no later step needs, lays both sides out as
`[batch..., free, contracted]` and `[batch..., contracted, free]` matrices, and multiplies them.

    >>> tf.einsum("ij,jk->ik", a, b)           # matmul
    >>> tf.einsum("...ij,...jk->...ik", a, b)  # batched matmul
"""

import numpy as np

from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, linalg_ops, reduction_ops
from tensorflux.ops._helpers import convert

# Internal labels for the dimensions an ellipsis stands for (never valid user labels).
_ELLIPSIS_LABELS = [chr(0x3B1 + i) for i in range(24)]


def _parse(equation, shapes):
    """(input label lists, output label list, label -> size) after TF's checks."""
    equation = equation.replace(" ", "")
    lhs, arrow, out = equation.partition("->")
    specs = lhs.split(",")
    if len(specs) != len(shapes):
        raise ValueError('Got %d inputs for equation "%s", expecting %d'
                         % (len(shapes), equation, len(specs)))
    n_ell = max([len(s) - len(sp) + 3 for sp, s in zip(specs, shapes) if "..." in sp] or [0])
    ins = []
    for spec, shape in zip(specs, shapes):
        labels = list(spec.replace("...", ""))
        if not all(c.isalpha() for c in labels):
            raise ValueError("Invalid character in einsum equation %r" % equation)
        if "..." in spec:
            k = len(shape) - len(labels)
            head, _, tail = spec.partition("...")
            labels = list(head) + _ELLIPSIS_LABELS[n_ell - k:n_ell] + list(tail)
        if len(labels) != len(shape):
            raise ValueError("Input with shape %s does not match the subscripts %r of einsum "
                             "equation %r" % (list(shape), spec, equation))
        if len(set(labels)) != len(labels):
            raise NotImplementedError("einsum with a label repeated in one input (%r) is not "
                                      "supported by tensorflux" % spec)
        ins.append(labels)
    if arrow:
        output = list(out.replace("...", "".join(_ELLIPSIS_LABELS[:n_ell])))
    else:
        every = [c for labels in ins for c in labels]
        output = _ELLIPSIS_LABELS[:n_ell] + sorted(
            c for c in set(every) if every.count(c) == 1 and c not in _ELLIPSIS_LABELS)
    sizes = {}
    for labels, shape in zip(ins, shapes):
        for c, d in zip(labels, shape):
            if sizes.setdefault(c, d) != d:
                raise ValueError("Dimensions must be equal, but are %d and %d for label '%s' "
                                 "of einsum equation %r" % (sizes[c], d, c, equation))
    for c in output:
        if c not in sizes or output.count(c) > 1:
            raise ValueError("Output subscript '%s' of einsum equation %r must appear exactly "
                             "once in the output and at least once in the inputs"
                             % (c, equation))
    return ins, output, sizes


def _sum_away(t, labels, keep):
    """Sums the axes whose labels are not in `keep`."""
    axes = [i for i, c in enumerate(labels) if c not in keep]
    if axes:
        t = reduction_ops.reduce_sum(t, axes)
    return t, [c for c in labels if c in keep]


def _arrange(t, labels, order, shape):
    """Transposes `t` (with `labels`) into `order` and reshapes it to `shape` (skipping no-ops)."""
    perm = [labels.index(c) for c in order]
    if perm != list(range(len(perm))):
        t = array_ops.transpose(t, perm)
    if t.shape.as_list() != list(shape):
        t = array_ops.reshape(t, shape)
    return t


def _contract(a, la, b, lb, keep, sizes):
    """Multiplies two labelled tensors, summing the labels outside `keep`."""
    a, la = _sum_away(a, la, keep | set(lb))
    b, lb = _sum_away(b, lb, keep | set(la))
    batch = [c for c in la if c in lb and c in keep]
    summed = [c for c in la if c in lb and c not in keep]
    free_a = [c for c in la if c not in lb]
    free_b = [c for c in lb if c not in la]

    def size(labels):
        return int(np.prod([sizes[c] for c in labels]))

    batch_dims = [sizes[c] for c in batch]
    a = _arrange(a, la, batch + free_a + summed, batch_dims + [size(free_a), size(summed)])
    b = _arrange(b, lb, batch + summed + free_b, batch_dims + [size(summed), size(free_b)])
    product = linalg_ops.matmul(a, b)
    labels = batch + free_a + free_b
    dims = [sizes[c] for c in labels]
    if product.shape.as_list() != dims:
        product = array_ops.reshape(product, dims)
    return product, labels


def einsum(equation, *inputs, **kwargs):
    """Einstein summation: `equation` names each input's axes; repeated labels are multiplied,
    labels missing from the output are summed. `...` stands for leading (batch) axes.

    Example:
        >>> tf.einsum("ij,jk->ik", a, b)       # tf.matmul(a, b)
        >>> tf.einsum("bhqd,bhkd->bhqk", q, k)  # attention logits
    """
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError("invalid keyword arguments for this function: "
                        + ", ".join(sorted(kwargs)))
    with graph_lib.name_scope(name, "einsum", inputs):
        tensors = [convert(x, name="x") for x in inputs]
        for t in tensors:
            if not t.shape.is_fully_defined():
                raise ValueError("einsum needs fully defined static shapes in tensorflux, got "
                                 "%s" % t.shape)
        ins, output, sizes = _parse(equation, [t.shape.as_list() for t in tensors])
        t, labels = tensors[0], ins[0]
        for i in range(1, len(tensors)):
            keep = set(output).union(*ins[i + 1:])
            t, labels = _contract(t, labels, tensors[i], ins[i], keep, sizes)
        t, labels = _sum_away(t, labels, set(output))
        return _arrange(t, labels, output, [sizes[c] for c in output])

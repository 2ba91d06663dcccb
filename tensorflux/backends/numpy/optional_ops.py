"""numpy kernels for the Optional ops (ops/optional_ops.py): a variant is an `OptionalValue`."""

import numpy as np

from tensorflux.ops.registry import kernel


class OptionalValue:
    """The value of an Optional variant: a tuple of arrays, or None when empty."""

    __slots__ = ("components",)

    def __init__(self, components=None):
        self.components = components

    def __repr__(self):
        return "OptionalValue(%s)" % ("none" if self.components is None else
                                      len(self.components))


def _unwrap(v):
    if isinstance(v, np.ndarray) and v.dtype == object and v.ndim == 0:
        v = v.item()  # a constant-folded variant
    return v


def zeros_like(opt):
    """`ZerosLike` of an Optional: an Optional of zeros (an empty one stays empty), as TF."""
    comps = _unwrap(opt).components
    if comps is None:
        return OptionalValue()
    return OptionalValue(tuple(np.zeros_like(c) for c in comps))


@kernel("OptionalFromValue")
def _from_value(op):
    return lambda *components: OptionalValue(tuple(components))


@kernel("OptionalNone")
def _none(op):
    return lambda: OptionalValue()


@kernel("OptionalHasValue")
def _has_value(op):
    return lambda opt: np.bool_(_unwrap(opt).components is not None)


@kernel("OptionalGetValue")
def _get_value(op):
    multi = len(op.outputs) != 1

    def run(opt):
        comps = _unwrap(opt).components
        if comps is None:
            raise ValueError("The optional variable has no value")
        return list(comps) if multi else comps[0]
    return run

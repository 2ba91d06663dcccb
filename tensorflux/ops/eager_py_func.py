"""tf.py_function: a Python function as an op, called with eager-style tensors.

tensorflux has no eager mode: each argument arrives as an `EagerValue`, an ndarray that also
has EagerTensor's `.numpy()`; results may be EagerValues, ndarrays or Python numbers. The op
is a `PyFunc` (TF builds an `EagerPyFunc`), stateful and not differentiable.

    >>> y = tf.py_function(lambda x: x.numpy() * 2, [tf.constant([1., 2.])], tf.float32)
"""

import numpy as np

from tensorflux.graph import dtypes
from tensorflux.ops.debug_ops import py_func


class EagerValue(np.ndarray):
    """An ndarray with the EagerTensor methods TF 1.x py_function bodies use."""

    def numpy(self):
        return np.asarray(self)

    def get_shape(self):
        return list(self.shape)


def _as_eager(value):
    return np.asarray(value).view(EagerValue)


def py_function(func, inp, Tout, name=None):  # noqa: N803 - TF's keyword
    """Wraps `func` (called with eager-style values, see the module docstring) as an op.

    Example:
        >>> y = tf.py_function(lambda x: x.numpy() + 1, [x], tf.int32)
    """
    is_list = isinstance(Tout, (list, tuple))
    touts = [dtypes.as_dtype(t).base_dtype for t in (Tout if is_list else [Tout])]

    def call(*args):
        out = func(*[_as_eager(a) for a in args])
        if not is_list:
            return np.asarray(out, touts[0].as_numpy_dtype)
        if out is None:
            return []
        out = list(out) if isinstance(out, (list, tuple)) else [out]
        return [np.asarray(o, t.as_numpy_dtype) for o, t in zip(out, touts)]

    return py_func(call, inp, touts if is_list else touts[0], stateful=True,
                   name=name or "EagerPyFunc")


eager_py_func = py_function

"""numpy kernels for the gradient accumulators (ops/accumulator_ops.py), shared by threads.

An accumulator lives in the session's `state.resources` under ("Accumulator", op name or
shared_name), made by the first run of its handle op. Applying a gradient never blocks; taking
the average waits on the accumulator's condition variable until enough gradients are in, no
longer than the run's deadline (`RunOptions.timeout_in_ms`: DeadlineExceededError), and gives up
with CancelledError when the session closes. Messages and error classes are TF's (checked
against fixtures).
"""

import logging
import threading

import numpy as np

from tensorflux import errors
from tensorflux.backends.numpy.data_flow_ops import _Closed, _wait
from tensorflux.graph.operation import op_error
from tensorflux.ops.registry import kernel

_CREATE = threading.Lock()
_log = logging.getLogger("tensorflux")


def _dims(shape):
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def _invalid(message):
    return _Closed(errors.InvalidArgumentError, message)


class Accumulator:
    """The sum of the fresh gradients pushed since the last take, and TF's global step."""

    def __init__(self, attrs):
        shape = attrs["shape"]
        self.shape = None if shape.ndims is None else shape.as_list()
        self.dtype = attrs["dtype"].as_numpy_dtype
        self.mean = attrs["reduction_type"] == "MEAN"
        self.cond = threading.Condition()
        self.counter = 0
        self.global_step = 0
        self.aborted = False
        self.reset()

    def reset(self):
        self.sum = None

    def apply(self, local_step, *grad):
        """Adds `grad` when `local_step` is not older than the accumulator's step; a stale
        gradient is dropped without being looked at, as TF does."""
        with self.cond:
            if local_step < self.global_step:
                return
            self.validate(*grad)
            self.add(*grad)
            self.counter += 1
            self.cond.notify_all()

    def take(self, num_required):
        """Waits for `num_required` gradients, then returns their mean (or sum), resets, and
        bumps the step."""
        if num_required < 1:
            raise _invalid("Argument num_required must be positive, but was %d" % num_required)
        with self.cond:
            while self.counter < num_required and not self.aborted:
                _wait(self.cond)
            if self.counter < num_required:
                raise _Closed(errors.CancelledError, "TakeGrad operation was cancelled")
            self.global_step += 1
            out = self.result()
            self.counter = 0
            self.reset()
            return out

    def set_global_step(self, step):
        with self.cond:
            if step < self.global_step:
                _log.warning("Attempt to set current_global_step_ to smaller value: "
                             "current_global_step_ = %d >= %d = new_global_step.",
                             self.global_step, step)
            self.global_step = step

    def cancel(self):
        """Wakes a waiting take (`data_flow_ops.cancel_all`: the session closes)."""
        with self.cond:
            self.aborted = True
            self.cond.notify_all()

    # --- the dense accumulator ---------------------------------------------------------------
    def validate(self, grad):
        if self.counter > 0 and self.sum.shape != grad.shape:
            raise _invalid("Shape mismatch: expected %s, got %s"
                           % (_dims(self.sum.shape), _dims(grad.shape)))
        if self.shape is not None and not (
                len(self.shape) == grad.ndim
                and all(w is None or w == g for w, g in zip(self.shape, grad.shape))):
            raise _invalid("Shape mismatch: expected %s, got %s"
                           % (_dims(self.shape), _dims(grad.shape)))

    def add(self, grad):
        if self.sum is None:
            self.sum = np.array(grad, dtype=self.dtype)  # a copy: feeds may be reused
        else:
            self.sum += grad

    def result(self):
        if self.mean:
            return np.asarray(self.sum / self.counter).astype(self.dtype)
        return self.sum


class SparseAccumulator(Accumulator):
    """Rows at int64 indices, each with the number of gradients that touched it."""

    def reset(self):
        self.indices = self.values = self.counts = None

    def validate(self, indices, values, shape, has_known_shape):
        if values.ndim > 0 and values.shape[0] != indices.shape[0]:
            raise _invalid("Expected %d non-empty input values, got %d"
                           % (indices.shape[0], values.shape[0]))
        want = self.shape
        if has_known_shape and want is not None:
            if len(want) > shape.size:
                raise _invalid("Shape mismatch: expected shape rank at least %d, got %d"
                               % (len(want), shape.size))
            for i, d in enumerate(want):
                if d is not None and d != shape[i]:
                    raise _invalid("Shape mismatch: expected shape dim %d to be %d, got %d"
                                   % (i, d, shape[i]))
        if self.counter > 0:
            if self.values.ndim != values.ndim:
                raise _invalid("Shape mismatch: expected values rank %d, got %d"
                               % (self.values.ndim, values.ndim))
            want = list(self.values.shape)
        elif want is not None and len(want) > values.ndim:
            raise _invalid("Shape mismatch: expected values rank at least %d, got %d"
                           % (len(want), values.ndim))
        for i in range(1, len(want or ())):
            if want[i] is not None and want[i] != values.shape[i]:
                raise _invalid("Shape mismatch: expected values dim %d to be %d, got %d"
                               % (i, want[i], values.shape[i]))

    def add(self, indices, values, shape, has_known_shape):
        if self.indices is None:
            self.indices = np.array(indices, np.int64)
            self.values = np.array(values, dtype=self.dtype)
            self.counts = np.ones(len(indices), np.int64)
            return
        # TF's merge walks both index lists in order, as if each were sorted: equal heads are
        # summed, otherwise the smaller head goes first (unsorted lists keep duplicates).
        rows, vals, counts = [], [], []
        i = j = 0
        while i < len(self.indices) or j < len(indices):
            a = self.indices[i] if i < len(self.indices) else None
            b = indices[j] if j < len(indices) else None
            if b is None or (a is not None and a < b):
                rows.append(a), vals.append(self.values[i]), counts.append(self.counts[i])
                i += 1
            elif a is None or b < a:
                rows.append(b), vals.append(values[j]), counts.append(1)
                j += 1
            else:
                rows.append(a), vals.append(self.values[i] + values[j])
                counts.append(self.counts[i] + 1)
                i += 1
                j += 1
        self.indices = np.array(rows, np.int64)
        self.values = np.array(vals, dtype=self.dtype).reshape((len(rows),)
                                                                + self.values.shape[1:])
        self.counts = np.array(counts, np.int64)

    def result(self):
        values = self.values
        if self.mean:
            scale = self.counts.reshape((-1,) + (1,) * (values.ndim - 1))
            values = np.asarray(values / scale).astype(self.dtype)
        first = self.shape[0] if self.shape and self.shape[0] is not None else -1
        shape = np.array([first] + list(values.shape[1:]), np.int64)
        return [self.indices, values, shape]


_KINDS = {"ResourceConditionalAccumulator": Accumulator, "ConditionalAccumulator": Accumulator,
          "SparseConditionalAccumulator": SparseAccumulator}


def _handle_kernel(op):
    key = ("Accumulator", op._attrs.get("shared_name") or op.name)

    def run(state):
        acc = state.resources.get(key)
        if acc is None:
            with _CREATE:
                acc = state.resources.get(key)
                if acc is None:
                    acc = state.resources[key] = _KINDS[op.type](op._attrs)
        return acc

    return run


for _t in _KINDS:
    kernel(_t)(_handle_kernel)


def _guard(op, fn):
    """`fn(accumulator, *args)` as a kernel: the accumulator's errors become the op's."""
    def run(state, acc, *args):
        try:
            return fn(acc, *args)
        except _Closed as e:
            raise op_error(e.cls, op, "%s\n\t [[{{node %s}}]]" % (e, op.name)) from None
    return run


def _apply(op):
    return _guard(op, lambda acc, step, grad: acc.apply(int(step), np.asarray(grad)) or [])


def _sparse_apply(op):
    known = op._attrs["has_known_shape"]

    def fn(acc, step, indices, values, shape):
        indices, values = np.asarray(indices).reshape(-1), np.asarray(values)
        acc.apply(int(step), indices, values, np.asarray(shape).reshape(-1), known)
        return []
    return _guard(op, fn)


def _take(op):
    return _guard(op, lambda acc, n: acc.take(int(n)))


def _num(op):
    return _guard(op, lambda acc: np.array(acc.counter, np.int32))


def _set_step(op):
    return _guard(op, lambda acc, step: acc.set_global_step(int(step)) or [])


for _prefix in ("ResourceAccumulator", "Accumulator"):
    kernel(_prefix + "ApplyGradient")(_apply)
    kernel(_prefix + "TakeGradient")(_take)
    kernel(_prefix + "NumAccumulated")(_num)
    kernel(_prefix + "SetGlobalStep")(_set_step)
kernel("SparseAccumulatorApplyGradient")(_sparse_apply)
kernel("SparseAccumulatorTakeGradient")(_take)

"""numpy kernels for the TF1 queues (ops/data_flow_ops.py): blocking queues shared by threads.

A queue lives in the session's `state.resources` under ("Queue", op name or shared_name), made
by the first run of its queue op. Enqueue and dequeue kernels block on the queue's condition
variable, no longer than the run's deadline (`RunOptions.timeout_in_ms`); several threads
(queue runners, the training loop) run them through `sess.run` at the same time. Messages and
error classes are TF's (checked against fixtures).
"""

import itertools
import threading
import time
from collections import deque

import numpy as np

from tensorflux import errors
from tensorflux.client import run_context
from tensorflux.graph.operation import op_error
from tensorflux.ops.registry import kernel

_CREATE = threading.Lock()
_IDS = itertools.count()  # TF numbers unnamed queues per process: '_0_fifo_queue', ...


class _Closed(Exception):
    """Raised inside the queue; the kernel turns it into the op's error."""

    def __init__(self, cls, message):
        super().__init__(message)
        self.cls = cls


def _wait(cond):
    """`cond.wait()`, bounded by the deadline of this thread's run (client/run_context.py)."""
    end = run_context.deadline()
    if end is None:
        cond.wait()
        return
    left = end - time.monotonic()
    if left <= 0 or not cond.wait(left) and time.monotonic() >= end:
        raise _Closed(errors.DeadlineExceededError, "Timed out waiting for notification")


class Queue:
    """A bounded queue of element tuples with TF's close and cancel semantics."""

    kind = "FIFOQueue"

    def __init__(self, name, capacity, shapes, attrs):
        self.name = name
        self.capacity = capacity if capacity > 0 else float("inf")  # TF: -1 is unbounded
        self.shapes = [None if s.ndims is None else tuple(s.as_list()) for s in shapes]
        self.items = deque()
        self.cond = threading.Condition()
        self.closed = False
        self.cancelled = False  # pending enqueues give up (close(cancel_pending_enqueues))
        self.aborted = False  # the session is closing: every waiting op gives up

    def _check(self, comps, batched):
        for i, (c, want) in enumerate(zip(comps, self.shapes)):
            got = c.shape[1:] if batched else c.shape
            if want is not None and not _fits(got, want):
                raise ValueError("Shape mismatch in tuple component %d. Expected %s, got %s"
                                 % (i, _dims(want), _dims(got)))

    def enqueue(self, elements):
        """Adds `elements` (a list of tuples) one by one, waiting for room."""
        with self.cond:
            if self.closed:
                raise _Closed(errors.CancelledError, "%s '%s' is closed." % (self.kind,
                                                                              self.name))
            for el in elements:
                while len(self.items) >= self.capacity and not self.cancelled:
                    _wait(self.cond)
                if self.cancelled:
                    raise _Closed(errors.CancelledError, "Enqueue operation was cancelled")
                self.items.append(el)
                self.cond.notify_all()

    def _ready(self, n):
        return self.closed or len(self.items) >= n + self.reserve()

    def reserve(self):
        return 0

    def dequeue(self, n, up_to=False):
        """Removes `n` elements (fewer with `up_to` once closed); waits until there are."""
        with self.cond:
            while not self._ready(n) and not self.aborted:
                _wait(self.cond)
            size = len(self.items)
            if self.aborted and size < n + self.reserve():
                raise _Closed(errors.CancelledError, "Dequeue operation was cancelled")
            if self.closed and (size < n and not up_to or size == 0 < n):
                raise _Closed(errors.OutOfRangeError, "%s '%s' is closed and has insufficient "
                              "elements (requested %d, current size %d)"
                              % (self.kind, self.name, n, size))
            out = [self.take() for _ in range(min(n, size))]
            self.cond.notify_all()
            return out

    def take(self):
        return self.items.popleft()

    def close(self, cancel):
        with self.cond:
            self.closed = True
            self.cancelled = self.cancelled or cancel
            self.cond.notify_all()

    def cancel(self):
        """The session is closing: every waiting enqueue and dequeue gives up, with TF's
        CancelledError (a dequeue that finds enough elements still takes them)."""
        with self.cond:
            self.aborted = True
        self.close(True)


class RandomShuffleQueue(Queue):
    """Gives a random element back, keeping `min_after_dequeue` in the queue until closed."""

    kind = "RandomShuffleQueue"

    def __init__(self, name, capacity, shapes, attrs):
        super().__init__(name, capacity, shapes, attrs)
        self.min_after_dequeue = attrs["min_after_dequeue"]
        seed, seed2 = attrs["seed"], attrs["seed2"]
        self.rng = np.random.default_rng([seed, seed2] if seed or seed2 else None)

    def reserve(self):
        return self.min_after_dequeue

    def take(self):
        i = int(self.rng.integers(len(self.items)))
        self.items[i], self.items[-1] = self.items[-1], self.items[i]
        return self.items.pop()


_KINDS = {"FIFOQueueV2": Queue, "PaddingFIFOQueueV2": Queue,
          "RandomShuffleQueueV2": RandomShuffleQueue}


def _fits(got, want):
    return len(got) == len(want) and all(w is None or w == g for g, w in zip(got, want))


def _dims(shape):
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def _key(op):
    return ("Queue", op._attrs.get("shared_name") or op.name)


def _queue_kernel(op):
    key = _key(op)
    attrs = op._attrs

    def run(state):
        q = state.resources.get(key)
        if q is None:
            with _CREATE:
                q = state.resources.get(key)
                if q is None:
                    name = attrs["shared_name"] or "_%d_%s" % (next(_IDS), op.name)
                    q = _KINDS[op.type](name, attrs["capacity"], attrs["shapes"], attrs)
                    state.resources[key] = q
        return q

    return run


for _t in _KINDS:
    kernel(_t)(_queue_kernel)


def _guard(op, fn):
    """`fn(state, queue, *args)` as a kernel: the queue's errors become the op's."""
    def run(state, queue, *args):
        try:
            return fn(queue, *args)
        except _Closed as e:
            raise op_error(e.cls, op, "%s\n\t [[{{node %s}}]]" % (e, op.name)) from None
    return run


@kernel("QueueEnqueueV2")
def _enqueue(op):
    def fn(queue, *comps):
        comps = [np.array(c) for c in comps]  # a copy: the caller may reuse a fed array
        queue._check(comps, False)
        queue.enqueue([tuple(comps)])
        return []
    return _guard(op, fn)


@kernel("QueueEnqueueManyV2")
def _enqueue_many(op):
    def fn(queue, *comps):
        comps = [np.array(c) for c in comps]
        if any(c.ndim == 0 for c in comps):
            raise ValueError("Input tensors to EnqueueMany must have rank at least 1")
        n = comps[0].shape[0]
        if any(c.shape[0] != n for c in comps):
            raise ValueError("Expected all inputs to have the same first dimension")
        queue._check(comps, True)
        queue.enqueue([tuple(c[i] for c in comps) for i in range(n)])
        return []
    return _guard(op, fn)


@kernel("QueueDequeueV2")
def _dequeue(op):
    def fn(queue):
        return _outputs(op, list(queue.dequeue(1)[0]))
    return _guard(op, fn)


def _outputs(op, values):
    """A kernel's result: the value itself for a one-output op, else the list."""
    return values[0] if len(op.outputs) == 1 else values


def _stack(op, elements, n):
    """The components of `elements` stacked along a new first axis (padded for a padding
    queue); `n` == 0 gives empty batches of the queue's shapes."""
    types = op._attrs["component_types"]
    out = []
    for i, dt in enumerate(types):
        parts = [el[i] for el in elements]
        npd = dt.as_numpy_dtype
        if not parts:
            shape = op.outputs[i].get_shape()
            dims = [0] + [d or 0 for d in shape.as_list()[1:]] if shape.ndims else [0]
            out.append(np.zeros(dims, npd))
        elif op.inputs[0].op.type == "PaddingFIFOQueueV2":
            out.append(_pad(parts, npd))
        else:
            out.append(np.stack(parts).astype(npd, copy=False))
    return out


def _pad(parts, npd):
    dims = np.max([p.shape for p in parts], axis=0) if parts[0].ndim else ()
    fill = b"" if npd is object else 0
    batch = np.full((len(parts),) + tuple(int(d) for d in dims), fill, dtype=npd)
    for j, p in enumerate(parts):
        batch[(j,) + tuple(slice(0, d) for d in p.shape)] = p
    return batch


def _dequeue_n(op, up_to):
    def fn(queue, n):
        n = int(n)
        if n < 0:
            raise ValueError("Requested %d elements; must be >= 0" % n)
        return _outputs(op, _stack(op, queue.dequeue(n, up_to), n))
    return _guard(op, fn)


kernel("QueueDequeueManyV2")(lambda op: _dequeue_n(op, False))
kernel("QueueDequeueUpToV2")(lambda op: _dequeue_n(op, True))


@kernel("QueueCloseV2")
def _close(op):
    cancel = op._attrs["cancel_pending_enqueues"]

    def fn(queue):
        queue.close(cancel)
        return []
    return _guard(op, fn)


@kernel("QueueSizeV2")
def _size(op):
    return _guard(op, lambda queue: np.array(len(queue.items), np.int32))


@kernel("QueueIsClosedV2")
def _is_closed(op):
    return _guard(op, lambda queue: np.array(queue.closed))


@kernel("CountUpTo")
def _count_up_to(op):
    from tensorflux.ops import state_ops

    key = state_ops.variable_key(op.inputs[0])
    limit = op._attrs["limit"]

    def run(state):
        with _CREATE:  # one increment at a time: several runner threads share the counter
            try:
                old = state.variables[key]
            except KeyError:
                raise op_error(errors.FailedPreconditionError, op, "Attempting to use "
                               "uninitialized value %s" % key) from None
            if old >= limit:
                raise op_error(errors.OutOfRangeError, op, "Reached limit of %d" % limit)
            state.variables[key] = np.asarray(old + 1, dtype=old.dtype)
            return np.asarray(old)
    return run


def cancel_all(resources):
    """Wakes every thread waiting on a resource of a closing session (a queue, a gradient
    accumulator: anything with a `cancel` method), as TF cancels them."""
    for value in list(resources.values()):
        cancel = getattr(value, "cancel", None)
        if callable(cancel):
            cancel()

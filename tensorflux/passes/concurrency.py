"""Concurrent execution of independent ops ("asynchronous kernels") on the numpy backend.

The numpy interpreter runs a plan's steps one after the other on the calling thread. Its heavy
kernels (oneDNN convolutions, matrix products, pooling, the threaded ReLU and optimizer loops)
already use every core, but most numpy kernels (elementwise math, reductions, transposes,
concatenation, padding, gathers) run on one core and release the GIL while they work. This
pass finds such ops (`_HELPER_TYPES`) that can run on a helper thread while the calling
thread runs other, independent ops, as TF's executor runs ready ops on its inter-op pool.

Algorithm (list scheduling on two lanes, the calling thread and one helper):
1. Costs. An op's cost is its element count from static shapes (an unknown dimension counts
   as `_UNKNOWN_DIM`), times a factor for kernels that do more per element (transcendental
   math, resizing). Kernels that use every core cost half their elements; views and
   bookkeeping ops cost nothing.
2. Edges: an op follows the ops it reads and its control inputs; an op that may not move
   (see Safety) also follows the previous such op, so those keep the plan's order.
3. Simulation: ready ops are taken highest "level" first (the longest chain of costs from the
   op to the end of the plan). A movable `_HELPER_TYPES` op whose cost is at least
   `_MIN_ELEMENTS`, or a movable view (`VIEWS`: reshapes, identities), goes to the lane where it
   would start first (the calling thread on a tie); every other op runs on the calling thread.
   Handing an op over costs `_HANDOVER`; reading a value made on the other lane costs that
   plus a quarter of its elements (the data comes from another core's cache).
4. Pays? If the simulated time is not at least `_MIN_GAIN` below the one-lane time (the sum
   of the costs), the plan is returned unchanged: nothing runs concurrently.
5. Order. The calling thread's ops keep their simulated order; each helper op is placed
   right after the last calling-thread op it reads or follows (and after the previous helper
   op), so it is handed over as soon as it could start. The helper's ops become
   `plan.concurrent`.

6. Pairs. Two neighbouring independent ops whose fast kernels are oneDNN primitives
   (`_PAIRED_TYPES`: convolutions, their gradients, matrix products) with similar numbers of
   multiply-adds run at once, each on one core (`plan.one_core`): the first on the helper, the
   second on the calling thread. Two such kernels on one core each finish sooner than one after
   the other on both cores, since neither scales perfectly to two.

Safety: only stateless ops that read no variable (directly or by reference) are ever moved, and
only those of `_HELPER_TYPES` and views are handed over: never an op that writes state, draws
random numbers, or has a fast (oneDNN or threaded) kernel. All other ops keep their relative
order, so stateful ops run in the same order as without the pass. The interpreter waits for a
helper op before any step that reads its outputs or follows it by a control edge, and for
every helper op before any stateful step and before the run returns; a helper op's error is
raised as the same op's error.
Variables are never modified in place, so a value a helper op reads cannot change under it.

Threads: `ConfigProto.inter_op_parallelism_threads` (0, TF's default, means the usable cores;
1 runs everything on the calling thread, as in TF). With 2 or more there is one helper lane.
"""

import heapq

from tensorflux.backends import onednn
from tensorflux.backends.numpy.concurrent import VIEWS
from tensorflux.backends.onednn import threads
from tensorflux.backends.onednn.primitives import one_core_available

_MIN_ELEMENTS = 1 << 17  # smaller ops are not worth handing over (~30 us per hand-over)
_MIN_GAIN = 0.05  # the simulated time must drop by at least this fraction
_UNKNOWN_DIM = 32
_HANDOVER = 1 << 14  # the cost of one hand-over between threads, in elements

# Ops whose numpy kernel is one or a few whole-array numpy calls on one core, which release
# the GIL while they work: two of them on two threads run at once (measured 1.2-1.9x for a
# pair on 2 cores). Left out: kernels that use every core (oneDNN, the threaded ReLU and
# optimizer loops), kernels that loop in Python or hold the GIL (Erf and Lgamma through
# np.vectorize, image resizing, the gamma-function series), and views (nothing to gain).
_HELPER_TYPES = frozenset((
    # elementwise, one input
    "Neg", "Abs", "Sign", "Square", "Sqrt", "Rsqrt", "Exp", "Expm1", "Log", "Log1p", "Sin",
    "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Tanh", "Asinh", "Acosh", "Atanh",
    "Sigmoid", "Reciprocal", "Inv", "Floor", "Ceil", "Round", "Rint", "LogicalNot", "IsNan",
    "IsInf", "IsFinite", "Invert", "Softplus", "Softsign", "Cast", "Relu6", "Elu", "Selu",
    "LeakyRelu",
    # elementwise, two or more inputs
    "Add", "AddV2", "Sub", "Mul", "RealDiv", "Div", "FloorDiv", "FloorMod", "TruncateDiv",
    "TruncateMod", "Pow", "Maximum", "Minimum", "Atan2", "SquaredDifference", "Less",
    "LessEqual", "Greater", "GreaterEqual", "Equal", "NotEqual", "LogicalAnd", "LogicalOr",
    "BitwiseAnd", "BitwiseOr", "BitwiseXor", "AddN", "Select", "SelectV2", "Relu6Grad",
    "EluGrad", "SeluGrad", "LeakyReluGrad", "BiasAdd",
    # reductions and softmax
    "Sum", "Mean", "Prod", "Max", "Min", "All", "Any", "ArgMax", "ArgMin", "L2Loss", "Softmax",
    "LogSoftmax", "SoftmaxCrossEntropyWithLogits", "SparseSoftmaxCrossEntropyWithLogits",
    # data movement that copies
    "Transpose", "ConcatV2", "Pack", "Tile", "Pad", "PadV2", "MirrorPad", "GatherV2", "OneHot",
    "ReverseV2", "BroadcastTo"))
# Views, shapes and bookkeeping: they cost nothing.
_FREE = frozenset(("Identity", "Reshape", "Squeeze", "ExpandDims", "Shape", "ShapeN", "Size",
                   "Rank", "StopGradient", "Snapshot", "NoOp", "Const", "Placeholder",
                   "PlaceholderWithDefault", "VariableV2", "IdentityN", "PreventGradient",
                   "_Send", "_Recv"))
# Ops whose fast kernels are oneDNN primitives on every core. Two neighbouring independent ones
# of similar cost (`_PAIR_BALANCE`) run at once, one core each: the helper takes the first.
# Measured on 2 cores: the filter and input gradients of the deck CNN's second convolution,
# 16.3-16.5 ms one after the other, 15.4-15.9 ms side by side.
_FORWARD_CONVS = frozenset(("Conv2D", "Conv3D", "DepthwiseConv2dNative"))
_PAIRED_TYPES = _FORWARD_CONVS | frozenset((
    "Conv2DBackpropInput", "Conv2DBackpropFilter", "Conv3DBackpropInputV2",
    "Conv3DBackpropFilterV2", "DepthwiseConv2dNativeBackpropInput",
    "DepthwiseConv2dNativeBackpropFilter", "MatMul", "_FusedConv", "_FusedConvBN"))
_PAIR_MIN = 1 << 26  # multiply-adds (~0.5 ms on a core): smaller pairs gain nothing
_PAIR_BALANCE = 0.5
_FACTORS = {"Exp": 4, "Log": 4, "Log1p": 4, "Expm1": 4, "Tanh": 4, "Sigmoid": 4, "Pow": 8,
            "Erf": 8, "Sin": 4, "Cos": 4, "Softplus": 4, "Elu": 4, "Selu": 4,
            "Softmax": 4, "LogSoftmax": 4,
            "SoftmaxCrossEntropyWithLogits": 4, "SparseSoftmaxCrossEntropyWithLogits": 4}


def inter_op_threads(config):
    """Threads for running independent ops, from `ConfigProto.inter_op_parallelism_threads`."""
    n = getattr(config, "inter_op_parallelism_threads", 0) if config is not None else 0
    return n if n > 0 else threads.usable_cores()


def _size(t):
    """Elements of `t` (an unknown dimension counts `_UNKNOWN_DIM`), or None (unknown rank)."""
    if t.shape.ndims is None:
        return None
    n = 1
    for d in t.shape.as_list():
        n *= _UNKNOWN_DIM if d is None else d
    return n


def _elements(op):
    return max([n for n in map(_size, list(op.outputs) + list(op.inputs)) if n is not None],
               default=0)


def _movable(op, plan):
    """True if `op` may change places with other ops: stateless, reading no variable."""
    opdef = op.op_def
    if opdef is None or opdef.stateful or opdef.ref_inputs or op.type == "VariableV2":
        return False
    for t in op.inputs:
        t = plan.resolve(t)
        if t.op.type == "VariableV2" or t.dtype.is_ref_dtype:
            return False
    return True


def _helper_ok(op, plan):
    """True if `op` may run on the helper thread (see Safety above)."""
    return (op.type in _HELPER_TYPES or op.type in VIEWS) and _movable(op, plan)


def _cost(op):
    if op.type in _FREE:
        return 0
    n = _elements(op) * _FACTORS.get(op.type, 1)
    if op.type not in _HELPER_TYPES:
        return n // 2  # on the fast path most heavy kernels use both cores
    return n


def _deps(op, plan, index):
    out = set()
    for t in op.inputs:
        p = plan.resolve(t).op
        if p in index:
            out.add(p)
    for c in op.control_inputs:
        if c in index:
            out.add(c)
    return out


def schedule(plan, config=None):
    """Returns `plan` with helper-thread ops marked (and hoisted), or `plan` if that won't pay."""
    devices = {d for d in plan.devices.values() if d}
    if plan.segments or inter_op_threads(config) < 2 or len(plan.ops) < 3 or \
            len(devices) > 1 or any("/device:CPU:" not in d for d in devices):
        return plan  # multi-device plans run segment by segment (passes/transfers.py)
    return _pairs(_lanes(plan))


def _lanes(plan):
    """Steps 1-5 above: single-core numpy ops onto the helper where that pays."""
    ops = plan.ops
    index = {op: i for i, op in enumerate(ops)}
    cost = [_cost(op) for op in ops]
    movable = [_movable(op, plan) for op in ops]
    helper_ok = [m and op.type in _HELPER_TYPES and c >= _MIN_ELEMENTS
                 for m, op, c in zip(movable, ops, cost)]
    if not any(helper_ok):
        return plan
    helper_ok = [h or (m and op.type in VIEWS) for h, m, op in zip(helper_ok, movable, ops)]
    deps = [sorted(index[d] for d in _deps(op, plan, index)) for op in ops]
    prev = None
    for i in range(len(ops)):  # ops that are not movable keep their order
        if not movable[i]:
            if prev is not None and prev not in deps[i]:
                deps[i].append(prev)
            prev = i
    users = [[] for _ in ops]
    for i, ds in enumerate(deps):
        for d in ds:
            users[d].append(i)
    level = [0] * len(ops)  # the longest path of costs from an op to the end
    for i in reversed(range(len(ops))):
        level[i] = cost[i] + max((level[u] for u in users[i]), default=0)

    # reading a value the other thread made: the hand-over, and its data from another cache
    moved = [_HANDOVER + _elements(op) // 4 if op.inputs else 0 for op in ops]
    waiting = [len(ds) for ds in deps]
    ready = [(-level[i], i) for i in range(len(ops)) if not waiting[i]]
    heapq.heapify(ready)
    lanes = [0, 0]  # when the calling thread and the helper are next free
    lane = [0] * len(ops)
    start = [0] * len(ops)
    finish = [0] * len(ops)
    while ready:
        _, i = heapq.heappop(ready)
        at = [lanes[0], lanes[1] + _HANDOVER]
        for d in deps[i]:
            for k in (0, 1):
                at[k] = max(at[k], finish[d] + (moved[d] if lane[d] != k else 0))
        if not cost[i] and not helper_ok[i]:  # free: takes no time on the calling thread
            start[i] = finish[i] = max((finish[d] for d in deps[i]), default=0)
        else:
            k = 1 if helper_ok[i] and at[1] < at[0] else 0
            lane[i], start[i] = k, at[k]
            finish[i] = lanes[k] = at[k] + cost[i]
        for u in users[i]:
            waiting[u] -= 1
            if not waiting[u]:
                heapq.heappush(ready, (-level[u], u))
    if max(lanes) > (1 - _MIN_GAIN) * sum(cost) or not any(lane):
        return plan
    # The calling thread's ops in simulated order; each helper op right after the last of its
    # calling-thread inputs (and after the helper op before it): handed over as early as it can
    # be, the helper never waits for the calling thread to get there.
    main = sorted((i for i in range(len(ops)) if not lane[i]), key=lambda i: (start[i], i))
    after = {i: p for p, i in enumerate(main)}
    handed = [[] for _ in range(len(main) + 1)]
    earliest = 0
    for h in sorted((i for i in range(len(ops)) if lane[i]), key=lambda i: (start[i], i)):
        earliest = max([earliest] + [after[d] + 1 for d in deps[h] if not lane[d]])
        handed[earliest].append(h)
    order = []
    for p in range(len(main) + 1):
        order.extend(handed[p])
        if p < len(main):
            order.append(main[p])
    return plan.replace(ops=[ops[i] for i in order],
                        concurrent=frozenset(ops[i] for i in order if lane[i]))


def _macs(op):
    """Multiply-adds of a convolution or matrix product (unknown dims count `_UNKNOWN_DIM`)."""
    if op.type in ("_FusedConv", "_FusedConvBN"):
        op = op._attrs["parts"][0]
    if op.type == "MatMul":
        a = op.inputs[0].shape
        if a.ndims != 2:
            return 0
        k = a.as_list()[0 if op._attrs.get("transpose_a") else 1] or _UNKNOWN_DIM
        return (_size(op.outputs[0]) or 0) * k
    # every convolution and its gradients: elements of the forward output times the filter's
    # elements per output channel
    dy = op.outputs[0] if op.type in _FORWARD_CONVS else op.inputs[2]
    w = op.outputs[0] if "BackpropFilter" in op.type else op.inputs[1]
    if dy.shape.ndims is None or w.shape.ndims is None:
        return 0
    per_channel = _size(w) // max(1, w.shape.as_list()[-1] or _UNKNOWN_DIM)
    if op.type.startswith("DepthwiseConv2dNative"):
        per_channel = _size(w) // max(1, (w.shape.as_list()[-1] or 1) *
                                      (w.shape.as_list()[-2] or 1))
    return (_size(dy) or 0) * per_channel


def _pairs(plan):
    """Step 6: neighbouring independent oneDNN ops of similar cost, one core each."""
    ops = plan.ops
    if onednn.runtime() is None or threads.workers() < 2 or not one_core_available():
        return plan  # no oneDNN, or one thread asked for ($OMP_NUM_THREADS)
    index = {op: i for i, op in enumerate(ops)}
    helper = set(plan.concurrent)
    one_core = set()
    i = 0
    while i < len(ops):
        a = ops[i]
        j = i + 1
        while j < len(ops) and ops[j].type in _FREE:
            j += 1
        if j >= len(ops) or a.type not in _PAIRED_TYPES or ops[j].type not in _PAIRED_TYPES \
                or a in helper or ops[j] in helper:
            i += 1
            continue
        b = ops[j]
        ca, cb = _macs(a), _macs(b)
        if min(ca, cb) < _PAIR_MIN or min(ca, cb) < _PAIR_BALANCE * max(ca, cb) or \
                _reaches(a, b, plan, index):
            i += 1
            continue
        helper.add(a)
        one_core.update((a, b))
        i = j + 1
    if not one_core:
        return plan
    return plan.replace(concurrent=frozenset(helper), one_core=frozenset(one_core))


def _reaches(a, b, plan, index):
    """Whether `b` reads `a`'s outputs or follows it, directly or through the ops between."""
    lo = index[a]
    todo = [b]
    seen = set()
    while todo:
        op = todo.pop()
        for d in _deps(op, plan, index):
            if d is a:
                return True
            if index[d] > lo and d not in seen:
                seen.add(d)
                todo.append(d)
    return False


__all__ = ["inter_op_threads", "schedule"]

"""Automatic mixed precision: matrix products and convolutions in float16 (TF's AMP rewrite).

Switches (any one turns the GPU rewrite on, as in TF 1.15):
`tf.train.experimental.enable_mixed_precision_graph_rewrite(opt)` (for sessions made after the
call), `ConfigProto.graph_options.rewrite_options.auto_mixed_precision = RewriterConfig.ON`, or
$TF_ENABLE_AUTO_MIXED_PRECISION=1. `rewrite_options.auto_mixed_precision_cpu = ON` (TF's
emulation switch) applies the same rounding on CPUs.

Algorithm: walk the plan in order; an op of an allowed type (MatMul, BatchMatMul(V2), Conv2D
and Conv2D's two gradient ops, so backward passes are covered too) whose floating inputs are
all float32 is rewritten according to its device:
- on a GPU: each float32 input goes through a Cast to float16 (one per tensor and device,
  named `<op>-<i>-CastToFp16-AutoMixedPrecision` as TF), a float16 copy of the op replaces it,
  and a Cast back to float32 (`<op>-0-CastToFp32-AutoMixedPrecision`) stands for its output.
  A float16 value that an earlier rewritten op produced is used directly (no round trip).
- on a CPU, only with `auto_mixed_precision_cpu`: inputs and output are rounded to float16
  and back (Cast pairs) while the op itself runs in float32, TF's emulation of float16
  arithmetic with float32 accumulation, at CPU speed.
- on a CPU otherwise: unchanged (TF's rewrite is GPU-only; float16 on a CPU is only slower).
On a GPU, float16 then spreads through the ops of TF's inference and clear lists that sit on
it (FOLLOW below: activations and their gradients, residual sums, pooling, batch norm with
float32 statistics and parameters, bias addition): such an op whose float32 inputs of its
type T include one with a float16 value is rewritten too (its other T inputs are cast), so a
conv -> batch norm -> ReLU -> add -> conv chain and its gradient run in float16 without a
round trip per op. Scaling ops (Mul, RealDiv) and reductions (Mean, Sum, losses) stay float32:
the loss-scale arithmetic and the statistics must not underflow or overflow.
Variables are never touched: they stay float32.

Casts of folded constants (weights frozen into the graph) are done once, at plan time.

Safety: ops whose outputs are fed stay as they are (the feed must win), and so do ops with a
non-float32 floating input (already float16/float64 models).
"""

import os

import numpy as np

from tensorflux.graph import dtypes
from tensorflux.passes import plan_ops

ALLOWED = ("MatMul", "BatchMatMul", "BatchMatMulV2", "Conv2D", "Conv2DBackpropInput",
           "Conv2DBackpropFilter")
# op type -> (input positions of type T, output positions of type T); "all": every input
FOLLOW = {
    "Relu": ((0,), (0,)), "Relu6": ((0,), (0,)), "Elu": ((0,), (0,)),
    "ReluGrad": ((0, 1), (0,)), "Relu6Grad": ((0, 1), (0,)), "EluGrad": ((0, 1), (0,)),
    "Add": ((0, 1), (0,)), "AddV2": ((0, 1), (0,)), "AddN": ("all", (0,)),
    "BiasAdd": ((0, 1), (0,)), "MaxPool": ((0,), (0,)), "MaxPoolGrad": ((0, 1, 2), (0,)),
    "FusedBatchNormV3": ((0,), (0,)), "FusedBatchNormGradV3": ((0, 1), (0,)),
}
_ON = (1, 3)  # RewriterConfig.ON, AGGRESSIVE
_STATE = {"graph_rewrite": False}


def graph_rewrite_enabled():
    """Whether `enable_mixed_precision_graph_rewrite` is in force for new sessions."""
    return _STATE["graph_rewrite"]


def set_graph_rewrite_enabled(flag):
    _STATE["graph_rewrite"] = bool(flag)


def _switches(config):
    """(rewrite on GPUs, emulate on CPUs) under `config`."""
    gpu = os.environ.get("TF_ENABLE_AUTO_MIXED_PRECISION", "") not in ("", "0")
    cpu = False
    if config is not None:
        rw = config.graph_options.rewrite_options
        gpu = gpu or rw.auto_mixed_precision in _ON
        if rw.auto_mixed_precision == 2:  # OFF wins over the environment, as in TF
            gpu = False
        cpu = rw.auto_mixed_precision_cpu in _ON
    return gpu, cpu


def _eligible(op, plan, fed):
    if op.type not in ALLOWED or any(t in fed for t in op._outputs):
        return False
    floats = [plan.resolve(t).dtype.base_dtype for t in op.inputs
              if plan.resolve(t).dtype.base_dtype.is_floating]
    return bool(floats) and all(d == dtypes.float32 for d in floats)


def rewrite(plan, config=None):
    """Returns `plan` with allowed ops computing in float16 (see the module docstring)."""
    on_gpu, on_cpu = _switches(config)
    if not (on_gpu or on_cpu):
        return plan
    fed = set(plan.feeds)
    devices = dict(plan.devices)
    aliases = dict(plan.aliases)
    constants = dict(plan.constants)
    half = {}  # (float32 tensor, device) -> its float16 value (a Cast, or a rewritten output)
    rounded = {}  # (float32 tensor, device) -> it rounded to float16 and back (emulation)
    ops = []
    changed = False

    def resolve(t):
        while t in aliases:
            t = aliases[t]
        return t

    def cast(like, name, x, dst, device):
        c = plan_ops.new_op(like, name, "Cast", [x], {"SrcT": x.dtype.base_dtype, "DstT": dst,
                                                      "Truncate": False}, device)
        if x in constants:  # a folded constant: cast it now, once
            with np.errstate(over="ignore"):
                value = np.asarray(constants[x]).astype(dst.as_numpy_dtype)
            value.setflags(write=False)
            constants[c._outputs[0]] = value
        else:
            devices[c] = device
            ops.append(c)
        return c._outputs[0]

    for op in plan.ops:
        device = devices.get(op, "")
        gpu = "/device:GPU:" in device
        if gpu and on_gpu and op.type in FOLLOW:
            if _follow(op, device, plan, fed, resolve, half, ops, devices, aliases, cast):
                changed = True
                continue
        if not (on_gpu if gpu else on_cpu) or not _eligible(op, plan, fed):
            ops.append(op)
            continue
        changed = True
        inputs = []
        for i, t in enumerate(op.inputs):
            r = resolve(t)
            if r.dtype.base_dtype != dtypes.float32:
                inputs.append(r)
                continue
            memo = half if gpu else rounded
            if (r, device) not in memo:
                h = cast(op, "%s-%d-CastToFp16-AutoMixedPrecision" % (op.name, i), r,
                         dtypes.float16, device)
                memo[(r, device)] = h if gpu else cast(
                    op, "%s-%d-CastToFp32-AutoMixedPrecision" % (op.name, i), h,
                    dtypes.float32, device)
            inputs.append(memo[(r, device)])
        attrs = dict(op._attrs)
        if gpu and "T" in attrs:
            attrs["T"] = dtypes.float16
        clone = plan_ops.new_op(op, op.name, op.type, inputs, attrs, device)
        devices[clone] = device
        ops.append(clone)
        out = clone._outputs[0]
        if gpu:
            back = cast(op, "%s-0-CastToFp32-AutoMixedPrecision" % op.name, out,
                        dtypes.float32, device)
            half[(back, device)] = out
        else:
            h = cast(op, "%s-0-CastToFp16-AutoMixedPrecision" % op.name, out, dtypes.float16,
                     device)
            back = cast(op, "%s-0-CastToFp32-AutoMixedPrecision" % op.name, h, dtypes.float32,
                        device)
            rounded[(back, device)] = back
        aliases[op._outputs[0]] = back
    if not changed:
        return plan
    return plan.replace(ops=ops, devices=devices, aliases=aliases, constants=constants)


def _follow(op, device, plan, fed, resolve, half, ops, devices, aliases, cast):
    """Rewrites a FOLLOW op on a GPU to float16 when one of its T inputs has a float16 value.

    Returns whether it did (the clone and its casts are appended to `ops`).
    """
    t_in, t_out = FOLLOW[op.type]
    if t_in == "all":
        t_in = tuple(range(len(op.inputs)))
    if any(t in fed for t in op._outputs):
        return False
    ins = [resolve(t) for t in op.inputs]
    if any(i >= len(ins) or ins[i].dtype.base_dtype != dtypes.float32 for i in t_in):
        return False
    if not any((ins[i], device) in half for i in t_in):
        return False
    inputs = list(ins)
    for i in t_in:
        key = (ins[i], device)
        if key not in half:
            half[key] = cast(op, "%s-%d-CastToFp16-AutoMixedPrecision" % (op.name, i), ins[i],
                             dtypes.float16, device)
        inputs[i] = half[key]
    attrs = dict(op._attrs)
    if "T" in attrs:
        attrs["T"] = dtypes.float16
    clone = plan_ops.new_op(op, op.name, op.type, inputs, attrs, device)
    devices[clone] = device
    ops.append(clone)
    for j, (orig, out) in enumerate(zip(op._outputs, clone._outputs)):
        if j in t_out:
            back = cast(op, "%s-%d-CastToFp32-AutoMixedPrecision" % (op.name, j), out,
                        dtypes.float32, device)
            half[(back, device)] = out
            aliases[orig] = back
        else:
            aliases[orig] = out
    return True

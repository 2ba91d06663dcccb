"""Layout choice: channels-first (NCHW) spatial ops on CPUs run channels-last (NHWC).

TF1 code written for GPUs often uses `data_format="NCHW"` (`channels_first`). oneDNN's CPU
kernels are fastest with channels-last memory, and channels-first memory made the deck's CNN
train about 2x slower. TF's Grappler layout optimizer makes this conversion on CPUs only when
asked (`rewrite_options.cpu_layout_conversion = NCHW_TO_NHWC`; its default is no conversion on
CPUs); tensorflux makes it by default, since the values do not change.

Algorithm: every op of `_OPS` placed on a CPU with a channels-first `data_format` ("NCHW",
"NCDHW") and inputs of known rank is replaced by a plan-local copy with the channels-last
format: its `strides`, `ksize`, `dilations` and `explicit_paddings` attrs are permuted, each
activation input goes through a `_Layout` op that views it channels-last, each shape-vector
input (`input_sizes`, `orig_input_shape`) through one that permutes its entries, and each
activation output through one that views it channels-first again; the original output becomes
an alias of that view. A channels-last view of a channels-first view is the original tensor, so
between two converted ops (conv → bias → pool → conv, and their gradients) the tensor stays
channels-last and no copy is made. Elementwise ops (`_ELEMENTWISE`: activations, their
gradients, residual sums) whose inputs are all such views of same-shaped tensors run on the
channels-last tensors too, so the fusion pass still finds conv → bias → activation chains.
`_Layout` ops are views on the numpy backend (np.transpose) and transposes on XLA. Other ops
(elementwise math, reshapes) read the channels-first views as they are: numpy keeps the
channels-last memory of a view through elementwise ops.

Safety: the replacement computes the same values (only where the channels axis lies
changes); an op with control edges, a fed output, or an activation input of unknown rank is
left as it is. A fetched output is fetched through its channels-first view.
"""

from tensorflux.backends.numpy import pool_ops
from tensorflux.ops import fused_ops  # noqa: F401 - registers _Layout
from tensorflux.passes import plan_ops

# op type -> (activation inputs, shape-vector inputs, activation outputs)
_OPS = {
    "Conv2D": ((0,), (), (0,)), "Conv3D": ((0,), (), (0,)),
    "Conv2DBackpropInput": ((2,), (0,), (0,)), "Conv3DBackpropInputV2": ((2,), (0,), (0,)),
    "Conv2DBackpropFilter": ((0, 2), (), ()), "Conv3DBackpropFilterV2": ((0, 2), (), ()),
    "DepthwiseConv2dNative": ((0,), (), (0,)),
    "DepthwiseConv2dNativeBackpropInput": ((2,), (0,), (0,)),
    "DepthwiseConv2dNativeBackpropFilter": ((0, 2), (), ()),
    "MaxPool": ((0,), (), (0,)), "MaxPool3D": ((0,), (), (0,)),
    "AvgPool": ((0,), (), (0,)), "AvgPool3D": ((0,), (), (0,)),
    "MaxPoolGrad": ((0, 1, 2), (), (0,)), "MaxPool3DGrad": ((0, 1, 2), (), (0,)),
    "AvgPoolGrad": ((1,), (0,), (0,)), "AvgPool3DGrad": ((1,), (0,), (0,)),
    "BiasAdd": ((0,), (), (0,)), "BiasAddGrad": ((0,), (), ()),
    "FusedBatchNormV3": ((0,), (), (0,)), "FusedBatchNormGradV3": ((0, 1), (), (0,)),
}
# Elementwise ops with no layout: when every input is one of our channels-first views, they
# run on the channels-last tensors (so a conv → bias → relu chain can still be fused).
_ELEMENTWISE = frozenset(("Relu", "Relu6", "Elu", "Selu", "Tanh", "Sigmoid", "LeakyRelu",
                          "Softplus", "ReluGrad", "Relu6Grad", "EluGrad", "SeluGrad",
                          "LeakyReluGrad", "Add", "AddV2"))
_LAST = {"NCHW": "NHWC", "NCDHW": "NDHWC"}
_PER_AXIS = ("strides", "ksize", "dilations")


def to_last(rank):
    """The permutation that views a channels-first tensor of `rank` channels-last."""
    return (0,) + tuple(range(2, rank)) + (1,)


def to_first(rank):
    return (0, rank - 1) + tuple(range(1, rank - 1))


def _fmt(op):
    return _fmt_value(op._attrs) if "data_format" in op._attrs else "NHWC"


def _convertible(op, plan, fed):
    if op.type not in _OPS or _fmt(op) not in _LAST or op._control_inputs or \
            op._control_outputs or "/device:GPU:" in plan.devices.get(op, ""):
        return False
    acts, _, outs = _OPS[op.type]
    rank = len(_fmt(op))
    if any(plan.resolve(op.inputs[i]).shape.ndims != rank for i in acts):
        return False
    return not any(t in fed for t in op.outputs)


def _permuted_attrs(attrs, rank):
    perm = to_last(rank)
    out = dict(attrs)
    out["data_format"] = _LAST[_fmt_value(attrs)].encode()
    for k in _PER_AXIS:
        v = attrs.get(k)
        if v is not None and len(v) == rank:
            out[k] = [v[p] for p in perm]
    pads = attrs.get("explicit_paddings")
    if pads and len(pads) == 2 * rank:
        out["explicit_paddings"] = [x for p in perm for x in pads[2 * p:2 * p + 2]]
    return out


def _place(devices, op, device):
    if device is not None:  # plans made inside cond branches carry no placement
        devices[op] = device


def _fmt_value(attrs):
    f = attrs["data_format"]
    return f.decode() if isinstance(f, bytes) else f


def _layout_op(like, t, perm, vector, name):
    """A `_Layout` op viewing `t` with its axes (or, for a shape vector, entries) permuted."""
    return plan_ops.new_op(like, name, "_Layout", [t], {"perm": tuple(perm), "vector": vector},
                           like.device)


def choose(plan, config=None):
    """Returns `plan` with channels-first CPU spatial ops running channels-last."""
    fed = set(plan.feeds)
    aliases = dict(plan.aliases)
    devices = dict(plan.devices)
    made = {}  # output of a channels-first view we made -> the channels-last tensor it views
    viewed = {}  # tensor -> our channels-last view of it
    ops = []
    changed = False

    def resolve(t):
        while t in aliases:
            t = aliases[t]
        return t

    for op in plan.ops:
        if op.type in _ELEMENTWISE and not (op._control_inputs or op._control_outputs) and \
                all(resolve(t) in made and t.shape == op.outputs[0].shape for t in op.inputs) \
                and not any(t in fed for t in op.outputs):
            acts, vecs, outs = tuple(range(len(op.inputs))), (), (0,)
            rank = op.outputs[0].shape.ndims
            attrs = dict(op._attrs)
        elif _convertible(op, plan, fed):
            acts, vecs, outs = _OPS[op.type]
            rank = len(_fmt(op))
            attrs = _permuted_attrs(op._attrs, rank)
            if op.type in ("MaxPool", "MaxPool3D") and pool_ops.has_max_pool_grad(op):
                attrs["_with_grad"] = True  # its gradient reuses the forward pass's argmax
        else:
            ops.append(op)
            continue
        changed = True
        device = plan.devices.get(op)
        inputs = []
        for i, t in enumerate(op.inputs):
            t = resolve(t)
            if i in acts:
                if t in made:
                    t = made[t]
                elif t in viewed:  # one view per tensor: kernels may match inputs by identity
                    t = viewed[t]
                else:
                    view = _layout_op(op, t, to_last(rank), False,
                                      "%s/to_last_%d" % (op.name, i))
                    ops.append(view)
                    _place(devices, view, device)
                    viewed[t] = t = view.outputs[0]
            elif i in vecs:
                view = _layout_op(op, t, to_last(rank), True,
                                  "%s/sizes_to_last_%d" % (op.name, i))
                ops.append(view)
                _place(devices, view, device)
                t = view.outputs[0]
            inputs.append(t)
        new = plan_ops.new_op(op, op.name + "/channels_last", op.type, inputs, attrs, op.device)
        ops.append(new)
        _place(devices, new, device)
        for k, t in enumerate(op.outputs):
            if k in outs:
                back = _layout_op(op, new.outputs[k], to_first(rank), False,
                                  "%s/to_first_%d" % (op.name, k))
                ops.append(back)
                _place(devices, back, device)
                made[back.outputs[0]] = new.outputs[k]
                aliases[t] = back.outputs[0]
            else:
                aliases[t] = new.outputs[k]
    if not changed:
        return plan
    read = {resolve(t) for op in ops for t in op.inputs} | {resolve(t) for t in plan.fetches}
    ops = [op for op in ops if op.type != "_Layout" or op.outputs[0] in read]
    return plan.replace(ops=ops, aliases=aliases, devices=devices)

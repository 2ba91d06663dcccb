"""numpy kernels for plan-local fused ops (ops/fused_ops.py): conv + bias + activation in place,
conv + inference batch norm (folded into the weights) + residual + ReLU or Relu6, and training-mode
batch norm + ReLU with its gradient (one oneDNN pass each way)."""

import weakref

import numpy as np

from tensorflux.backends import onednn
from tensorflux.backends.numpy import conv_ops, interpreter, linalg_ops, nn_ops, norm_ops
from tensorflux.ops.registry import kernel

_IN_PLACE = {
    "Relu": nn_ops.relu_in_place,  # threaded for large arrays
    "Relu6": lambda y: np.clip(y, 0, 6, out=y),
    "Tanh": lambda y: np.tanh(y, out=y),
}
# Activations oneDNN applies as a post-op of the convolution: the `relu` argument of the fast
# kernels (True: ReLU; a number: also clipped above, Relu6).
_POST_OPS = {"Relu": True, "Relu6": 6.0}


# Fast paths (oneDNN) computing conv/matmul + bias in one primitive: builder(conv, bias) -> run.
_FAST_BIAS = {"Conv2D": conv_ops.fused_bias_kernel, "Conv3D": conv_ops.fused_bias_kernel,
              "MatMul": linalg_ops.fused_bias_kernel}


@kernel("_FusedConv")
def _fused_conv(op):
    conv, bias, act = op._attrs["parts"]
    conv_fn = conv.op_def.kernels["numpy"](conv)
    bias_fn = bias.op_def.kernels["numpy"](bias)
    act_fn = act.op_def.kernels["numpy"](act) if act is not None else None
    n = len(conv.inputs)
    bias_first = bias.type != "BiasAdd" and bias.inputs[0] is not conv.outputs[0]
    fmt = bias._attrs.get("data_format", b"NHWC")
    fmt = fmt.decode() if isinstance(fmt, bytes) else fmt
    last_axis = bias.type != "BiasAdd" or not fmt.startswith("NC")
    fast = _FAST_BIAS[conv.type](conv, bias) if conv.type in _FAST_BIAS else None
    # a convolution followed by ReLU: oneDNN's ReLU post-op when nothing can hold NaN (as in
    # _FusedConvBN below)
    post_relu = (fast is not None and act is not None and act.type in _POST_OPS
                 and conv.type in ("Conv2D", "Conv3D"))

    def run(*args):
        if post_relu and _nan_free(args[0]) and _all_finite(*args[1:n + 1]):
            y = fast(*args, relu=_POST_OPS[act.type])
            if y is not None:
                if y.flags.owndata:
                    _seal(y)
                return y
        y = fast(*args) if fast is not None else None  # oneDNN: bias inside the product
        if y is not None:
            owned = True
        else:
            y = conv_fn(*args[:n])
            b = args[n]
            owned = isinstance(y, np.ndarray) and y.flags.writeable and y.flags.c_contiguous
            if owned and last_axis and b.dtype == y.dtype:
                np.add(y, b, out=y)
            else:
                y = bias_fn(b, y) if bias_first else bias_fn(y, b)
                owned = False
        if act_fn is not None:
            if owned and act.type in _IN_PLACE:
                _IN_PLACE[act.type](y)
            else:
                y = act_fn(y)
        return y
    return run


# Outputs of the ReLU post-op, which holds no NaN by construction: sealed read-only (so no
# kernel rewrites them in place) and known here by identity, so their consumers skip the
# finiteness check of their inputs. (Where overflowing activations make +inf meet -inf inside
# a product, the post-op still turns that NaN into 0.)
_NAN_FREE = weakref.WeakValueDictionary()


def _seal(y):
    y.setflags(write=False)
    _NAN_FREE[id(y)] = y


def _nan_free(a):
    """Whether `a` holds no NaN: a sealed post-op output, or an array whose sum is finite (one
    read-only pass; finite values sum to a finite number unless it overflows)."""
    return (_NAN_FREE.get(id(a)) is a and not a.flags.writeable) or _all_finite(a)


def _all_finite(*arrays):
    """Every element of every array finite (see `_nan_free` for the one pass each takes)."""
    return all(bool(np.isfinite(np.add.reduce(a, axis=None))) for a in arrays)


class _FoldCache:
    """The folded (weights, bias) of one `_FusedConvBN`, kept while its inputs are the same
    arrays and no variable of any session changed since (`variables_generation`)."""

    __slots__ = ("key", "value", "finite", "depthwise")

    def __init__(self, depthwise=False):
        self.key = None  # (generation, the input arrays themselves)
        self.value = None
        self.finite = False  # the folded weights and bias hold no NaN or infinity
        self.depthwise = depthwise

    def out_axes(self, w):
        """The shape that lays per-output-channel values over the filter's output axes."""
        return w.shape[-2:] if self.depthwise else w.shape[-1:]

    def get(self, eps, w, scale, offset, mean, var):
        arrays = (w, scale, offset, mean, var)
        gen = interpreter.variables_generation()
        key = self.key
        if key is not None and key[0] == gen and all(a is b for a, b in zip(key[1], arrays)):
            return self.value
        s = np.asarray(scale, np.float32) / np.sqrt(np.asarray(var, np.float32) + np.float32(eps))
        # output channel o of a depthwise [*K, C, M] filter is (c, m) = divmod(o, M)
        w2 = (w * s.astype(w.dtype, copy=False).reshape(self.out_axes(w))).astype(
            w.dtype, copy=False)
        b2 = (np.asarray(offset, np.float32) - np.asarray(mean, np.float32) * s).astype(
            w.dtype, copy=False)
        w2.setflags(write=False)  # nothing writes it: oneDNN may keep its reordered copy
        b2.setflags(write=False)
        self.key, self.value = (gen, arrays), (w2, b2)
        self.finite = _all_finite(w2, b2)
        return w2, b2


@kernel("_FusedConvBN")
def _fused_conv_bn(op):
    conv, bn, add, act = op._attrs["parts"]
    eps = bn._attrs["epsilon"]
    conv_fn = conv.op_def.kernels["numpy"](conv)
    fast = conv_ops.fused_bias_kernel(conv)
    relu = _POST_OPS[act.type] if act is not None else False
    in_place = _IN_PLACE[act.type] if act is not None else None
    cache = _FoldCache(depthwise=conv.type == "DepthwiseConv2dNative")

    def run(x, w, scale, offset, mean, var, *residual, into_residual=False):
        r = residual[0] if residual else None
        w2, b2 = cache.get(eps, w, scale, offset, mean, var)
        if fast is not None:
            # oneDNN's ReLU post-op turns NaN into 0 where TF's Relu keeps it: it is used
            # only when no input can hold NaN (see _NAN_FREE), else a numpy pass does the ReLU
            post = relu and cache.finite and _nan_free(x) and (r is None or _nan_free(r))
            if into_residual and not r.flags.writeable:  # ours alone now (the interpreter)
                _NAN_FREE.pop(id(r), None)
                r.setflags(write=True)
            y = fast(x, w2, b2, r, relu if post else False, into_residual)
            if y is not None:
                if post:
                    _seal(y)
                elif relu:
                    in_place(y)
                return y
        y = conv_fn(x, w2)
        if not (isinstance(y, np.ndarray) and y.flags.writeable and y.flags.c_contiguous):
            y = np.array(y)
        np.add(y, b2, out=y)
        if r is not None:
            np.add(y, r, out=y)
        if relu:
            in_place(y)
        return y

    if add is not None:  # the residual's buffer, when it dies here, takes the result
        run.donatable = (6,)
        run.donated = lambda *args: run(*args, into_residual=True)
        run.donates_sealed = True
    return run


@kernel("_MaskedMaxPoolGrad")
def _masked_max_pool_grad(op):
    mpg, _ = op._attrs["parts"]
    mpg_fn = mpg.op_def.kernels["numpy"](mpg)

    def run(t, p, g):
        # TF's ReluGrad multiplies by the mask (a NaN gradient stays NaN)
        return mpg_fn(t, p, g * np.greater(p, 0).astype(g.dtype))
    return run


@kernel("_Layout")
def _layout(op):
    perm = list(op._attrs["perm"])
    if op._attrs["vector"]:
        return lambda x: np.asarray(x)[perm]
    return lambda x: np.transpose(x, perm)


# _FusedBatchNormRelu op -> (weak ref to its x, weak ref to its output, oneDNN's ReLU record)
# of its last run: the gradient op, given these very arrays, applies the ReLU's gradient from
# the record. Weak references keep nothing alive, and a stale entry cannot match.
_RELU_RECORDS = weakref.WeakKeyDictionary()


@kernel("_FusedBatchNormRelu")
def _fused_batch_norm_relu(op):
    bn, relu = op._attrs["parts"]
    bn_fn = bn.op_def.kernels["numpy"](bn)
    relu_fn = relu.op_def.kernels["numpy"](relu)
    eps = bn._attrs["epsilon"]
    factor = bn._attrs.get("exponential_avg_factor", 1.0)
    rt = onednn.runtime()

    def run(x, scale, offset, mean, var):
        c = x.shape[-1] if x.ndim else 0
        fast = None
        if rt is not None and scale.shape == (c,) and offset.shape == (c,):
            fast = norm_ops.fast_batch_norm_training(rt, x, scale, offset, eps, False, True)
        # Finite statistics and parameters mean no NaN reached the ReLU (oneDNN's ReLU would
        # make it 0, TF's keeps it): otherwise the plain kernels decide.
        if fast is not None and _all_finite(fast[1], fast[2], scale, offset):
            y, bmean, bvar, record = fast
            _RELU_RECORDS[op] = (weakref.ref(x), weakref.ref(y), record)
            return (y,) + norm_ops.training_stats(bmean, bvar, x.size // max(c, 1), mean, var,
                                                  factor, scale.dtype)
        outs = bn_fn(x, scale, offset, mean, var)
        return (relu_fn(outs[0]),) + tuple(outs[1:])
    return run


@kernel("_FusedBatchNormReluGrad")
def _fused_batch_norm_relu_grad(op):
    rg, bng = op._attrs["parts"]
    forward = op._attrs["forward"]
    rg_fn = rg.op_def.kernels["numpy"](rg)
    bng_fn = bng.op_def.kernels["numpy"](bng)
    eps = bng._attrs["epsilon"]
    rt = onednn.runtime()

    def run(g, y, x, scale, r1, r2, r3):
        entry = _RELU_RECORDS.get(forward)
        if entry is not None and entry[0]() is x and entry[1]() is y:
            fast = norm_ops.fast_batch_norm_grad(rt, g, x, scale, r1, r2, eps, False, entry[2])
            if fast is not None:
                u = scale.dtype
                return (fast[0], fast[1].astype(u, copy=False), fast[2].astype(u, copy=False),
                        np.zeros([0], u), np.zeros([0], u))
        return bng_fn(rg_fn(g, y), x, scale, r1, r2, r3)
    return run

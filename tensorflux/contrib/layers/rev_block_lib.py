"""Reversible residual blocks (`rev_block`, `RevBlock`; Gomez et al. 2017) and the
`recompute_grad` decorator.

A reversible layer computes `y1 = x1 + f(x2)`, `y2 = x2 + g(y1)`; its inputs can be rebuilt
from its outputs (`x2 = y2 - g(y1)`, `x1 = y1 - f(x2)`), so the efficient gradient (a
`custom_gradient`) recomputes each layer's activations from the block's outputs, walking the
layers backwards, instead of keeping them. `recompute_grad` likewise reruns a function's
forward pass inside its gradient. Both give the same gradients as the plain graph.

Example:
    >>> y1, y2 = tf.contrib.layers.rev_block(x1, x2, f, g, num_layers=3)
    >>> @tf.contrib.layers.recompute_grad
    ... def block(x):
    ...     return tf.layers.dense(x, 8, name="d")
"""

import functools
import inspect
import re

import numpy as np

import tensorflux as tf
from tensorflux import variable_scope as vs
from tensorflux.contrib.framework.arg_scope import arg_scope, current_arg_scope
from tensorflux.graph.tensor import Tensor
from tensorflux.layers import base
from tensorflux.ops.custom_gradient import custom_gradient
from tensorflux.platform import tf_logging as logging
from tensorflux.util import nest

__all__ = ["rev_block", "RevBlock", "recompute_grad"]

LAYER_RE = re.compile(".*revlayer_([0-9]*)/([fg])/.*")
_USE_DEFAULT = "__rev_block_lib_default"
_WRONG_VARS_ERR = """\
The variables used on recompute were different than the variables originally
used. The function wrapped with @recompute_grad likley creates its own variable
scope with a default name and has been called twice in the same enclosing scope.
To fix, ensure each call to the function happens in its own unique variable
scope.
"""


def _acc_grads(*lists_of_grads):
    """Element-wise sums of lists of gradients (None where all are None)."""
    acc_grads = []
    for grads in zip(*lists_of_grads):
        grads = [g for g in grads if g is not None]
        acc_grads.append(tf.add_n(grads) if grads else None)
    return acc_grads


def _rev_layer_forward(xs, f, g, f_side_input, g_side_input, gate_outputs=False):
    """Forward of one reversible layer."""
    x1, x2 = xs
    y1 = x1 + (f(x2, f_side_input) if f_side_input else f(x2))
    y2 = x2 + (g(y1, g_side_input) if g_side_input else g(y1))
    if gate_outputs:
        return tf.tuple([y1, y2])
    return (y1, y2)


def _rev_layer_backward(ys, grad_ys, f, g, f_vars, f_side_input, g_vars, g_side_input):
    """Rebuilds one layer's inputs from its outputs and backpropagates through it."""
    y1, y2 = ys
    grad_y1, grad_y2 = grad_ys
    # stop_gradient keeps tf.gradients below from recursing into this gradient function.
    y1_stop = tf.stop_gradient(y1)
    g_side_input = [tf.stop_gradient(t) for t in g_side_input]
    gy1 = g(y1_stop, g_side_input) if g_side_input else g(y1_stop)
    x2 = y2 - gy1
    x2_stop = tf.stop_gradient(x2)
    f_side_input = [tf.stop_gradient(t) for t in f_side_input]
    fx2 = f(x2_stop, f_side_input) if f_side_input else f(x2_stop)
    x1 = y1 - fx2
    grad_gy1_y2 = tf.gradients(gy1, y1_stop, grad_y2)[0]
    grad_x1 = grad_y1 + grad_gy1_y2
    grad_x2 = (tf.gradients(fx2, x2_stop, grad_y1)[0] + grad_y2
               + tf.gradients(fx2, x2_stop, grad_gy1_y2)[0])
    grads1 = tf.gradients(gy1, g_vars + g_side_input, grad_y2)
    grad_g_vars, grad_g_side = grads1[:len(g_vars)], grads1[len(g_vars):]
    grads2 = tf.gradients(fx2, f_vars + f_side_input, grad_y1)
    grad_f_y1, grad_f_side1 = grads2[:len(f_vars)], grads2[len(f_vars):]
    grads3 = tf.gradients(fx2, f_vars + f_side_input, grad_gy1_y2)
    grad_f_y2, grad_f_side2 = grads3[:len(f_vars)], grads3[len(f_vars):]
    grad_f_vars = _acc_grads(grad_f_y1, grad_f_y2)
    grad_f_side = _acc_grads(grad_f_side1, grad_f_side2)
    outputs = ((x1, x2), (grad_x1, grad_x2), (grad_f_vars, grad_f_side),
               (grad_g_vars, grad_g_side))
    flat = nest.flatten(outputs)
    present = [t for t in flat if t is not None]
    tupled = iter(tf.tuple(present))
    return nest.pack_sequence_as(outputs, [None if t is None else next(tupled) for t in flat])


def _rev_block_forward(x1, x2, f, g, num_layers=1, f_side_input=None, g_side_input=None,
                       gate_outputs=False):
    """Forward through `num_layers` reversible layers."""
    out = (x1, x2)
    for i in range(num_layers):
        out = _rev_layer_forward(out, f[i], g[i], f_side_input, g_side_input,
                                 gate_outputs=gate_outputs)
    y1, y2 = out
    return y1, y2


def _scope_wrap(fn, scope):
    @functools.wraps(fn)
    def wrap(*args, **kwargs):
        with vs.variable_scope(scope, use_resource=True):
            return fn(*args, **kwargs)

    return wrap


class RevBlock(base.Layer):
    """A block of reversible residual layers; see `rev_block`.

    `forward(x1, x2)` runs the block, `backward(y1, y2)` inverts it (reusing the variables).
    """

    def __init__(self, f, g, num_layers=1, f_side_input=None, g_side_input=None,
                 use_efficient_backprop=True, name="revblock", **kwargs):
        super().__init__(name=name, **kwargs)
        if isinstance(f, list):
            assert len(f) == num_layers
        else:
            f = [f] * num_layers
        if isinstance(g, list):
            assert len(g) == num_layers
        else:
            g = [g] * num_layers
        self.f = [_scope_wrap(fn, "revlayer_%d/f" % i) for i, fn in enumerate(f)]
        self.g = [_scope_wrap(fn, "revlayer_%d/g" % i) for i, fn in enumerate(g)]
        self.num_layers = num_layers
        self.f_side_input = f_side_input or []
        self.g_side_input = g_side_input or []
        self._use_efficient_backprop = use_efficient_backprop

    def call(self, inputs, forward=True):
        before = set(id(v) for v in tf.global_variables())
        if forward:
            x1, x2 = inputs
            out = self._forward(x1, x2)
        else:
            y1, y2 = inputs
            out = self._backward(y1, y2)
        trainable = set(id(v) for v in tf.trainable_variables())
        for new_var in tf.global_variables():
            if id(new_var) in before:
                continue
            if id(new_var) in trainable:
                self._trainable_weights.append(new_var)
            else:
                self._non_trainable_weights.append(new_var)
        return out

    def forward(self, x1, x2):
        return self.apply([x1, x2])

    def backward(self, y1, y2):
        return self.apply([y1, y2], forward=False)

    def build(self, _):
        logging.warn("RevBlock constructs its variables on first call, not on build.")
        self.built = True

    def _make_efficient_grad_fn(self, inputs_, ys_):
        def _efficient_grad_fn(*grad_ys, **kwargs):
            """Gradient of the block: rebuild and backpropagate layer by layer."""
            inputs = inputs_
            ys = ys_
            variables = kwargs.get("variables") or []
            side_inputs = inputs[2:]
            assert len(side_inputs) == len(self.f_side_input) + len(self.g_side_input)
            # The side inputs were passed in order: f's, then g's.
            n_f = len(self.f_side_input)
            f_side_idxs = list(range(n_f))
            g_side_idxs = list(range(n_f, len(side_inputs)))
            f_vars = [[] for _ in range(self.num_layers)]
            g_vars = [[] for _ in range(self.num_layers)]
            f_vars_idxs = [[] for _ in range(self.num_layers)]
            g_vars_idxs = [[] for _ in range(self.num_layers)]
            for i, ref in enumerate(variables):
                match = LAYER_RE.match(ref.name)
                layer_no = int(match.group(1))
                if match.group(2) == "f":
                    f_vars[layer_no].append(ref)
                    f_vars_idxs[layer_no].append(i)
                else:
                    g_vars[layer_no].append(ref)
                    g_vars_idxs[layer_no].append(i)
            f_var_grads, g_var_grads, f_side_grads, g_side_grads = [], [], [], []
            f_vars.reverse()
            g_vars.reverse()
            f = list(self.f)
            g = list(self.g)
            f.reverse()
            g.reverse()
            with vs.variable_scope(self.scope_name, reuse=True):
                for i in range(self.num_layers):
                    ys, grad_ys, f_ret, g_ret = _rev_layer_backward(
                        ys, grad_ys, f[i], g[i], f_vars[i], list(self.f_side_input),
                        g_vars[i], list(self.g_side_input))
                    grad_f_vars, grad_f_side = f_ret
                    grad_g_vars, grad_g_side = g_ret
                    f_var_grads.append(grad_f_vars)
                    g_var_grads.append(grad_g_vars)
                    f_side_grads.append(grad_f_side)
                    g_side_grads.append(grad_g_side)
            acc_f_side_grads = _acc_grads(*f_side_grads)
            acc_g_side_grads = _acc_grads(*g_side_grads)
            side_input_grads = [None] * len(side_inputs)
            variable_grads = [None] * len(variables)
            f_var_grads.reverse()
            g_var_grads.reverse()
            for idxs, grads in (list(zip(f_vars_idxs, f_var_grads))
                                + list(zip(g_vars_idxs, g_var_grads))):
                for i, grad in zip(idxs, grads):
                    variable_grads[i] = grad
            for i, grad in zip(f_side_idxs, acc_f_side_grads):
                side_input_grads[i] = grad
            for i, grad in zip(g_side_idxs, acc_g_side_grads):
                side_input_grads[i] = grad
            grad_x1, grad_x2 = grad_ys
            return [grad_x1, grad_x2] + side_input_grads, variable_grads

        return _efficient_grad_fn

    def _forward(self, x1, x2):
        """Forward through the reversible layers (with the efficient gradient if asked)."""
        side_inputs = [list(self.f_side_input), list(self.g_side_input)]
        flat_side_inputs = nest.flatten(side_inputs)

        def _forward_wrap(x1_, x2_, *flat_side):
            f_side, g_side = nest.pack_sequence_as(side_inputs, list(flat_side))
            return _rev_block_forward(x1_, x2_, self.f, self.g, num_layers=self.num_layers,
                                      f_side_input=f_side, g_side_input=g_side,
                                      gate_outputs=self._use_efficient_backprop)

        @custom_gradient
        def _forward_with_custom_grad(*args):
            out = _forward_wrap(*args)
            return out, self._make_efficient_grad_fn(args, out)

        if self._use_efficient_backprop:
            return _forward_with_custom_grad(x1, x2, *flat_side_inputs)
        return _forward_wrap(x1, x2, *flat_side_inputs)

    def _backward(self, y1, y2):
        """Inverts the block: the `(x1, x2)` whose forward is `(y1, y2)`."""
        f = list(self.f)
        g = list(self.g)
        f.reverse()
        g.reverse()
        for i in range(self.num_layers):
            gy1 = g[i](y1, self.g_side_input) if self.g_side_input else g[i](y1)
            x2 = y2 - gy1
            fx2 = f[i](x2, self.f_side_input) if self.f_side_input else f[i](x2)
            x1 = y1 - fx2
            y1, y2 = x1, x2
        return x1, x2


def rev_block(x1, x2, f, g, num_layers=1, f_side_input=None, g_side_input=None,
              is_training=True):
    """A block of reversible residual layers `y1 = x1 + f(x2)`, `y2 = x2 + g(y1)`.

    Args:
        x1, x2: float tensors.
        f, g: functions `(Tensor) -> Tensor` of unchanged shape (or lists of `num_layers`
            of them); they may create variables (scoped `revblock/revlayer_<i>/f|g`), but
            must not close over tensors: pass those as `f_side_input`/`g_side_input` (then
            they are called as `f(x, side_inputs)`).
        num_layers: the number of layers, each with its own variables.
        is_training: use the memory-saving gradient.

    Returns:
        `(y1, y2)`.

    Example:
        >>> f = lambda x: tf.layers.dense(x, 8, name="d")
        >>> y1, y2 = rev_block(x1, x2, f, f, num_layers=2)
    """
    block = RevBlock(f=f, g=g, num_layers=num_layers, f_side_input=f_side_input,
                     g_side_input=g_side_input, use_efficient_backprop=is_training,
                     _reuse=vs.get_variable_scope().reuse)
    return block.forward(x1, x2)


def enable_with_args(dec):
    """Lets a decorator be used bare (`@dec`) or with arguments (`@dec(a=1)`)."""
    @functools.wraps(dec)
    def new_dec(*args, **kwargs):
        if len(args) == 1 and not kwargs and callable(args[0]):
            return dec(args[0])
        return lambda fn: dec(fn, *args, **kwargs)

    return new_dec


@enable_with_args
def recompute_grad(fn, use_data_dep=_USE_DEFAULT, tupleize_grads=False):
    """Decorator: `fn`'s activations are not kept for the gradient but recomputed in it.

    `fn` takes Tensors as positional arguments; if it accepts `is_recomputing`, it gets
    False on the forward pass and True on the recompute (to skip state updates). Variables
    it creates must get the same names on the recompute (call it in its own scope).

    Example:
        >>> @recompute_grad
        ... def layer(x):
        ...     return tf.nn.relu(tf.layers.dense(x, 16, name="d"))
    """
    @functools.wraps(fn)
    def wrapped(*args):
        return _recompute_grad(fn, args, use_data_dep=use_data_dep,
                               tupleize_grads=tupleize_grads)

    return wrapped


def _recompute_grad(fn, args, use_data_dep=_USE_DEFAULT, tupleize_grads=False):
    """See recompute_grad."""
    has_is_recompute_kwarg = "is_recomputing" in inspect.signature(fn).parameters
    for arg in args:
        if not isinstance(arg, Tensor):
            raise ValueError("All inputs to function must be Tensors")
    use_data_dep_ = False if use_data_dep == _USE_DEFAULT else use_data_dep

    @custom_gradient
    def fn_with_recompute(*args):
        scope = vs.get_variable_scope()
        saved_arg_scope = current_arg_scope()
        fn_kwargs = {"is_recomputing": False} if has_is_recompute_kwarg else {}
        outputs = fn(*args, **fn_kwargs)

        def grad_fn(*output_grads, **kwargs):
            variables = list(kwargs.get("variables") or [])
            inputs = list(args)
            with tf.control_dependencies(output_grads):
                if use_data_dep_:
                    inputs = _force_data_dependency(output_grads, inputs)
                with arg_scope(saved_arg_scope):
                    with vs.variable_scope(scope, reuse=True):
                        count = len(tf.global_variables())
                        fn_kwargs = {"is_recomputing": True} if has_is_recompute_kwarg else {}
                        outputs = fn(*inputs, **fn_kwargs)
                        if len(tf.global_variables()) != count:
                            raise ValueError(_WRONG_VARS_ERR)
            if not isinstance(outputs, (list, tuple)):
                outputs = [outputs]
            outputs = list(outputs)
            grads = tf.gradients(outputs, inputs + variables, list(output_grads))
            if tupleize_grads:
                if use_data_dep_:
                    grads = _tuple_with_data_dep(grads)
                else:
                    present = iter(tf.tuple([g for g in grads if g is not None]))
                    grads = [None if g is None else next(present) for g in grads]
            return grads[:len(inputs)], grads[len(inputs):]

        return outputs, grad_fn

    return fn_with_recompute(*args)


def _force_data_dependency(first_compute, then_compute):
    """`then_compute`, each plus a zero that depends on every tensor of `first_compute`."""
    def _first_element(x):
        if x.get_shape().ndims is None:
            raise ValueError("Rank of Tensor %s must be known" % x)
        ndims = x.get_shape().ndims
        begin = tf.convert_to_tensor([0] * ndims, dtype=tf.int32)
        size = tf.convert_to_tensor([1] * ndims, dtype=tf.int32)
        return tf.reshape(tf.slice(x, begin, size), [])

    first_compute_sum = tf.add_n([_first_element(x) for x in first_compute if x is not None])
    dtype = first_compute_sum.dtype
    if not dtype.is_floating:
        raise ValueError("_force_data_dependency only supports floating dtypes.")
    epsilon = np.finfo(dtype.as_numpy_dtype).tiny
    zero = tf.stop_gradient(epsilon * first_compute_sum)
    return [tf.identity(x) + zero if x is not None else None for x in then_compute]


def _tuple_with_data_dep(tensors):
    return _force_data_dependency(tensors, tensors)

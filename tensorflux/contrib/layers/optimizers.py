"""`tf.contrib.layers.optimize_loss`: a training op from a loss, a learning rate and an optimizer
given by name, class, instance or factory, with update ops, gradient noise, multipliers and
clipping.

Example:
    >>> train_op = tf.contrib.layers.optimize_loss(loss, tf.train.get_or_create_global_step(),
    ...                                            learning_rate=0.1, optimizer="Adam",
    ...                                            clip_gradients=5.0)
"""

from tensorflux import variable_scope as vs
from tensorflux import variables as variables_lib
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import (
    clip_ops,
    constant_op,
    control_flow_ops,
    init_ops,
    math_ops,
    random_ops,
)
from tensorflux.ops.indexed_slices import IndexedSlices
from tensorflux.train import adagrad, adam, ftrl, gradient_descent, momentum, rmsprop, training_util
from tensorflux.train.optimizer import Optimizer

OPTIMIZER_CLS_NAMES = {
    "Adagrad": adagrad.AdagradOptimizer,
    "Adam": adam.AdamOptimizer,
    "Ftrl": ftrl.FtrlOptimizer,
    "Momentum": lambda learning_rate: momentum.MomentumOptimizer(learning_rate, momentum=0.9),
    "RMSProp": rmsprop.RMSPropOptimizer,
    "SGD": gradient_descent.GradientDescentOptimizer,
}

OPTIMIZER_SUMMARIES = ["learning_rate", "loss", "gradients", "gradient_norm",
                       "global_gradient_norm"]


def _learning_rate(learning_rate):
    if learning_rate is None:
        return None
    if isinstance(learning_rate, Tensor) and learning_rate.get_shape().ndims == 0:
        return learning_rate
    if isinstance(learning_rate, float):
        if learning_rate < 0.0:
            raise ValueError("Invalid learning_rate %s." % learning_rate)
        return vs.get_variable("learning_rate", [], trainable=False,
                               initializer=init_ops.constant_initializer(learning_rate))
    raise ValueError("Learning rate should be 0d Tensor or float. Got %s of type %s"
                     % (str(learning_rate), str(type(learning_rate))))


def _make_optimizer(optimizer, lr, learning_rate):
    if isinstance(optimizer, str):
        if lr is None:
            raise ValueError("Learning rate is None, but should be specified if optimizer is "
                             "string (%s)." % optimizer)
        if optimizer not in OPTIMIZER_CLS_NAMES:
            raise ValueError("Optimizer name should be one of [%s], you provided %s."
                             % (", ".join(OPTIMIZER_CLS_NAMES), optimizer))
        return OPTIMIZER_CLS_NAMES[optimizer](learning_rate=lr)
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        if lr is None:
            raise ValueError("Learning rate is None, but should be specified if optimizer is "
                             "class (%s)." % optimizer)
        return optimizer(learning_rate=lr)
    if isinstance(optimizer, Optimizer):
        return optimizer
    if callable(optimizer):
        opt = optimizer(lr) if learning_rate is not None else optimizer()
        if not isinstance(opt, Optimizer):
            raise ValueError("Unrecognized optimizer: function should return subclass of "
                             "Optimizer. Got %s." % str(opt))
        return opt
    raise ValueError("Unrecognized optimizer: should be string, subclass of Optimizer, "
                     "instance of subclass of Optimizer or function with one argument. Got %s."
                     % str(optimizer))


def _add_scaled_noise_to_gradients(grads_and_vars, gradient_noise_scale):
    noisy = []
    for gradient, variable in grads_and_vars:
        if gradient is not None:
            shape = gradient.dense_shape if isinstance(gradient, IndexedSlices) \
                else gradient.get_shape()
            gradient = gradient + random_ops.truncated_normal(shape) * gradient_noise_scale
        noisy.append((gradient, variable))
    return noisy


def _multiply_gradients(grads_and_vars, gradient_multipliers):
    multiplied = []
    for grad, var in grads_and_vars:
        if grad is not None and (var in gradient_multipliers or var.name in gradient_multipliers):
            key = var if var in gradient_multipliers else var.name
            multiplier = gradient_multipliers[key]
            if isinstance(grad, IndexedSlices):
                grad = IndexedSlices(grad.values * multiplier, grad.indices, grad.dense_shape)
            else:
                grad *= math_ops.cast(multiplier, grad.dtype)
        multiplied.append((grad, var))
    return multiplied


def _clip_gradients_by_norm(grads_and_vars, clip_gradients):
    gradients, variables = zip(*grads_and_vars)
    clipped, _ = clip_ops.clip_by_global_norm(gradients, clip_gradients)
    return list(zip(clipped, variables))


def optimize_loss(loss, global_step, learning_rate, optimizer, gradient_noise_scale=None,
                  gradient_multipliers=None, clip_gradients=None, learning_rate_decay_fn=None,
                  update_ops=None, variables=None, name=None, summaries=None,
                  colocate_gradients_with_ops=False, increment_global_step=True):
    """Builds a training op that minimizes `loss` (in variable scope "OptimizeLoss").

    Args:
        loss: A scalar loss.
        global_step: Incremented by each step (None: the graph's global step, if any).
        learning_rate: A float (becomes the non-trainable variable `learning_rate`) or a
            scalar tensor; None when `optimizer` is an instance or a factory without arguments.
        optimizer: "SGD", "Adam", "Adagrad", "Ftrl", "Momentum", "RMSProp"; an Optimizer
            class, instance, or a function of the learning rate returning one.
        gradient_noise_scale: Adds truncated-normal noise of this scale to the gradients.
        gradient_multipliers: Dict from variable (or its name) to a gradient factor.
        clip_gradients: A float (clip by global norm) or a function of the gradient list.
        learning_rate_decay_fn: `fn(learning_rate, global_step)` giving the decayed rate.
        update_ops: Run before each step (default: `UPDATE_OPS`).
        variables: What to train (default: all trainable variables).
        name: The variable scope name.
        summaries: Names from `OPTIMIZER_SUMMARIES` (validated; tensorflux writes no
            summaries yet).
        colocate_gradients_with_ops: Passed to `compute_gradients`.
        increment_global_step: Whether the step increments `global_step`.

    Returns:
        A tensor whose value is the loss, computed after the update is applied.

    Raises:
        ValueError: For a bad learning rate, optimizer, summary name or `clip_gradients`, a
            decay function without a global step, or no gradients.
    """
    loss = constant_op.convert_to_tensor(loss)
    if loss.get_shape().ndims not in (None, 0):
        raise ValueError("Expected scalar shape for %s, saw shape: %s."
                         % (loss.name, loss.get_shape()))
    if global_step is None:
        global_step = training_util.get_global_step()
    else:
        training_util.assert_global_step(global_step)
    with vs.variable_scope(name, "OptimizeLoss", [loss, global_step]):
        if update_ops is None:
            update_ops = set(graph_lib.get_collection(GraphKeys.UPDATE_OPS))
        if update_ops:
            loss = control_flow_ops.with_dependencies(list(update_ops), loss)
        lr = _learning_rate(learning_rate)
        if summaries is not None:
            for summ in summaries:
                if summ not in OPTIMIZER_SUMMARIES:
                    raise ValueError("Summaries should be one of [%s], you provided %s."
                                     % (", ".join(OPTIMIZER_SUMMARIES), summ))
        if learning_rate is not None and learning_rate_decay_fn is not None:
            if global_step is None:
                raise ValueError("global_step is required for learning_rate_decay_fn.")
            lr = learning_rate_decay_fn(lr, global_step)
        opt = _make_optimizer(optimizer, lr, learning_rate)
        if variables is None:
            variables = variables_lib.trainable_variables()
        gradients = opt.compute_gradients(loss, variables,
                                          colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gradient_noise_scale is not None:
            gradients = _add_scaled_noise_to_gradients(gradients, gradient_noise_scale)
        if gradient_multipliers is not None:
            gradients = _multiply_gradients(gradients, gradient_multipliers)
            if not gradients:
                raise ValueError("Empty list of (gradient, var) pairs encountered. This is most "
                                 "likely to be caused by an improper value of "
                                 "gradient_multipliers.")
        if isinstance(clip_gradients, float):
            gradients = _clip_gradients_by_norm(gradients, clip_gradients)
        elif callable(clip_gradients):
            gradients = clip_gradients(gradients)
        elif clip_gradients is not None:
            raise ValueError("Unknown type %s for clip_gradients" % type(clip_gradients))
        grad_updates = opt.apply_gradients(
            gradients, global_step=global_step if increment_global_step else None,
            name="train")
        return control_flow_ops.with_dependencies([grad_updates], loss)

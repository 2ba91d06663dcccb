"""`tf.contrib.opt.ScipyOptimizerInterface`: minimizes a graph's loss with an external
optimizer (`scipy.optimize.minimize`, L-BFGS-B by default). The variables are packed into one
flat vector; each evaluation feeds that vector back into the variables and fetches the loss and
its packed gradient, and the optimum is assigned to the variables at the end.

Example:
    >>> opt = tf.contrib.opt.ScipyOptimizerInterface(loss, options={"maxiter": 100})
    >>> opt.minimize(sess, feed_dict={x: batch}, fetches=[loss], loss_callback=print)
"""

import numpy as np

from tensorflux import variables
from tensorflux.client import session as session_lib
from tensorflux.gradients import gradients as tf_gradients
from tensorflux.ops import array_ops, state_ops
from tensorflux.platform import tf_logging as logging


def _shape_tuple(tensor):
    return tuple(tensor.get_shape().as_list())


def _compute_gradients(tensor, var_list):
    grads = tf_gradients(tensor, var_list)
    # tf.gradients gives None for variables the tensor does not depend on: use zeros.
    return [array_ops.zeros_like(var) if grad is None else grad
            for var, grad in zip(var_list, grads)]


class ExternalOptimizerInterface:
    """Base class of the interfaces to external optimization algorithms: subclasses implement
    `_minimize(initial_val, loss_grad_func, equality_funcs, equality_grad_funcs,
    inequality_funcs, inequality_grad_funcs, packed_bounds, step_callback, optimizer_kwargs)`.

    `var_to_bounds` maps variables to `(low, high)`, each a number or an array broadcastable to
    the variable's shape (`-np.inf`/`np.inf` for no bound). The other keyword arguments go to the
    external optimizer.
    """

    def __init__(self, loss, var_list=None, equalities=None, inequalities=None,
                 var_to_bounds=None, **optimizer_kwargs):
        self._loss = loss
        self._equalities = equalities or []
        self._inequalities = inequalities or []
        self._vars = variables.trainable_variables() if var_list is None else list(var_list)
        if not self._vars:
            raise ValueError("No variables to optimize.")

        packed_bounds = None
        if var_to_bounds is not None:
            lows, highs = [], []
            for var in self._vars:
                low, high = var_to_bounds.get(var, (-np.inf, np.inf))
                shape = _shape_tuple(var)
                lows.extend(np.broadcast_to(low, shape).flat)
                highs.extend(np.broadcast_to(high, shape).flat)
            packed_bounds = list(zip(lows, highs))
        self._packed_bounds = packed_bounds

        self._update_placeholders = [array_ops.placeholder(var.dtype.base_dtype)
                                     for var in self._vars]
        self._var_updates = [
            state_ops.assign(var, array_ops.reshape(placeholder, _shape_tuple(var)))
            for var, placeholder in zip(self._vars, self._update_placeholders)]

        loss_grads = _compute_gradients(loss, self._vars)
        equality_grads = [_compute_gradients(e, self._vars) for e in self._equalities]
        inequality_grads = [_compute_gradients(i, self._vars) for i in self._inequalities]
        self.optimizer_kwargs = optimizer_kwargs

        self._packed_var = self._pack(self._vars)
        self._packed_loss_grad = self._pack(loss_grads)
        self._packed_equality_grads = [self._pack(g) for g in equality_grads]
        self._packed_inequality_grads = [self._pack(g) for g in inequality_grads]

        sizes = [int(np.prod(_shape_tuple(var))) for var in self._vars]
        ends = np.cumsum([0] + sizes)
        self._packing_slices = [slice(int(start), int(end))
                                for start, end in zip(ends[:-1], ends[1:])]

    def minimize(self, session=None, feed_dict=None, fetches=None, step_callback=None,
                 loss_callback=None, **run_kwargs):
        """Minimizes the loss in `session` (the default session if None) and assigns the
        optimum to the variables.

        `fetches` are evaluated with every loss evaluation and passed to
        `loss_callback(*fetch_values)`; `step_callback(packed_x)` is called once per
        iteration with the flat vector of all variables.
        """
        session = session or session_lib.get_default_session()
        feed_dict = feed_dict or {}
        fetches = fetches or []
        loss_callback = loss_callback or (lambda *fetches: None)
        step_callback = step_callback or (lambda xk: None)

        loss_grad_func = self._make_eval_func([self._loss, self._packed_loss_grad], session,
                                              feed_dict, fetches, loss_callback)
        equality_funcs = self._make_eval_funcs(self._equalities, session, feed_dict, fetches)
        equality_grad_funcs = self._make_eval_funcs(self._packed_equality_grads, session,
                                                    feed_dict, fetches)
        inequality_funcs = self._make_eval_funcs(self._inequalities, session, feed_dict,
                                                 fetches)
        inequality_grad_funcs = self._make_eval_funcs(self._packed_inequality_grads, session,
                                                      feed_dict, fetches)

        initial_packed_var_val = session.run(self._packed_var)
        packed_var_val = self._minimize(
            initial_val=initial_packed_var_val, loss_grad_func=loss_grad_func,
            equality_funcs=equality_funcs, equality_grad_funcs=equality_grad_funcs,
            inequality_funcs=inequality_funcs, inequality_grad_funcs=inequality_grad_funcs,
            packed_bounds=self._packed_bounds, step_callback=step_callback,
            optimizer_kwargs=self.optimizer_kwargs)
        var_vals = [packed_var_val[packing_slice] for packing_slice in self._packing_slices]
        session.run(self._var_updates,
                    feed_dict=dict(zip(self._update_placeholders, var_vals)), **run_kwargs)

    def _minimize(self, initial_val, loss_grad_func, equality_funcs, equality_grad_funcs,
                  inequality_funcs, inequality_grad_funcs, packed_bounds, step_callback,
                  optimizer_kwargs):
        raise NotImplementedError(
            "To use ExternalOptimizerInterface, subclass from it and implement the "
            "_minimize() method.")

    @classmethod
    def _pack(cls, tensors):
        """One flat vector of `tensors` (None for none)."""
        if not tensors:
            return None
        if len(tensors) == 1:
            return array_ops.reshape(tensors[0], [-1])
        return array_ops.concat([array_ops.reshape(t, [-1]) for t in tensors], 0)

    def _make_eval_func(self, tensors, session, feed_dict, fetches, callback=None):
        """A function of the packed variables returning the values of `tensors`."""
        if not isinstance(tensors, list):
            tensors = [tensors]
        num_tensors = len(tensors)

        def eval_func(x):
            augmented_feed_dict = {
                var: x[packing_slice].reshape(_shape_tuple(var))
                for var, packing_slice in zip(self._vars, self._packing_slices)}
            augmented_feed_dict.update(feed_dict)
            augmented_fetch_vals = session.run(tensors + list(fetches),
                                               feed_dict=augmented_feed_dict)
            if callable(callback):
                callback(*augmented_fetch_vals[num_tensors:])
            return augmented_fetch_vals[:num_tensors]

        return eval_func

    def _make_eval_funcs(self, tensors, session, feed_dict, fetches, callback=None):
        return [self._make_eval_func(t, session, feed_dict, fetches, callback)
                for t in tensors]


class ScipyOptimizerInterface(ExternalOptimizerInterface):
    """`scipy.optimize.minimize` on the graph's loss; `method` defaults to 'L-BFGS-B'.

    Equality and inequality constraints (tensors that must be `== 0` / `>= 0`) need a method
    that takes constraints, e.g. 'SLSQP'. Extra keyword arguments (`method`, `options`, `tol`)
    go to `scipy.optimize.minimize`.

    Example:
        >>> vector = tf.Variable([7., 7.], "vector")
        >>> loss = tf.reduce_sum(tf.square(vector))
        >>> optimizer = tf.contrib.opt.ScipyOptimizerInterface(loss, options={"maxiter": 100})
        >>> with tf.Session() as session:
        ...     session.run(tf.global_variables_initializer())
        ...     optimizer.minimize(session)   # vector is now [0., 0.]
    """

    _DEFAULT_METHOD = "L-BFGS-B"

    def _minimize(self, initial_val, loss_grad_func, equality_funcs, equality_grad_funcs,
                  inequality_funcs, inequality_grad_funcs, packed_bounds, step_callback,
                  optimizer_kwargs):
        def loss_grad_func_wrapper(x):
            # SciPy's L-BFGS-B (Fortran) requires float64 gradients.
            loss, gradient = loss_grad_func(x)
            return loss, gradient.astype("float64")

        optimizer_kwargs = dict(optimizer_kwargs.items())
        method = optimizer_kwargs.pop("method", self._DEFAULT_METHOD)
        constraints = []
        for func, grad_func in zip(equality_funcs, equality_grad_funcs):
            constraints.append({"type": "eq", "fun": func, "jac": grad_func})
        for func, grad_func in zip(inequality_funcs, inequality_grad_funcs):
            constraints.append({"type": "ineq", "fun": func, "jac": grad_func})

        minimize_kwargs = {"jac": True, "callback": step_callback, "method": method,
                           "constraints": constraints, "bounds": packed_bounds}
        for kwarg in minimize_kwargs:
            if kwarg in optimizer_kwargs:
                if kwarg == "bounds":
                    # bounds came after the first release: they have their own argument
                    raise ValueError("Bounds must be set using the var_to_bounds argument")
                raise ValueError("Optimizer keyword arg '{}' is set automatically and cannot "
                                 "be injected manually".format(kwarg))
        minimize_kwargs.update(optimizer_kwargs)

        import scipy.optimize  # optional dependency, needed only here

        # float64 start: today's SLSQP rejects float32 (L-BFGS-B works in float64 anyway)
        initial_val = np.asarray(initial_val, dtype=np.float64)
        result = scipy.optimize.minimize(loss_grad_func_wrapper, initial_val, **minimize_kwargs)
        message_lines = ["Optimization terminated with:", "  Message: %s",
                         "  Objective function value: %f"]
        message_args = [result.message, result.fun]
        if hasattr(result, "nit"):
            message_lines.append("  Number of iterations: %d")
            message_args.append(result.nit)
        if hasattr(result, "nfev"):
            message_lines.append("  Number of functions evaluations: %d")
            message_args.append(result.nfev)
        logging.info("\n".join(message_lines), *message_args)
        return result["x"]


__all__ = ["ExternalOptimizerInterface", "ScipyOptimizerInterface"]

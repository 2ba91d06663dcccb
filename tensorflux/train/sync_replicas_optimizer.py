"""`tf.train.SyncReplicasOptimizer`: synchronous data-parallel training over replicas.

Each replica pushes its gradients into one accumulator per variable instead of applying them;
the chief's queue runner takes the average once `replicas_to_aggregate` fresh gradients are in,
applies it with the wrapped optimizer, bumps the global step and puts that step, as tokens, in
the `sync_token_q` queue. A replica's train op pushes its gradients, then takes a token (the
barrier) and records it in its `sync_rep_local_step`: gradients computed at an older step than
an accumulator's are dropped as stale. The graph (op names, the shared names that let replicas
in other processes find the same accumulators and queue) is TF's.

Example:
    >>> opt = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1),
    ...                                      replicas_to_aggregate=2, total_num_replicas=2)
    >>> train_op = opt.minimize(loss, global_step=tf.train.get_or_create_global_step())
    >>> hook = opt.make_session_run_hook(is_chief=(task_index == 0))
    >>> with tf.train.MonitoredTrainingSession(master, is_chief, hooks=[hook]) as sess:
    ...     while not sess.should_stop():
    ...         sess.run(train_op)
"""

import logging

from tensorflux import variables as variables_lib
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import accumulator_ops, control_flow_ops, data_flow_ops, fill_ops, state_ops
from tensorflux.ops.indexed_slices import IndexedSlices
from tensorflux.train import optimizer, queue_runner, session_manager, session_run_hook

_log = logging.getLogger("tensorflux")


class SyncReplicasOptimizer(optimizer.Optimizer):
    """Aggregates the gradients of `replicas_to_aggregate` replicas, then applies them with
    `opt` in one step (see the module docstring for the ops it adds).

    Args:
        opt: the optimizer that applies the aggregated gradients.
        replicas_to_aggregate: gradients averaged into each update.
        total_num_replicas: replicas running (default `replicas_to_aggregate`); more are
            backups, fewer compute several batches per update.
        variable_averages: an `ExponentialMovingAverage` applied to `variables_to_average`
            after each update.
        use_locking, name: as for every optimizer.
    """

    def __init__(self, opt, replicas_to_aggregate, total_num_replicas=None,
                 variable_averages=None, variables_to_average=None, use_locking=False,
                 name="sync_replicas"):
        if total_num_replicas is None:
            total_num_replicas = replicas_to_aggregate
        super().__init__(use_locking, name)
        _log.info("SyncReplicasV2: replicas_to_aggregate=%s; total_num_replicas=%s",
                  replicas_to_aggregate, total_num_replicas)
        self._opt = opt
        self._replicas_to_aggregate = replicas_to_aggregate
        self._gradients_applied = False
        self._variable_averages = variable_averages
        self._variables_to_average = variables_to_average
        self._total_num_replicas = total_num_replicas
        self._tokens_per_step = max(total_num_replicas, replicas_to_aggregate)
        self._global_step = None
        self._sync_token_queue = None
        self._chief_queue_runner = None
        self._accumulator_list = []

    def compute_gradients(self, *args, **kwargs):
        """The wrapped optimizer's gradients; they are aggregated by `apply_gradients`, so a
        replica may still clip its own gradients in between."""
        return self._opt.compute_gradients(*args, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """Adds the accumulators, the token queue and the chief's ops; returns the replica's
        train op (push the gradients, then wait for a token).

        Raises:
            ValueError: `grads_and_vars` is empty, or there is no `global_step` (staleness is
                judged against it).
        """
        grads_and_vars = list(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("Must supply at least one variable")
        if global_step is None:
            raise ValueError("Global step is required to check staleness")
        self._global_step = global_step
        g = graph_lib.get_default_graph()
        train_ops, aggregated_grad, var_list = [], [], []

        local_anchor = control_flow_ops.no_op()
        # Colocated with an op of the worker: a device setter would put a variable on a ps.
        with g.colocate_with(local_anchor):
            self._local_step = variables_lib.Variable(
                initial_value=0, trainable=False,
                collections=[graph_lib.GraphKeys.LOCAL_VARIABLES],
                dtype=global_step.dtype.base_dtype, name="sync_rep_local_step")
        self.local_step_init_op = state_ops.assign(self._local_step, global_step)
        chief_init_ops = [self.local_step_init_op]
        self.ready_for_local_init_op = variables_lib.report_uninitialized_variables(
            variables_lib.global_variables())

        with graph_lib.name_scope(None, self._name):
            for grad, var in grads_and_vars:
                var_list.append(var)
                with g.device(var.device):
                    if grad is None:
                        aggregated_grad.append(None)  # passed through to the optimizer
                        continue
                    aggregated_grad.append(self._accumulate(grad, var, train_ops))

            with g.device(global_step.device), graph_lib.name_scope(""):
                update_op = self._opt.apply_gradients(zip(aggregated_grad, var_list),
                                                      global_step)
                self._sync_token_queue = data_flow_ops.FIFOQueue(
                    -1, global_step.dtype.base_dtype, shapes=(), name="sync_token_q",
                    shared_name="sync_token_q")
                with g.control_dependencies(train_ops):
                    token = self._sync_token_queue.dequeue()
                train_op = state_ops.assign(self._local_step, token)
                with g.control_dependencies([update_op]):
                    # The tokens carry the step after the update. TF's Fill reads the variable's
                    # buffer, which the update has changed in place; our `read` snapshot is
                    # taken at the start of the run, so a fresh read is ordered after it.
                    step = getattr(global_step, "read_value", lambda: global_step)()
                    tokens = fill_ops.fill([self._tokens_per_step], step)
                    sync_op = self._sync_token_queue.enqueue_many((tokens,))
                if self._variable_averages is not None:
                    with g.control_dependencies([sync_op]), graph_lib.name_scope(""):
                        sync_op = self._variable_averages.apply(self._variables_to_average)
                self._chief_queue_runner = queue_runner.QueueRunner(self._sync_token_queue,
                                                                    [sync_op])
            for accum, dev in self._accumulator_list:
                with g.device(dev):
                    chief_init_ops.append(accum.set_global_step(global_step,
                                                                name="SetGlobalStep"))
            self.chief_init_op = control_flow_ops.group(*chief_init_ops)
            self._gradients_applied = True
            return train_op

    def _accumulate(self, grad, var, train_ops):
        """Pushes `grad` into a new accumulator for `var`; returns the aggregated gradient."""
        shared_name = var.name + "/grad_accum"
        if isinstance(grad, IndexedSlices):
            accum = accumulator_ops.SparseConditionalAccumulator(grad.dtype, shape=(),
                                                                 shared_name=shared_name)
            train_ops.append(accum.apply_indexed_slices_grad(grad, local_step=self._local_step))
            out = accum.take_indexed_slices_grad(self._replicas_to_aggregate)
        elif hasattr(grad, "op") and hasattr(grad, "dtype"):
            accum = accumulator_ops.ConditionalAccumulator(grad.dtype, shape=var.get_shape(),
                                                           shared_name=shared_name)
            train_ops.append(accum.apply_grad(grad, local_step=self._local_step))
            out = accum.take_grad(self._replicas_to_aggregate)
        else:
            raise ValueError("Unknown grad type!")
        self._accumulator_list.append((accum, var.device))
        return out

    def get_chief_queue_runner(self):
        """The QueueRunner the chief runs: aggregate, apply, bump the step, hand out tokens.

        Raises:
            ValueError: before `apply_gradients`.
        """
        if self._gradients_applied is False:
            raise ValueError("Should be called after apply_gradients().")
        return self._chief_queue_runner

    def get_slot(self, *args, **kwargs):
        """The wrapped optimizer's slot."""
        return self._opt.get_slot(*args, **kwargs)

    def variables(self):
        """The wrapped optimizer's variables (not the local step)."""
        return self._opt.variables()

    def get_slot_names(self, *args, **kwargs):
        """The wrapped optimizer's slot names."""
        return self._opt.get_slot_names(*args, **kwargs)

    def get_init_tokens_op(self, num_tokens=-1):
        """An op that puts `num_tokens` tokens (default `replicas_to_aggregate`) in the token
        queue, so that replicas can start the first step.

        Raises:
            ValueError: before `apply_gradients`, or fewer tokens than
                `replicas_to_aggregate - total_num_replicas`.
        """
        if self._gradients_applied is False:
            raise ValueError(
                "get_init_tokens_op() should be called after apply_gradients().")
        tokens_needed = self._replicas_to_aggregate - self._total_num_replicas
        if num_tokens == -1:
            num_tokens = self._replicas_to_aggregate
        elif num_tokens < tokens_needed:
            raise ValueError("Too few tokens to finish the first step: %d (given) vs %d "
                             "(needed)" % (num_tokens, tokens_needed))
        if num_tokens > 0:
            g = graph_lib.get_default_graph()
            with g.device(self._global_step.device), graph_lib.name_scope(""):
                tokens = fill_ops.fill([num_tokens], self._global_step)
                return self._sync_token_queue.enqueue_many((tokens,))
        return control_flow_ops.no_op(name="no_init_tokens")

    def make_session_run_hook(self, is_chief, num_tokens=-1):
        """A hook that runs the chief's (or a replica's) init ops once the session exists and,
        on the chief, fills the token queue and starts the chief queue runner."""
        return _SyncReplicasOptimizerHook(self, is_chief, num_tokens)


class _SyncReplicasOptimizerHook(session_run_hook.SessionRunHook):
    """Runs a SyncReplicasOptimizer's init ops and starts the chief's queue runner."""

    def __init__(self, sync_optimizer, is_chief, num_tokens):
        self._sync_optimizer = sync_optimizer
        self._is_chief = is_chief
        self._num_tokens = num_tokens

    def begin(self):
        opt = self._sync_optimizer
        if opt._gradients_applied is False:
            raise ValueError("SyncReplicasOptimizer.apply_gradient should be called before "
                             "using the hook.")
        self._ready_for_local_init_op = opt.ready_for_local_init_op
        if self._is_chief:
            self._local_init_op = opt.chief_init_op
            self._q_runner = opt.get_chief_queue_runner()
            self._init_tokens_op = opt.get_init_tokens_op(self._num_tokens)
        else:
            self._local_init_op = opt.local_step_init_op
            self._q_runner = None
            self._init_tokens_op = None

    def after_create_session(self, session, coord):
        ok, msg = session_manager._ready(self._ready_for_local_init_op, session,
                                         "Model is not ready for SyncReplicasOptimizer local "
                                         "init.")
        if not ok:
            raise RuntimeError("Init operations did not make model ready for "
                               "SyncReplicasOptimizer local_init. Init op: %s, error: %s"
                               % (self._local_init_op.name, msg))
        session.run(self._local_init_op)
        if self._init_tokens_op is not None:
            session.run(self._init_tokens_op)
        if self._q_runner is not None:
            self._q_runner.create_threads(session, coord=coord, daemon=True, start=True)


__all__ = ["SyncReplicasOptimizer"]

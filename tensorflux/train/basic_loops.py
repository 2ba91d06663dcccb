"""`tf.train.basic_train_loop`: TF 1.x's simplest Supervisor-driven training loop."""

from tensorflux import errors


def basic_train_loop(supervisor, train_step_fn, args=None, kwargs=None, master=""):
    """Calls `train_step_fn(sess, *args, **kwargs)` in a managed session until the supervisor
    should stop; starts over in a new managed session after an `AbortedError` (a preempted
    worker), as TF does.

    Args:
        supervisor: A `tf.train.Supervisor` running the training services.
        train_step_fn: Runs one training step.
        args, kwargs: Extra arguments for `train_step_fn`.
        master: The session target ("" for in-process).

    Example:
        >>> sv = tf.train.Supervisor(logdir="/tmp/model")
        >>> tf.train.basic_train_loop(sv, lambda sess: sess.run(train_op))
    """
    args = [] if args is None else args
    kwargs = {} if kwargs is None else kwargs
    while True:
        try:
            with supervisor.managed_session(master) as sess:
                while not supervisor.should_stop():
                    train_step_fn(sess, *args, **kwargs)
            return
        except errors.AbortedError:
            continue


__all__ = ["basic_train_loop"]

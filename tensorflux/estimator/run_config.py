"""`tf.estimator.RunConfig`: where an Estimator writes and how often it saves and logs.

The single-process subset of TF 1.x's RunConfig, with the same defaults: checkpoints every
600 seconds (or every `save_checkpoints_steps`), the 5 newest kept, summaries every 100 steps,
the loss and steps/sec logged every 100 steps. A RunConfig is immutable; `replace()` returns
a changed copy.
"""

import copy

_DEFAULT_REPLACEABLE = frozenset([
    "model_dir", "tf_random_seed", "save_summary_steps", "save_checkpoints_steps",
    "save_checkpoints_secs", "session_config", "keep_checkpoint_max",
    "keep_checkpoint_every_n_hours", "log_step_count_steps", "train_distribute", "device_fn",
    "protocol", "eval_distribute", "experimental_distribute",
    "experimental_max_worker_delay_secs", "session_creation_timeout_secs"])

_USE_DEFAULT = object()


def get_default_session_config():
    """The ConfigProto an Estimator's sessions use when the RunConfig names none."""
    from tensorflux.client.config import ConfigProto

    return ConfigProto(allow_soft_placement=True)


class TaskType:
    """The job names of a distributed Estimator (only the chief runs here)."""

    MASTER = "master"
    PS = "ps"
    WORKER = "worker"
    CHIEF = "chief"
    EVALUATOR = "evaluator"


class RunConfig:
    """How an Estimator runs: model directory, seeds, checkpoint and summary schedules.

    Example:
        >>> config = tf.estimator.RunConfig(save_checkpoints_steps=100, keep_checkpoint_max=2)
        >>> est = tf.estimator.Estimator(model_fn, model_dir="/tmp/m", config=config)
    """

    def __init__(self, model_dir=None, tf_random_seed=None, save_summary_steps=100,
                 save_checkpoints_steps=_USE_DEFAULT, save_checkpoints_secs=_USE_DEFAULT,
                 session_config=None, keep_checkpoint_max=5, keep_checkpoint_every_n_hours=10000,
                 log_step_count_steps=100, train_distribute=None, device_fn=None, protocol=None,
                 eval_distribute=None, experimental_distribute=None,
                 experimental_max_worker_delay_secs=None, session_creation_timeout_secs=7200):
        if (save_checkpoints_steps not in (None, _USE_DEFAULT)
                and save_checkpoints_secs not in (None, _USE_DEFAULT)):
            raise ValueError("Can not provide both save_checkpoints_steps and "
                             "save_checkpoints_secs.")
        if save_checkpoints_steps is _USE_DEFAULT and save_checkpoints_secs is _USE_DEFAULT:
            save_checkpoints_steps, save_checkpoints_secs = None, 600
        elif save_checkpoints_secs is _USE_DEFAULT:
            save_checkpoints_secs = None
        elif save_checkpoints_steps is _USE_DEFAULT:
            save_checkpoints_steps = None
        for name, value in (("save_summary_steps", save_summary_steps),
                            ("save_checkpoints_steps", save_checkpoints_steps),
                            ("save_checkpoints_secs", save_checkpoints_secs),
                            ("keep_checkpoint_max", keep_checkpoint_max),
                            ("log_step_count_steps", log_step_count_steps)):
            if value is not None and value < 0:
                raise ValueError("%s should be >= 0, given: %s" % (name, value))
        if train_distribute is not None or eval_distribute is not None:
            raise NotImplementedError("tensorflux's Estimator runs in one process; "
                                      "distribution strategies are not supported.")
        self._model_dir = None if model_dir is None else str(model_dir)
        self._tf_random_seed = tf_random_seed
        self._save_summary_steps = save_summary_steps
        self._save_checkpoints_steps = save_checkpoints_steps
        self._save_checkpoints_secs = save_checkpoints_secs
        self._session_config = session_config
        self._keep_checkpoint_max = keep_checkpoint_max
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._log_step_count_steps = log_step_count_steps
        self._device_fn = device_fn
        self._protocol = protocol
        self._experimental_max_worker_delay_secs = experimental_max_worker_delay_secs
        self._session_creation_timeout_secs = session_creation_timeout_secs

    def __repr__(self):
        return "RunConfig(%s)" % ", ".join("%s=%r" % (k.lstrip("_"), v)
                                          for k, v in sorted(vars(self).items()))

    def replace(self, **kwargs):
        """A copy with the given properties changed (only the constructor's arguments).

        Example:
            >>> config = tf.estimator.RunConfig().replace(save_summary_steps=10)
        """
        for key in kwargs:
            if key not in _DEFAULT_REPLACEABLE:
                raise ValueError("{} is not supported by RunConfig.replace. Allowed properties: "
                                 "{}".format(key, sorted(_DEFAULT_REPLACEABLE)))
        new = copy.deepcopy(self)
        steps = kwargs.pop("save_checkpoints_steps", _USE_DEFAULT)
        secs = kwargs.pop("save_checkpoints_secs", _USE_DEFAULT)
        if steps is not _USE_DEFAULT or secs is not _USE_DEFAULT:
            if steps not in (None, _USE_DEFAULT) and secs not in (None, _USE_DEFAULT):
                raise ValueError("Can not provide both save_checkpoints_steps and "
                                 "save_checkpoints_secs.")
            new._save_checkpoints_steps = None if steps is _USE_DEFAULT else steps
            new._save_checkpoints_secs = None if secs is _USE_DEFAULT else secs
        for key, value in kwargs.items():
            if key in ("train_distribute", "eval_distribute", "experimental_distribute"):
                if value is not None:
                    raise NotImplementedError("distribution strategies are not supported.")
                continue
            setattr(new, "_" + key, str(value) if key == "model_dir" and value else value)
        return new

    # --- the properties TF 1.x exposes ----------------------------------------------------
    model_dir = property(lambda self: self._model_dir)
    tf_random_seed = property(lambda self: self._tf_random_seed)
    save_summary_steps = property(lambda self: self._save_summary_steps)
    save_checkpoints_steps = property(lambda self: self._save_checkpoints_steps)
    save_checkpoints_secs = property(lambda self: self._save_checkpoints_secs)
    session_config = property(lambda self: self._session_config)
    keep_checkpoint_max = property(lambda self: self._keep_checkpoint_max)
    keep_checkpoint_every_n_hours = property(lambda self: self._keep_checkpoint_every_n_hours)
    log_step_count_steps = property(lambda self: self._log_step_count_steps)
    device_fn = property(lambda self: self._device_fn)
    protocol = property(lambda self: self._protocol)
    session_creation_timeout_secs = property(lambda self: self._session_creation_timeout_secs)
    train_distribute = property(lambda self: None)
    eval_distribute = property(lambda self: None)
    cluster_spec = property(lambda self: None)
    task_type = property(lambda self: None)
    task_id = property(lambda self: 0)
    master = property(lambda self: "")
    evaluation_master = property(lambda self: "")
    is_chief = property(lambda self: True)
    num_ps_replicas = property(lambda self: 0)
    num_worker_replicas = property(lambda self: 1)
    global_id_in_cluster = property(lambda self: 0)
    service = property(lambda self: None)

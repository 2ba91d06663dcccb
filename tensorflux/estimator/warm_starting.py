"""`tf.estimator.WarmStartSettings`: start a new model from another model's checkpoint.

Warm-starting only applies when the Estimator initializes its variables (no checkpoint in
`model_dir` yet): the chosen variables then take their values from `ckpt_to_initialize_from`
instead of their initializers.
"""

import collections
import os
import re

from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.platform import tf_logging as logging
from tensorflux.train import saver as saver_lib
from tensorflux.train.monitored_session import Scaffold


class WarmStartSettings(collections.namedtuple("WarmStartSettings", [
        "ckpt_to_initialize_from", "vars_to_warm_start", "var_name_to_vocab_info",
        "var_name_to_prev_var_name"])):
    """Which checkpoint to warm-start from, and which variables (a regex or a list).

    Example:
        >>> ws = tf.estimator.WarmStartSettings(ckpt_to_initialize_from="/tmp/old_model",
        ...                                     vars_to_warm_start="dense.*")
    """

    def __new__(cls, ckpt_to_initialize_from, vars_to_warm_start=".*",
                var_name_to_vocab_info=None, var_name_to_prev_var_name=None):
        if not ckpt_to_initialize_from:
            raise ValueError("`ckpt_to_initialize_from` MUST be set in WarmStartSettings")
        if var_name_to_vocab_info:
            raise NotImplementedError("var_name_to_vocab_info is not supported by tensorflux.")
        return super().__new__(cls, os.fspath(ckpt_to_initialize_from), vars_to_warm_start,
                               var_name_to_vocab_info or {}, var_name_to_prev_var_name or {})


def get_default_warm_start_settings(warm_start_from):
    """WarmStartSettings from a path (all trainable variables), the settings, or None."""
    if warm_start_from is None:
        return None
    if isinstance(warm_start_from, (str, bytes, os.PathLike)):
        return WarmStartSettings(ckpt_to_initialize_from=os.fsdecode(warm_start_from))
    if isinstance(warm_start_from, WarmStartSettings):
        return warm_start_from
    raise ValueError("warm_start_from must be a string or a WarmStartSettings, instead got "
                     "{}".format(type(warm_start_from)))


def _variables_to_warm_start(vars_to_warm_start):
    if vars_to_warm_start is None:
        return []
    trainable = graph_lib.get_collection(GraphKeys.TRAINABLE_VARIABLES)
    if isinstance(vars_to_warm_start, str):
        pattern = re.compile(vars_to_warm_start)
        return [v for v in trainable if pattern.match(v.op.name)]
    names = {v if isinstance(v, str) else v.op.name for v in vars_to_warm_start}
    return [v for v in graph_lib.get_collection(GraphKeys.GLOBAL_VARIABLES)
            if v.op.name in names]


def scaffold_with_warm_start(scaffold, settings):
    """A copy of `scaffold` whose init_fn also loads the warm-started variables."""
    path = settings.ckpt_to_initialize_from
    if os.path.isdir(path):
        path = saver_lib.latest_checkpoint(path)
        if path is None:
            raise ValueError("No checkpoint to warm-start from in %s"
                             % settings.ckpt_to_initialize_from)
    logging.info("Warm-starting with WarmStartSettings: %s", (settings,))
    variables = _variables_to_warm_start(settings.vars_to_warm_start)
    previous = settings.var_name_to_prev_var_name
    user_init_fn = scaffold._user_init_fn

    def init_fn(scaffold, session):
        if user_init_fn is not None:
            user_init_fn(scaffold, session)
        reader = saver_lib.load_checkpoint(path)
        for var in variables:
            name = previous.get(var.op.name, var.op.name)
            logging.debug("Warm-starting variable: %s; prev_var_name: %s", var.op.name, name)
            var.load(reader.get_tensor(name), session)
        logging.info("Warm-started %d variables.", len(variables))

    return Scaffold(init_fn=init_fn, copy_from_scaffold=scaffold)

"""TF-Slim's variable helpers: model variables, lookups by scope/name, restoring from checkpoints.

Example:
    >>> weights = slim.model_variable("weights", shape=[3, 3, 3, 64])
    >>> to_restore = slim.get_variables_to_restore(exclude=["vgg_16/fc8"])
    >>> init_fn = slim.assign_from_checkpoint_fn("vgg_16.ckpt", to_restore)
    >>> init_fn(sess)  # doctest: +SKIP
"""

import functools
import re

from tensorflux import variable_scope as vs
from tensorflux.contrib.framework.arg_scope import add_arg_scope
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.device_spec import DeviceSpec
from tensorflux.graph.graph import GraphKeys
from tensorflux.ops import array_ops, control_flow_ops
from tensorflux.platform import tf_logging as logging
from tensorflux.train import saver as saver_lib
from tensorflux.train.training_util import (  # noqa: F401 - re-exported by slim
    assert_global_step,
    create_global_step,
    get_global_step,
    get_or_create_global_step,
)


def assert_or_get_global_step(graph=None, global_step_tensor=None):
    """Checks `global_step_tensor`, or finds the graph's global step when it is None."""
    if global_step_tensor is None:
        return get_global_step(graph)
    assert_global_step(global_step_tensor)
    return global_step_tensor


# --- creating variables -------------------------------------------------------------------------
def local_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """A non-trainable variable in `LOCAL_VARIABLES` (e.g. a metric's counter)."""
    from tensorflux.variables import Variable

    return Variable(initial_value, trainable=False, collections=[GraphKeys.LOCAL_VARIABLES],
                    validate_shape=validate_shape, name=name)


def global_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """A non-trainable variable in `GLOBAL_VARIABLES` only."""
    from tensorflux.variables import Variable

    return Variable(initial_value, trainable=False, collections=[GraphKeys.GLOBAL_VARIABLES],
                    validate_shape=validate_shape, name=name)


@add_arg_scope
def variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=True,
             collections=None, caching_device=None, device=None, partitioner=None,
             custom_getter=None, use_resource=None, synchronization=None, aggregation=None):
    """Gets or creates a variable with `tf.get_variable` (collections default to
    `GLOBAL_VARIABLES`), optionally on `device` or through `custom_getter`.

    Example:
        >>> v = slim.variable("v", [2, 3], initializer=tf.zeros_initializer())
    """
    collections = list(collections if collections is not None
                       else [GraphKeys.GLOBAL_VARIABLES])
    collections = list(dict.fromkeys(collections))
    getter = vs.get_variable
    if custom_getter is not None:
        getter = functools.partial(custom_getter, reuse=vs.get_variable_scope().reuse)
    with graph_lib.device(device or ""):
        return getter(name, shape=shape, dtype=dtype, initializer=initializer,
                      regularizer=regularizer, trainable=trainable, collections=collections,
                      caching_device=caching_device, partitioner=partitioner,
                      use_resource=use_resource)


@add_arg_scope
def model_variable(name, shape=None, dtype=dtypes.float32, initializer=None, regularizer=None,
                   trainable=True, collections=None, caching_device=None, device=None,
                   partitioner=None, custom_getter=None, use_resource=None,
                   synchronization=None, aggregation=None):
    """`variable` that is also in `MODEL_VARIABLES` (what `get_model_variables` and TF-Slim
    checkpoints list).

    Example:
        >>> w = slim.model_variable("weights", shape=[3, 3, 3, 64])
        >>> slim.get_model_variables()[0].name
        'weights:0'
    """
    collections = list(collections or [])
    collections += [GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES]
    return variable(name, shape=shape, dtype=dtype, initializer=initializer,
                    regularizer=regularizer, trainable=trainable, collections=collections,
                    caching_device=caching_device, device=device, partitioner=partitioner,
                    custom_getter=custom_getter, use_resource=use_resource)


def add_model_variable(var):
    """Adds `var` to `MODEL_VARIABLES` (once)."""
    if var not in graph_lib.get_collection(GraphKeys.MODEL_VARIABLES):
        graph_lib.add_to_collection(GraphKeys.MODEL_VARIABLES, var)


# --- finding variables --------------------------------------------------------------------------
def get_variables(scope=None, suffix=None, collection=GraphKeys.GLOBAL_VARIABLES):
    """The variables of `collection` whose names start with `scope` (a regular expression
    matched at the start, as `tf.get_collection`) and end with `suffix`.

    Example:
        >>> slim.get_variables("vgg_16/fc8")  # doctest: +SKIP
        [<tf.Variable 'vgg_16/fc8/weights:0' ...>, <tf.Variable 'vgg_16/fc8/biases:0' ...>]
    """
    if scope and isinstance(scope, vs.VariableScope):
        scope = scope.name
    if suffix is not None:
        if ":" not in suffix:
            suffix += ":"
        scope = (scope or "") + ".*" + suffix
    return graph_lib.get_collection(collection, scope)


def get_model_variables(scope=None, suffix=None):
    """`get_variables` on `MODEL_VARIABLES`."""
    return get_variables(scope, suffix, GraphKeys.MODEL_VARIABLES)


def get_local_variables(scope=None, suffix=None):
    """`get_variables` on `LOCAL_VARIABLES`."""
    return get_variables(scope, suffix, GraphKeys.LOCAL_VARIABLES)


def get_trainable_variables(scope=None, suffix=None):
    """`get_variables` on `TRAINABLE_VARIABLES`."""
    return get_variables(scope, suffix, GraphKeys.TRAINABLE_VARIABLES)


def get_variables_to_restore(include=None, exclude=None):
    """The global variables under any scope of `include` (all if None) and under no scope of
    `exclude`, in creation order.

    Raises:
        TypeError: If `include` or `exclude` is given but is not a list or tuple.

    Example:
        >>> variables = slim.get_variables_to_restore(exclude=["resnet_v1_50/logits"])
    """
    if include is None:
        vars_to_include = get_variables()
    else:
        if not isinstance(include, (list, tuple)):
            raise TypeError("include is provided but is not a list or a tuple.")
        vars_to_include = []
        for scope in include:
            vars_to_include += get_variables(scope)
    vars_to_exclude = set()
    if exclude is not None:
        if not isinstance(exclude, (list, tuple)):
            raise TypeError("exclude is provided but is not a list or a tuple.")
        for scope in exclude:
            vars_to_exclude |= set(get_variables(scope))
    return [v for v in vars_to_include if v not in vars_to_exclude]


def get_variables_by_suffix(suffix, scope=None):
    """The global variables whose names end with `suffix`."""
    return get_variables(scope=scope, suffix=suffix)


def get_variables_by_name(given_name, scope=None):
    """The global variables whose last name component is `given_name` (e.g. "weights")."""
    suffix = "/" + given_name + ":|^" + given_name + ":"
    return get_variables(scope=scope, suffix=suffix)


def get_unique_variable(var_op_name):
    """The one variable whose op name is `var_op_name`.

    Raises:
        ValueError: If there is none, or the name is only a prefix of others.
    """
    candidates = get_variables(scope=var_op_name)
    if not candidates:
        raise ValueError("Couldn't find variable %s" % var_op_name)
    for candidate in candidates:
        if candidate.op.name == var_op_name:
            return candidate
    raise ValueError("Variable %s does not uniquely identify a variable" % var_op_name)


def get_variable_full_name(var):
    """The name `var` has in a checkpoint (its op name; a partition's full variable name)."""
    info = getattr(var, "_save_slice_info", None)
    return info.full_name if info else var.op.name


def filter_variables(var_list, include_patterns=None, exclude_patterns=None, reg_search=True):
    """The variables of `var_list` whose names match any `include_patterns` (all if None) and
    no `exclude_patterns` (`re.search`, or `re.match` when `reg_search` is False)."""
    match = re.search if reg_search else re.match
    included = list(var_list) if include_patterns is None else [
        v for v in var_list if any(match(p, v.name) for p in include_patterns)]
    if exclude_patterns is None:
        return included
    return [v for v in included if not any(match(p, v.name) for p in exclude_patterns)]


# --- assigning values ---------------------------------------------------------------------------
def _assign_from_placeholder(var, value, feed_dict, assign_ops):
    placeholder = array_ops.placeholder(dtype=var.dtype.base_dtype, shape=var.get_shape(),
                                        name="placeholder/" + var.op.name)
    assign_ops.append(var.assign(placeholder))
    feed_dict[placeholder] = value


def assign_from_values(var_names_to_values):
    """An op assigning numpy values to the named global variables, and its feed dict (the values
    travel through placeholders instead of being baked into the graph).

    Raises:
        ValueError: If a name matches no variable, or several without an exact match.
    """
    feed_dict = {}
    assign_ops = []
    for var_name, value in var_names_to_values.items():
        found = graph_lib.get_collection(GraphKeys.GLOBAL_VARIABLES, var_name)
        if not found:
            raise ValueError("Variable %s wasn't found" % var_name)
        if len(found) > 1:
            exact = [v for v in found if v.op.name == var_name]
            if not exact:
                raise ValueError("Variable %s doesn't uniquely identify a variable" % var_name)
            found = exact
        var = found[0]
        _assign_from_placeholder(var, value.reshape(var.get_shape().as_list()), feed_dict,
                                 assign_ops)
    return control_flow_ops.group(*assign_ops), feed_dict


def assign_from_values_fn(var_names_to_values):
    """`assign_from_values` as a function of a session."""
    assign_op, feed_dict = assign_from_values(var_names_to_values)

    def callback(session):
        return session.run(assign_op, feed_dict)

    return callback


def _group_by_checkpoint_name(var_list):
    grouped = {}
    if isinstance(var_list, (tuple, list)):
        for var in var_list:
            grouped.setdefault(get_variable_full_name(var), []).append(var)
    else:
        for ckpt_name, value in var_list.items():
            grouped[ckpt_name] = list(value) if isinstance(value, (tuple, list)) else [value]
    return grouped


def assign_from_checkpoint(model_path, var_list, ignore_missing_vars=False):
    """An op that assigns checkpoint values to `var_list`, and the feed dict it needs.

    Args:
        model_path: A checkpoint (V2 prefix or V1 file).
        var_list: Variables (restored under their op names) or a dict from checkpoint name to
            a variable or list of variables.
        ignore_missing_vars: If True, variables missing from the checkpoint are skipped with a
            warning instead of raising.

    Returns:
        `(assign_op, feed_dict)`.

    Raises:
        ValueError: If a variable is missing (and not ignored) or its shape differs.

    Example:
        >>> op, feed = slim.assign_from_checkpoint("model.ckpt", slim.get_model_variables())
        >>> sess.run(op, feed)  # doctest: +SKIP
    """
    reader = saver_lib.NewCheckpointReader(model_path)
    feed_dict = {}
    assign_ops = []
    for ckpt_name, variables in _group_by_checkpoint_name(var_list).items():
        if not reader.has_tensor(ckpt_name):
            log_str = "Checkpoint is missing variable [%s]" % ckpt_name
            if ignore_missing_vars:
                logging.warning(log_str)
                continue
            raise ValueError(log_str)
        ckpt_value = reader.get_tensor(ckpt_name)
        for var in variables:
            if var.get_shape() != ckpt_value.shape:
                raise ValueError("Total size of new array must be unchanged for %s lh_shape: "
                                 "[%s], rh_shape: [%s]" % (ckpt_name, str(ckpt_value.shape),
                                                           str(var.get_shape())))
            _assign_from_placeholder(var, ckpt_value, feed_dict, assign_ops)
    return control_flow_ops.group(*assign_ops), feed_dict


def assign_from_checkpoint_fn(model_path, var_list, ignore_missing_vars=False,
                              reshape_variables=False):
    """A function of a session that restores `var_list` from `model_path` with a `tf.train.Saver`
    (the usual `init_fn` of `slim.learning.train` for fine-tuning).

    Args:
        model_path: A checkpoint (V2 prefix or V1 file).
        var_list: Variables or a dict from checkpoint name to variable.
        ignore_missing_vars: If True, only the variables present in the checkpoint are
            restored (the others are logged); None is returned when none is present.
        reshape_variables: Passed to the Saver.

    Raises:
        ValueError: If `var_list` is empty.

    Example:
        >>> init_fn = slim.assign_from_checkpoint_fn(
        ...     "resnet_v1_50.ckpt",
        ...     slim.get_variables_to_restore(exclude=["resnet_v1_50/logits"]))
        >>> init_fn(sess)  # doctest: +SKIP
    """
    if not var_list:
        raise ValueError("var_list cannot be empty")
    if ignore_missing_vars:
        reader = saver_lib.NewCheckpointReader(model_path)
        var_dict = var_list if isinstance(var_list, dict) else {
            var.op.name: var for var in var_list}
        available = {}
        for name, var in var_dict.items():
            if reader.has_tensor(name):
                available[name] = var
            else:
                logging.warning("Variable %s missing in checkpoint %s", name, model_path)
        var_list = available
    if not var_list:
        logging.warning("No Variables to restore")
        return None
    saver = saver_lib.Saver(var_list, reshape=reshape_variables,
                            write_version=saver_lib.SaverDef.V1)

    def callback(session):
        saver.restore(session, model_path)

    return callback


class VariableDeviceChooser:
    """A device function placing variables round-robin on `num_tasks` parameter-server tasks
    (or on one local device when `num_tasks` is 0).

    Example:
        >>> with slim.arg_scope([slim.variable], device=slim.VariableDeviceChooser(2)):
        ...     pass
    """

    def __init__(self, num_tasks=0, job_name="ps", device_type="CPU", device_index=0,
                 replica=None):
        self._job_name = job_name
        self._device_type = device_type
        self._device_index = device_index
        self._replica = replica
        self._num_tasks = num_tasks
        self._next_task_id = 0

    def __call__(self, op):
        job = task = None
        if self._num_tasks > 0:
            task = self._next_task_id
            self._next_task_id = (self._next_task_id + 1) % self._num_tasks
            job = self._job_name
        return DeviceSpec(job=job, replica=self._replica, task=task,
                          device_type=self._device_type,
                          device_index=self._device_index).to_string()

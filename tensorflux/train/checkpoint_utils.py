"""`tf.train.init_from_checkpoint`: TF 1.x's fine-tuning entry point, which makes variables'
initializers load their values from a checkpoint; `tf.train.checkpoints_iterator`, which
yields a directory's checkpoints as they appear (see the end of the file).

    >>> with tf.variable_scope("new"):
    ...     w = tf.get_variable("w", [3, 4])
    >>> tf.train.init_from_checkpoint("/tmp/pretrained", {"old/": "new/"})
    >>> sess.run(tf.global_variables_initializer())  # w now holds old/w from the checkpoint

The assignment map is resolved against the variable store (`tf.get_variable`'s variables) as
TF does; every entry is resolved and checked before any initializer changes, so a bad map
raises and leaves all variables as they were.
"""

import collections.abc
import os
import time

from tensorflux.graph import tensor_shape
from tensorflux.ops import io_ops, partitioned_variables, slicing_ops, state_ops
from tensorflux.platform import tf_logging as logging
from tensorflux.train import saver as saver_lib
from tensorflux.variable_scope import _get_default_variable_store
from tensorflux.variables import Variable


def init_from_checkpoint(ckpt_dir_or_file, assignment_map):
    """Replaces variables' initializers so that they load values from a checkpoint.

    Nothing is read into the variables now: the values arrive when the initializers run
    (typically through `tf.global_variables_initializer()`), so call this before building the
    init op. Keys of `assignment_map` are names in the checkpoint, values name the variables:

    * `'ckpt_scope/': 'scope/'`: every variable under `scope/` from the tensor of the same
      name under `ckpt_scope/`;
    * `'ckpt_scope/name': 'scope/var'`: one variable (or partitioned variable) by name;
    * `'ckpt_name': variable`, or a list of a partitioned variable's parts;
    * `'/': 'scope/'`: every variable under `scope/` from the checkpoint's root.

    Names are looked up among `tf.get_variable`'s variables; pass a `tf.Variable` made
    otherwise as the object. A partitioned variable (`<name>/part_<i>` parts) loads its slices
    of the full checkpoint tensor.

    Args:
        ckpt_dir_or_file: A checkpoint prefix, or a directory (its latest checkpoint).
        assignment_map: A dict, or a list of `(checkpoint name, variable or name)` pairs (a
            list can load one checkpoint tensor into several variables).

    Raises:
        ValueError: If the directory holds no checkpoint, a tensor is missing from the
            checkpoint, a variable's shape differs from its tensor's, or a scope maps to a
            single name. No initializer is changed then.
        NotFoundError: If the checkpoint file does not exist.

    Example:
        >>> tf.train.init_from_checkpoint(ckpt, {"dense/kernel": "net/w", "conv/": "conv/"})
    """
    ckpt_file = _checkpoint_filename(ckpt_dir_or_file)
    if ckpt_file is None:
        raise ValueError("Couldn't find 'checkpoint' file or checkpoints in given directory %s"
                         % ckpt_dir_or_file)
    shapes = saver_lib.load_checkpoint(ckpt_file).get_variable_to_shape_map()
    plan = _plan(ckpt_dir_or_file, shapes, assignment_map)
    for variable, tensor_name in plan:
        _set_checkpoint_initializer(variable, ckpt_file, tensor_name)


def _checkpoint_filename(ckpt_dir_or_file):
    """The checkpoint prefix: a directory's latest checkpoint (None if it has none)."""
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        return saver_lib.latest_checkpoint(path)
    return path


def _is_variable(x):
    return isinstance(x, Variable)


def _as_variable_or_parts(value):
    """`value` if it is a Variable or a list of them (or a PartitionedVariable's parts)."""
    if _is_variable(value):
        return value
    if isinstance(value, partitioned_variables.PartitionedVariable):
        return list(value)
    if isinstance(value, (list, tuple)) and value and all(_is_variable(v) for v in value):
        return list(value)
    return None


def _partitioned(name, store):
    """The parts `<name>/part_0, part_1, ...` of a partitioned variable, or None."""
    parts = []
    while "%s/part_%d" % (name, len(parts)) in store:
        parts.append(store["%s/part_%d" % (name, len(parts))])
    return parts or None


def _plan(ckpt_dir_or_file, shapes, assignment_map):
    """`[(variable or parts, tensor name)]` for the map, after TF's checks, in TF's order
    (sorted by checkpoint name)."""
    if isinstance(assignment_map, collections.abc.Mapping):
        assignment_map = assignment_map.items()
    store = _get_default_variable_store()._vars
    plan = []
    for tensor_name, target in sorted(assignment_map, key=lambda pair: pair[0]):
        var = _as_variable_or_parts(target)
        if var is None and isinstance(target, str):
            var = store.get(target)
            if var is None:
                var = _partitioned(target, store)
        if var is not None:
            if tensor_name not in shapes:
                raise ValueError("Tensor %s is not found in %s checkpoint %s"
                                 % (tensor_name, ckpt_dir_or_file, shapes))
            if _is_variable(var) and not var.get_shape().is_compatible_with(
                    tensor_shape.TensorShape(shapes[tensor_name])):
                raise ValueError("Shape of variable %s (%s) doesn't match with shape of tensor "
                                 "%s (%s) from checkpoint reader."
                                 % (var.name, var.get_shape(), tensor_name,
                                    shapes[tensor_name]))
            plan.append(_checked(var, tensor_name, shapes))
            continue
        plan.extend(_plan_scope(ckpt_dir_or_file, shapes, tensor_name, target, store))
    return plan


def _plan_scope(ckpt_dir_or_file, shapes, tensor_name, target, store):
    """The entries of a scope mapping: every store variable under scope `target`."""
    scopes = target[:target.rindex("/")] if "/" in target else ""
    if not tensor_name.endswith("/"):
        raise ValueError("Assignment map with scope only name %s should map to scope only %s. "
                         "Should be 'scope/': 'other_scope/'." % (scopes, tensor_name))
    names = set()
    for var_name in store:
        if not scopes or var_name.startswith(scopes + "/"):
            if "/part_" in var_name:
                var_name = var_name[:var_name.index("/part_")]
            names.add(var_name)
    plan = []
    for var_name in sorted(names):
        full_name = var_name[len(scopes):]
        if target != "/":
            full_name = full_name[1:]
        if tensor_name != "/":
            full_name = tensor_name + full_name
        if full_name.endswith("/"):
            full_name = full_name[:-1]
        if full_name not in shapes:
            raise ValueError("Tensor %s (%s in %s) is not found in %s checkpoint"
                             % (full_name, var_name[len(scopes) + 1:], tensor_name,
                                ckpt_dir_or_file))
        var = store.get(var_name)
        if var is None:
            var = _partitioned(var_name, store)
        plan.append(_checked(var, full_name, shapes))
    return plan


def _checked(var, tensor_name, shapes):
    """The plan entry for `var`; for parts, checks they are slices of one tensor whose shape
    is the checkpoint tensor's (TF finds a wrong shape only when the initializer runs)."""
    if _is_variable(var):
        return var, tensor_name
    full_name = var[0]._get_save_slice_info().full_name
    for part in var:
        info = part._get_save_slice_info()
        if info.full_name != full_name:
            raise ValueError("Slices must all be from the same tensor: %s != %s"
                             % (full_name, info.full_name))
        if list(info.full_shape) != list(shapes[tensor_name]):
            raise ValueError("Shape of partitioned variable %s (%s) doesn't match with shape "
                             "of tensor %s (%s) from checkpoint reader."
                             % (full_name, list(info.full_shape), tensor_name,
                                shapes[tensor_name]))
    return var, tensor_name


def _set_checkpoint_initializer(variable, ckpt_file, tensor_name):
    """Makes the initializer of `variable` (or of each part) assign the checkpoint tensor.

    As in TF the new ops are made in the current name scope (`checkpoint_initializer`,
    `Assign`), and the restored tensor becomes the variable's `initial_value`. A part reads the
    whole tensor and slices its share out (tensorflux's RestoreV2 restores whole tensors).
    """
    parts = variable if isinstance(variable, list) else [variable]
    g = parts[0].graph
    with g.as_default():
        for part in parts:
            dtype = part.dtype.base_dtype
            info = part._get_save_slice_info() if isinstance(variable, list) else None
            if info is None:
                value = io_ops.restore_v2(ckpt_file, [tensor_name], [""], [dtype],
                                          name="checkpoint_initializer")[0]
            else:
                with g.name_scope("checkpoint_initializer") as scope:
                    full = io_ops.restore_v2(ckpt_file, [tensor_name], [""], [dtype])[0]
                    value = slicing_ops.slice(full, list(info.var_offset),
                                              list(info.var_shape), name=scope)
            value.set_shape(part.shape)
            assign = state_ops.assign(part._variable, value,
                                      validate_shape=part.shape.is_fully_defined())
            part._initializer_op = assign.op
            part._initial_value = value


# --- waiting for checkpoints -----------------------------------------------------------------
def wait_for_new_checkpoint(checkpoint_dir, last_checkpoint=None, seconds_to_sleep=1,
                            timeout=None):
    """The latest checkpoint of `checkpoint_dir` once it is not `last_checkpoint`, polling
    every `seconds_to_sleep`; None when the next poll would pass `timeout` seconds.

    Example:
        >>> path = wait_for_new_checkpoint("/tmp/model", last_checkpoint=path, timeout=60)
    """
    logging.info("Waiting for new checkpoint at %s", checkpoint_dir)
    stop_time = time.time() + timeout if timeout is not None else None
    while True:
        checkpoint_path = saver_lib.latest_checkpoint(checkpoint_dir)
        if checkpoint_path is not None and checkpoint_path != last_checkpoint:
            logging.info("Found new checkpoint at %s", checkpoint_path)
            return checkpoint_path
        if stop_time is not None and time.time() + seconds_to_sleep > stop_time:
            return None
        time.sleep(seconds_to_sleep)


def checkpoints_iterator(checkpoint_dir, min_interval_secs=0, timeout=None, timeout_fn=None):
    """Yields each new latest checkpoint of `checkpoint_dir` as it appears (an evaluator's
    loop), at most one per `min_interval_secs`.

    It only looks when the caller asks for the next one, so checkpoints written in between
    are skipped. After waiting `timeout` seconds in vain it ends, or, with a `timeout_fn`,
    ends if `timeout_fn()` is true and waits again otherwise. As in TF, `timeout_fn` is also
    asked after each checkpoint yielded.

    Example:
        >>> for path in tf.train.checkpoints_iterator("/tmp/model", timeout=600):
        ...     evaluate(path)
    """
    checkpoint_path = None
    while True:
        new_path = wait_for_new_checkpoint(checkpoint_dir, checkpoint_path, timeout=timeout)
        if new_path:
            start = time.time()
            checkpoint_path = new_path
            yield checkpoint_path
            time_to_next = start + min_interval_secs - time.time()
            if time_to_next > 0:
                time.sleep(time_to_next)
        elif timeout_fn is None:
            logging.info("Timed-out waiting for a checkpoint (without timeout_fn).")
            return
        if timeout_fn is not None and timeout_fn():
            logging.info("Done. No new checkpoints will be generated.")
            return

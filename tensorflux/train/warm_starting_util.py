"""`tf.train.warm_start`: initialize a model's variables from another model's checkpoint.

A thin layer over `tf.train.init_from_checkpoint`: it picks the variables (a regex over the
trainable variables, a list of regexes over all global variables, or a list of variables),
groups the parts of partitioned variables under their full name, and maps each to its name
in the checkpoint (`var_name_to_prev_var_name`, default: the same name).
"""

from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.ops.partitioned_variables import PartitionedVariable
from tensorflux.train import checkpoint_utils
from tensorflux.variables import Variable


def _infer_var_name(parts):
    """The checkpoint name of a variable, or of the full variable a list of parts makes."""
    names = set()
    for v in parts:
        info = v._get_save_slice_info() if isinstance(v, Variable) else None
        if isinstance(v, PartitionedVariable):
            names.add(v.name)
        elif info is not None:
            names.add(info.full_name)
        else:
            names.add(v.op.name)
    if len(names) > 1:
        raise TypeError("`var` = %s passed as arg violates the constraints.  "
                        "name_to_var_dict = %s" % (parts, sorted(names)))
    return names.pop()


def _get_grouped_variables(vars_to_warm_start):
    """{checkpoint-style name: [variable or parts]} of the variables to warm-start."""
    if isinstance(vars_to_warm_start, str) or vars_to_warm_start is None:
        variables = graph_lib.get_collection(GraphKeys.TRAINABLE_VARIABLES,
                                             scope=vars_to_warm_start)
    elif isinstance(vars_to_warm_start, list):
        if all(isinstance(v, str) for v in vars_to_warm_start):
            variables = []
            for v in vars_to_warm_start:
                variables += graph_lib.get_collection(GraphKeys.GLOBAL_VARIABLES, scope=v)
        elif all(isinstance(v, Variable) for v in vars_to_warm_start):
            variables = vars_to_warm_start
        else:
            raise ValueError("If `vars_to_warm_start` is a list, it must be all `Variable` or "
                             "all `str`.  Given types are %s"
                             % [type(v) for v in vars_to_warm_start])
    else:
        raise ValueError("`vars_to_warm_start must be a `list` or `str`.  Given type is %s"
                         % type(vars_to_warm_start))
    grouped = {}
    for v in variables:
        grouped.setdefault(_infer_var_name(v if isinstance(v, list) else [v]), []).append(v)
    return grouped


def warm_start(ckpt_to_initialize_from, vars_to_warm_start=".*", var_name_to_vocab_info=None,
               var_name_to_prev_var_name=None):
    """Makes the initializers of the chosen variables load them from a checkpoint.

    Args:
        ckpt_to_initialize_from: A checkpoint prefix, or a directory (its latest checkpoint).
        vars_to_warm_start: A regex over the trainable variables' names (default: all of
            them), a list of regexes over all global variables, a list of variables, or None
            (only the variables of `var_name_to_vocab_info`).
        var_name_to_vocab_info: Vocabulary remapping; not supported (must be empty).
        var_name_to_prev_var_name: {variable name: its name in the checkpoint}, for renamed
            variables; every key must name a warm-started variable.

    Raises:
        ValueError: For a bad `vars_to_warm_start`, unused `var_name_to_prev_var_name` keys,
            or what `init_from_checkpoint` rejects (missing tensors, other shapes).
        NotImplementedError: If `var_name_to_vocab_info` is given.

    Example:
        >>> tf.train.warm_start("/tmp/prev_model", vars_to_warm_start="dense/.*",
        ...                     var_name_to_prev_var_name={"dense/kernel": "old/kernel"})
    """
    if var_name_to_vocab_info:
        raise NotImplementedError("warm_start: var_name_to_vocab_info (vocabulary remapping) "
                                  "is not supported")
    grouped = _get_grouped_variables(vars_to_warm_start)
    renames = var_name_to_prev_var_name or {}
    # (checked before any initializer changes, so that a typo leaves the graph as it was)
    unused = set(renames) - {n for n in grouped if renames.get(n)}
    if unused:
        raise ValueError("You provided the following variables in var_name_to_prev_var_name "
                         "that were not used: %s.  Perhaps you misspelled them?  Here is the "
                         "list of viable variable names: %s" % (unused, grouped.keys()))
    if not vars_to_warm_start:
        return
    assignment = {}
    for var_name, parts in grouped.items():
        prev = renames.get(var_name)
        variable = parts[0] if len(parts) == 1 else parts
        if isinstance(variable, PartitionedVariable):
            variable = variable._get_variable_list()
        prev = prev or var_name
        if prev in assignment:  # one checkpoint tensor for two variables: flush the first
            checkpoint_utils.init_from_checkpoint(ckpt_to_initialize_from, assignment)
            assignment = {}
        assignment[prev] = variable
    if assignment:
        checkpoint_utils.init_from_checkpoint(ckpt_to_initialize_from, assignment)

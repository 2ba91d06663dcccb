"""`tf.initializers`: TF 1.15's initializer namespace, aliases of `tf.*_initializer`.

    >>> import tensorflux as tf
    >>> w = tf.get_variable("w", [3, 4], initializer=tf.initializers.glorot_uniform())
    >>> init = tf.initializers.global_variables()

The variable-initializer ops (`global_variables`, `local_variables`, `variables`) are the same
functions as `tf.global_variables_initializer` & co.
"""

from tensorflux.graph import graph as graph_lib
from tensorflux.ops import control_flow_ops
from tensorflux.ops.init_ops import (
    constant_initializer,
    glorot_normal_initializer,
    glorot_uniform_initializer,
    he_normal,
    he_uniform,
    identity_initializer,
    lecun_normal,
    lecun_uniform,
    ones_initializer,
    orthogonal_initializer,
    random_normal_initializer,
    random_uniform_initializer,
    truncated_normal_initializer,
    uniform_unit_scaling_initializer,
    variance_scaling_initializer,
    zeros_initializer,
)
from tensorflux.variables import (
    global_variables_initializer,
    local_variables_initializer,
    variables_initializer,
)


def tables_initializer(name="init_all_tables"):
    """Groups the initializers in the TABLE_INITIALIZERS collection (a no-op when it is empty).

    Example:
        >>> sess.run(tf.tables_initializer())
    """
    initializers = graph_lib.get_collection(graph_lib.GraphKeys.TABLE_INITIALIZERS)
    if initializers:
        return control_flow_ops.group(*initializers, name=name)
    return control_flow_ops.no_op(name=name)


def initialize_all_tables(name="init_all_tables"):
    """TF1's deprecated name of `tables_initializer`."""
    return tables_initializer(name)


constant = constant_initializer
glorot_normal = glorot_normal_initializer
glorot_uniform = glorot_uniform_initializer
identity = identity_initializer
ones = ones_initializer
orthogonal = orthogonal_initializer
random_normal = random_normal_initializer
random_uniform = random_uniform_initializer
truncated_normal = truncated_normal_initializer
uniform_unit_scaling = uniform_unit_scaling_initializer
variance_scaling = variance_scaling_initializer
zeros = zeros_initializer
global_variables = global_variables_initializer
local_variables = local_variables_initializer
variables = variables_initializer

__all__ = [
    "constant", "global_variables", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform",
    "identity", "lecun_normal", "lecun_uniform", "local_variables", "ones", "orthogonal",
    "random_normal", "random_uniform", "tables_initializer", "truncated_normal",
    "uniform_unit_scaling", "variables", "variance_scaling", "zeros",
]

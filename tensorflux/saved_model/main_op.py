"""`tf.saved_model.main_op`: the ops a SavedModel's loader runs after restoring variables."""

from tensorflux.graph import graph as graph_lib
from tensorflux.ops import control_flow_ops


def main_op():
    """A group that initialises all global and local variables and all tables.

    Note that it re-initialises restored variables too, as TF's does; use
    `main_op_with_restore` to run it after a restore instead.

    Example:
        >>> builder.add_meta_graph_and_variables(sess, ["serve"], main_op=main_op())
    """
    from tensorflux import initializers

    return control_flow_ops.group(initializers.global_variables_initializer(),
                                  initializers.local_variables_initializer(),
                                  initializers.tables_initializer())


def main_op_with_restore(restore_op_name):
    """A group that runs after the op named `restore_op_name` and initialises local
    variables and tables.

    Example:
        >>> op = main_op_with_restore(saver.saver_def.restore_op_name)
    """
    from tensorflux import initializers

    g = graph_lib.get_default_graph()
    with g.control_dependencies([g.as_graph_element(restore_op_name)]):
        return control_flow_ops.group(initializers.local_variables_initializer(),
                                      initializers.tables_initializer())

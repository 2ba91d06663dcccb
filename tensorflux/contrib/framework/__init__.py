"""`tf.contrib.framework`: `arg_scope`, TF-Slim's variable helpers, tensor checks
(`with_shape`, `assert_scalar_int`, ...), the deprecation decorators and `nest`.

Example:
    >>> from tensorflux.contrib.framework import arg_scope, get_variables_to_restore
"""

from tensorflux.compat.tf_internals import (
    get_graph_from_inputs,
    prepend_name_scope,
    strip_name_scope,
)
from tensorflux.contrib.framework.arg_scope import (
    add_arg_scope,
    arg_scope,
    arg_scope_func_key,
    arg_scoped_arguments,
    current_arg_scope,
    has_arg_scope,
)
from tensorflux.contrib.framework.framework_extra import (
    assert_scalar_int,
    get_placeholders,
    is_tensor,
    py_func,
    reduce_sum_n,
    remove_squeezable_dimensions,
    smart_cond,
    smart_constant_value,
    with_same_shape,
    with_shape,
    zero_initializer,
)
from tensorflux.contrib.framework.variables import (
    VariableDeviceChooser,
    add_model_variable,
    assert_global_step,
    assert_or_get_global_step,
    assign_from_checkpoint,
    assign_from_checkpoint_fn,
    assign_from_values,
    assign_from_values_fn,
    create_global_step,
    filter_variables,
    get_global_step,
    get_local_variables,
    get_model_variables,
    get_or_create_global_step,
    get_trainable_variables,
    get_unique_variable,
    get_variable_full_name,
    get_variables,
    get_variables_by_name,
    get_variables_by_suffix,
    get_variables_to_restore,
    global_variable,
    local_variable,
    model_variable,
    variable,
)
from tensorflux.distributions.util import assert_same_float_dtype
from tensorflux.graph.graph import get_name_scope
from tensorflux.ops.array_extras import argsort, sort
from tensorflux.ops.debug_ops import assert_scalar, is_numeric_tensor
from tensorflux.ops.math_composites import is_non_decreasing, is_strictly_increasing
from tensorflux.ops.sparse_tensor import convert_to_tensor_or_sparse_tensor
from tensorflux.train.checkpoint_utils import init_from_checkpoint
from tensorflux.train.saver import list_variables, load_checkpoint, load_variable
from tensorflux.util import nest
from tensorflux.util.deprecation import deprecated, deprecated_arg_values, deprecated_args

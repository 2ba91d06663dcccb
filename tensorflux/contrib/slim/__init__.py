"""`tf.contrib.slim` (TF-Slim): layers, `arg_scope`, variable helpers, losses, metrics, the
training loop (`slim.learning`), evaluation (`slim.evaluation`), the queue-based data pipeline
(`slim.dataset`, `slim.tfexample_decoder`, `slim.dataset_data_provider`, `slim.parallel_reader`,
`slim.prefetch_queue`, `slim.queues`), `slim.summaries`, `slim.model_analyzer`, and the model
zoo (`slim.nets`, imported on first use).

Example:
    >>> slim = tf.contrib.slim
    >>> with slim.arg_scope([slim.conv2d], padding="SAME",
    ...                     weights_regularizer=slim.l2_regularizer(0.0005)):
    ...     net = slim.conv2d(images, 64, [3, 3], scope="conv1")
"""

from tensorflux.contrib import metrics
from tensorflux.contrib.framework import (
    VariableDeviceChooser,
    add_arg_scope,
    add_model_variable,
    arg_scope,
    arg_scope_func_key,
    arg_scoped_arguments,
    assert_global_step,
    assert_or_get_global_step,
    assign_from_checkpoint,
    assign_from_checkpoint_fn,
    assign_from_values,
    assign_from_values_fn,
    create_global_step,
    current_arg_scope,
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
    has_arg_scope,
    local_variable,
    model_variable,
    variable,
)
from tensorflux.contrib.layers import (
    apply_regularization,
    avg_pool2d,
    avg_pool3d,
    batch_norm,
    bias_add,
    conv1d,
    conv2d,
    conv2d_transpose,
    conv3d,
    conv3d_transpose,
    convolution,
    convolution1d,
    convolution2d,
    convolution2d_transpose,
    convolution3d,
    convolution3d_transpose,
    dropout,
    elu,
    flatten,
    fully_connected,
    group_norm,
    instance_norm,
    l1_l2_regularizer,
    l1_regularizer,
    l2_regularizer,
    layer_norm,
    linear,
    max_pool2d,
    max_pool3d,
    one_hot_encoding,
    pool,
    relu,
    relu6,
    repeat,
    separable_conv2d,
    separable_convolution2d,
    softmax,
    spatial_softmax,
    stack,
    sum_regularizer,
    unit_norm,
    utils,
    variance_scaling_initializer,
    xavier_initializer,
    xavier_initializer_conv2d,
)
from tensorflux.contrib.slim import (
    data_decoder,
    data_provider,
    dataset,
    dataset_data_provider,
    evaluation,
    learning,
    losses,
    model_analyzer,
    parallel_reader,
    prefetch_queue,
    queues,
    summaries,
    tfexample_decoder,
)


def __getattr__(name):
    # The zoo imports tensorflux.models, which needs the whole tensorflux package: load it on
    # first use of `slim.nets` rather than while `tensorflux` itself is being imported.
    if name == "nets":
        import importlib

        return importlib.import_module("tensorflux.contrib.slim.nets")
    raise AttributeError("module %r has no attribute %r" % (__name__, name))

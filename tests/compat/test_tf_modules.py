"""The module table under the `tensorflow` alias: every listed module imports, and the names
TF1 code uses from each (as TF 1.15 had them) are there and are the tensorflux objects."""

import importlib

import pytest

import tensorflux
from tensorflux.compat import tensorflow_alias, tf_modules

P = "tensorflow.python."
REPRESENTATIVE = {
    P + "framework.ops": [
        "Tensor", "Operation", "Graph", "GraphKeys", "RegisterGradient", "NotDifferentiable",
        "get_default_graph", "reset_default_graph", "name_scope", "control_dependencies",
        "device", "colocate_with", "convert_to_tensor", "convert_n_to_tensor", "IndexedSlices",
        "add_to_collection", "get_collection", "get_collection_ref", "init_scope", "uid",
        "prepend_name_scope", "strip_name_scope", "get_gradient_function",
        "register_tensor_conversion_function", "_get_graph_from_inputs"],
    P + "framework.dtypes": ["DType", "as_dtype", "float32", "float64", "int32", "int64",
                             "string", "bool", "uint8", "float32_ref"],
    P + "framework.tensor_shape": ["TensorShape", "Dimension", "as_shape", "unknown_shape",
                                   "scalar", "vector", "matrix", "dimension_value",
                                   "as_dimension"],
    P + "framework.constant_op": ["constant"],
    P + "framework.random_seed": ["set_random_seed", "get_seed", "DEFAULT_GRAPH_SEED"],
    P + "framework.sparse_tensor": ["SparseTensor", "SparseTensorValue", "is_sparse",
                                    "convert_to_tensor_or_sparse_tensor"],
    P + "framework.errors_impl": ["OpError", "NotFoundError", "InvalidArgumentError",
                                  "OutOfRangeError", "FailedPreconditionError"],
    P + "framework.test_util": ["TensorFlowTestCase", "run_deprecated_v1", "run_v1_only",
                                "run_in_graph_and_eager_modes", "gpu_device_name",
                                "is_gpu_available"],
    P + "ops.array_ops": [
        "placeholder", "placeholder_with_default", "reshape", "concat", "stack", "unstack",
        "expand_dims", "squeeze", "shape", "size", "rank", "zeros", "ones", "zeros_like",
        "ones_like", "fill", "gather", "gather_nd", "transpose", "slice", "strided_slice",
        "split", "tile", "pad", "where", "one_hot", "identity", "stop_gradient",
        "sparse_placeholder", "boolean_mask", "sequence_mask", "reverse_sequence",
        "matrix_band_part", "space_to_depth", "depth_to_space"],
    P + "ops.math_ops": [
        "add", "subtract", "multiply", "matmul", "reduce_sum", "reduce_mean", "reduce_max",
        "cast", "to_float", "argmax", "argmin", "equal", "range", "sigmoid", "tanh", "exp",
        "log", "sqrt", "square", "add_n", "maximum", "minimum", "tensordot", "count_nonzero",
        "div", "truediv", "floordiv", "abs", "pow", "logical_and", "less", "greater"],
    P + "ops.nn": [
        "relu", "relu6", "elu", "softmax", "log_softmax", "conv2d", "max_pool", "avg_pool",
        "bias_add", "dropout", "softmax_cross_entropy_with_logits",
        "sparse_softmax_cross_entropy_with_logits", "sigmoid_cross_entropy_with_logits",
        "l2_loss", "moments", "batch_normalization", "embedding_lookup", "in_top_k", "top_k",
        "l2_normalize", "depthwise_conv2d", "conv2d_transpose", "fused_batch_norm", "lrn"],
    P + "ops.nn_ops": ["conv2d", "max_pool", "avg_pool", "relu", "bias_add", "softmax",
                       "dropout", "top_k", "in_top_k", "conv2d_transpose"],
    P + "ops.init_ops": ["Initializer", "Zeros", "Ones", "Constant", "RandomNormal",
                         "TruncatedNormal", "RandomUniform", "VarianceScaling", "GlorotUniform",
                         "Orthogonal", "zeros_initializer", "constant_initializer",
                         "glorot_uniform_initializer", "truncated_normal_initializer",
                         "variance_scaling_initializer", "he_normal", "lecun_uniform"],
    P + "ops.variable_scope": ["variable_scope", "variable_op_scope", "get_variable",
                               "get_local_variable", "get_variable_scope", "VariableScope",
                               "AUTO_REUSE", "_get_default_variable_store", "variable",
                               "no_regularizer"],
    P + "ops.variables": ["Variable", "VariableV1", "RefVariable", "PartitionedVariable",
                          "global_variables", "local_variables", "trainable_variables",
                          "global_variables_initializer", "variables_initializer",
                          "report_uninitialized_variables", "is_variable_initialized"],
    P + "ops.random_ops": ["random_normal", "random_uniform", "truncated_normal",
                           "random_shuffle", "random_crop", "multinomial"],
    P + "ops.control_flow_ops": ["cond", "case", "while_loop", "group", "tuple", "no_op",
                                 "with_dependencies", "Assert"],
    P + "ops.state_ops": ["assign", "assign_add", "assign_sub", "variable_op",
                          "is_variable_initialized"],
    P + "ops.standard_ops": ["add", "matmul", "placeholder", "reduce_sum", "cond", "assign",
                             "gradients", "Variable"],
    P + "ops.check_ops": ["assert_equal", "assert_less", "assert_rank", "assert_type",
                          "assert_positive", "assert_non_negative", "is_numeric_tensor"],
    P + "ops.clip_ops": ["clip_by_value", "clip_by_norm", "clip_by_global_norm", "global_norm"],
    P + "ops.gradients_impl": ["gradients", "hessians", "AggregationMethod"],
    P + "ops.image_ops": ["resize_images", "resize_bilinear", "resize_nearest_neighbor",
                          "ResizeMethod", "flip_left_right", "random_flip_left_right",
                          "per_image_standardization", "convert_image_dtype", "central_crop",
                          "resize_image_with_crop_or_pad", "decode_png", "encode_png",
                          "rgb_to_grayscale"],
    P + "ops.io_ops": ["read_file", "write_file", "matching_files"],
    P + "ops.logging_ops": ["Print", "print_v2"],
    P + "ops.sparse_ops": ["sparse_add", "sparse_tensor_to_dense", "sparse_to_dense",
                           "sparse_tensor_dense_matmul", "sparse_reduce_sum", "sparse_reorder"],
    P + "ops.data_flow_ops": ["dynamic_stitch"],
    P + "ops.metrics": ["accuracy", "mean", "precision", "recall", "mean_squared_error",
                        "mean_absolute_error"],
    P + "ops.partitioned_variables": ["fixed_size_partitioner", "min_max_variable_partitioner",
                                      "variable_axis_size_partitioner",
                                      "create_partitioned_variables"],
    P + "ops.custom_gradient": ["custom_gradient"],
    P + "training.saver": ["Saver", "latest_checkpoint", "get_checkpoint_state",
                           "checkpoint_exists", "export_meta_graph"],
    P + "training.training_util": ["get_global_step", "get_or_create_global_step",
                                   "create_global_step", "global_step",
                                   "_get_or_create_global_step_read"],
    P + "training.optimizer": ["Optimizer"],
    P + "training.gradient_descent": ["GradientDescentOptimizer"],
    P + "training.moving_averages": ["ExponentialMovingAverage", "assign_moving_average"],
    P + "training.checkpoint_management": ["latest_checkpoint", "get_checkpoint_state",
                                           "update_checkpoint_state", "checkpoint_exists"],
    P + "training.session_run_hook": ["SessionRunHook", "SessionRunArgs", "SessionRunContext",
                                      "SessionRunValues"],
    P + "training.basic_session_run_hooks": [
        "StopAtStepHook", "LoggingTensorHook", "CheckpointSaverHook", "StepCounterHook",
        "NanTensorHook", "SummarySaverHook", "FinalOpsHook", "FeedFnHook",
        "SecondOrStepTimer", "NanLossDuringTrainingError", "CheckpointSaverListener"],
    P + "training.monitored_session": ["MonitoredSession", "SingularMonitoredSession",
                                       "MonitoredTrainingSession", "Scaffold",
                                       "ChiefSessionCreator", "WorkerSessionCreator"],
    P + "layers.base": ["Layer", "InputSpec"],
    P + "layers.core": ["Dense", "Dropout", "Flatten", "dense", "dropout", "flatten"],
    P + "layers.convolutional": ["Conv2D", "conv2d", "Conv2DTranspose", "conv2d_transpose",
                                 "separable_conv2d", "conv1d", "conv3d"],
    P + "layers.normalization": ["BatchNormalization", "batch_normalization"],
    P + "layers.pooling": ["MaxPooling2D", "max_pooling2d", "AveragePooling2D",
                           "average_pooling2d"],
    P + "platform.test": ["TestCase", "main", "get_temp_dir", "is_gpu_available"],
    P + "platform.tf_logging": ["info", "warning", "error", "set_verbosity", "INFO", "DEBUG"],
    P + "platform.gfile": ["GFile", "FastGFile", "Exists", "MakeDirs", "Glob", "Remove"],
    P + "summary.summary": ["scalar", "histogram", "image", "text", "merge", "merge_all",
                            "tensor_summary", "FileWriter", "FileWriterCache", "Summary"],
    P + "client.session": ["Session", "InteractiveSession", "BaseSession"],
    P + "util.deprecation": ["deprecated", "deprecated_args", "deprecated_arg_values",
                             "deprecated_alias", "silence", "deprecated_argument_lookup"],
    P + "util.nest": ["flatten", "pack_sequence_as", "map_structure", "is_sequence",
                      "assert_same_structure"],
    P + "util.compat": ["as_bytes", "as_text", "as_str", "as_str_any"],
    "tensorflow.examples.tutorials.mnist.input_data": ["read_data_sets"],
    "tensorflow.contrib.layers.python.layers.layers": ["conv2d", "fully_connected", "flatten"],
    "tensorflow.contrib.framework.python.ops.arg_scope": ["arg_scope", "add_arg_scope"],
}
SAME_OBJECT = [
    (P + "framework.ops", "Tensor", tensorflux.Tensor),
    (P + "framework.ops", "Graph", tensorflux.Graph),
    (P + "ops.variables", "VariableV1", tensorflux.Variable),
    (P + "ops.variable_scope", "variable", tensorflux.Variable),
    (P + "framework.test_util", "TensorFlowTestCase", tensorflux.test.TestCase),
    (P + "ops.math_ops", "reduce_sum", tensorflux.reduce_sum),
    (P + "ops.nn", "conv2d", tensorflux.nn.conv2d),
    (P + "training.monitored_session", "MonitoredTrainingSession",
     tensorflux.train.MonitoredTrainingSession),
    (P + "summary.summary", "FileWriter", tensorflux.summary.FileWriter),
    (P + "framework.sparse_tensor", "SparseTensor", tensorflux.SparseTensor),
]


@pytest.fixture
def alias():
    tensorflow_alias.install_as_tensorflow()
    yield
    tensorflow_alias.uninstall()


def test_every_required_module_is_in_the_table():
    missing = [m for m in REPRESENTATIVE if m not in tf_modules.MODULES]
    assert not missing


@pytest.mark.parametrize("name", sorted(tf_modules.MODULES))
def test_module_imports_with_its_names(alias, name):
    mod = importlib.import_module(name)
    for _, names in tf_modules.MODULES[name]:
        if names == "*":
            continue
        for entry in names:
            alias_name = entry.partition("=")[0]
            assert hasattr(mod, alias_name), (name, alias_name)
    for attr in REPRESENTATIVE.get(name, []):
        assert hasattr(mod, attr), "%s lacks %s" % (name, attr)


@pytest.mark.parametrize("module,attr,obj", SAME_OBJECT)
def test_names_are_the_tensorflux_objects(alias, module, attr, obj):
    assert getattr(importlib.import_module(module), attr) is obj


def test_from_imports_and_package_attributes(alias):
    from tensorflow.python.framework import ops, test_util
    from tensorflow.python.ops import array_ops, variable_scope

    assert ops.get_default_graph() is tensorflux.get_default_graph()
    assert array_ops.placeholder is tensorflux.placeholder
    assert callable(test_util.run_deprecated_v1(lambda: 1))
    assert variable_scope._get_default_variable_store() is not None
    import tensorflow.python as tfp

    assert tfp.util.deprecation.deprecated is not None  # children load on attribute access


def test_contrib_packages_stay_tensorflux(alias):
    import tensorflow.contrib.layers as layers
    from tensorflow.contrib.layers.python.layers import initializers

    assert layers is tensorflux.contrib.layers
    assert initializers.xavier_initializer is tensorflux.contrib.layers.xavier_initializer


def test_ops_helpers():
    from tensorflux.compat import tf_internals as ti

    assert ti.prepend_name_scope("a/b:0", "imp") == "imp/a/b:0"
    assert ti.prepend_name_scope("^a", "imp") == "^imp/a"
    assert ti.strip_name_scope("imp/a/b", "imp") == "a/b"
    assert ti.strip_name_scope("^imp/a", "imp") == "^a"
    assert ti.uid() < ti.uid()
    g = tensorflux.Graph()
    with g.as_default():
        x = tensorflux.constant(1.0)
        assert ti.get_graph_from_inputs([x]) is g
        assert ti.get_gradient_function(tensorflux.sin(x).op) is not None
    assert ti.as_dimension(3).value == 3

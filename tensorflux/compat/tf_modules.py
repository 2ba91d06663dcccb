"""The table of TensorFlow-internal modules that TF1-era code imports, with TF 1.15's names.

Each entry maps a module name to a list of `(tensorflux module, names)`; a name may be
`"alias=attribute"`, and `"*"` takes every public name of the source module. A module listed
here is built on first import (`tensorflow_alias._shim`); any other `tensorflow.X.Y` is
`tensorflux.X.Y` when that exists.

The names are those the TF modules had (TF 1.15's, as kept by later 1.x-compatible releases)
that tensorflux can back; `tests/compat/test_tf_modules.py` imports every module and checks
representative names. What is missing is mostly TF's generated raw-op wrappers and kernels
tensorflux does not have: queues and staging areas (`data_flow_ops` has only
`dynamic_stitch`), string/audio/JPEG ops, `scatter_*`
variable updates.
"""

_TI = "tensorflux.compat.tf_internals"

MODULES = {
    # --- kept from the first version of this table ---------------------------------------------
    "tensorflow.python.framework.errors_impl": [("tensorflux.errors", "*")],
    "tensorflow.python.framework.errors": [("tensorflux.errors", "*")],
    "tensorflow.python.data.ops.dataset_ops": [
        ("tensorflux.data.dataset_ops", ["AUTOTUNE", "Dataset", "DatasetV1=Dataset"])],
    "tensorflow.python.data.ops.iterator_ops": [
        ("tensorflux.data.iterator_ops", ["Iterator"])],
    "tensorflow.python.platform.tf_logging": [("tensorflux.platform.tf_logging", "*")],
    "tensorflow.python.platform.gfile": [("tensorflux.platform.gfile", "*")],
    "tensorflow.python.platform.test": [("tensorflux.platform.test", "*")],
    "tensorflow.python.platform.app": [("tensorflux.platform.app", "*")],
    "tensorflow.python.platform.flags": [("tensorflux.platform.flags", "*")],
    "tensorflow.examples.tutorials.mnist.input_data": [
        ("tensorflux.datasets.mnist_input_data", "*")],
    # --- TF-Slim / contrib code imports these paths ---------------------------------------------
    "tensorflow.contrib.layers.python.layers.layers": [("tensorflux.contrib.layers", "*")],
    "tensorflow.contrib.layers.python.layers.initializers": [
        ("tensorflux.contrib.layers.initializers", "*")],
    "tensorflow.contrib.layers.python.layers.regularizers": [
        ("tensorflux.contrib.layers.regularizers", "*")],
    "tensorflow.contrib.layers.python.layers.utils": [("tensorflux.contrib.layers.utils", "*")],
    "tensorflow.contrib.framework.python.ops.arg_scope": [
        ("tensorflux.contrib.framework.arg_scope", "*")],
    "tensorflow.contrib.framework.python.ops.variables": [
        ("tensorflux.contrib.framework.variables", "*")],
    # --- tensorflow.python.* ------------------------------------------------------------------
    "tensorflow.python.client.device_lib": [
        ("tensorflux.client.device_lib", [
            "list_local_devices",
        ]),
    ],
    "tensorflow.python.client.session": [
        ("tensorflux.client.session", [
            "BaseSession", "InteractiveSession", "Session",
        ]),
    ],
    "tensorflow.python.client.timeline": [
        ("tensorflux.client.timeline", [
            "AllocationMaximum", "StepStatsAnalysis", "Timeline",
        ]),
    ],
    "tensorflow.python.framework.constant_op": [
        ("tensorflux.ops.constant_op", [
            "constant", "constant_v1=constant",
        ]),
    ],
    "tensorflow.python.framework.dtypes": [
        (_TI, [
            "bfloat16_ref", "bool_ref", "complex128_ref", "complex64_ref", "double_ref",
            "float16_ref", "float32_ref", "float64_ref", "half_ref", "int16_ref", "int32_ref",
            "int64_ref", "int8_ref", "resource_ref", "string_ref", "uint16_ref", "uint32_ref",
            "uint64_ref", "uint8_ref", "variant_ref",
        ]),
        ("tensorflux.graph.dtypes", [
            "as_dtype", "bfloat16", "bool", "complex128", "complex64", "double", "DType",
            "float16", "float32", "float64", "half", "int16", "int32", "int64", "int8",
            "QUANTIZED_DTYPES", "resource", "string", "uint16", "uint32", "uint64", "uint8",
            "variant",
        ]),
    ],
    "tensorflow.python.framework.graph_io": [("tensorflux.graph.text_format", ["write_graph"])],
    "tensorflow.python.framework.graph_util": [("tensorflux.graph.graph_util", "*")],
    "tensorflow.python.framework.graph_util_impl": [("tensorflux.graph.graph_util", "*")],
    "tensorflow.python.framework.importer": [
        ("tensorflux.graph.importer", ["import_graph_def"])],
    "tensorflow.python.framework.meta_graph": [
        ("tensorflux.train.meta_graph", ["read_meta_graph_file"])],
    "tensorflow.python.framework.ops": [
        ("tensorflux", [
            "cast", "disable_eager_execution", "enable_eager_execution", "executing_eagerly",
            "get_default_session",
        ]),
        (_TI, [
            "_get_graph_from_inputs=get_graph_from_inputs", "container",
            "convert_to_tensor_or_composite", "convert_to_tensor_or_indexed_slices",
            "executing_eagerly_outside_functions", "get_all_collection_keys",
            "get_gradient_function", "has_default_graph", "inside_function",
            "is_dense_tensor_like", "op_scope", "prepend_name_scope", "RegisterShape",
            "strip_name_scope", "uid",
        ]),
        ("tensorflux.gradients", [
            "no_gradient", "NoGradient", "NotDifferentiable", "RegisterGradient",
        ]),
        ("tensorflux.graph.device_spec", [
            "DeviceSpec",
        ]),
        ("tensorflux.graph.graph", [
            "add_to_collection", "add_to_collections", "colocate_with", "control_dependencies",
            "device", "get_collection", "get_collection_ref", "get_default_graph",
            "get_name_scope", "Graph", "GraphKeys", "init_scope", "name_scope",
            "name_scope_v1=name_scope", "Operation", "reset_default_graph",
        ]),
        ("tensorflux.graph.tensor", [
            "Tensor",
        ]),
        ("tensorflux.ops.constant_op", [
            "convert_n_to_tensor", "convert_to_tensor",
            "internal_convert_n_to_tensor=convert_n_to_tensor",
            "internal_convert_to_tensor=convert_to_tensor", "register_tensor_conversion_function",
        ]),
        ("tensorflux.ops.indexed_slices", [
            "IndexedSlices", "IndexedSlicesValue",
        ]),
    ],
    "tensorflow.python.framework.random_seed": [
        ("tensorflux.ops.random_ops", [
            "DEFAULT_GRAPH_SEED", "get_seed", "set_random_seed",
        ]),
    ],
    "tensorflow.python.framework.sparse_tensor": [
        ("tensorflux.ops.sparse_tensor", [
            "convert_to_tensor_or_sparse_tensor", "is_sparse", "SparseTensor", "SparseTensorValue",
        ]),
    ],
    "tensorflow.python.framework.tensor_shape": [
        (_TI, [
            "as_dimension",
        ]),
        ("tensorflux.graph.tensor_shape", [
            "as_shape", "Dimension", "dimension_at_index", "dimension_value", "matrix", "scalar",
            "TensorShape", "unknown_shape", "vector",
        ]),
    ],
    "tensorflow.python.framework.tensor_util": [
        ("tensorflux.ops.constant_op", [
            "constant_value", "constant_value_as_shape", "is_tensor",
        ]),
    ],
    "tensorflow.python.framework.test_util": [
        (_TI, [
            "also_run_as_tf_function", "assert_no_garbage_created",
            "assert_no_new_pyobjects_executing_eagerly", "assert_no_new_tensors",
            "assert_ops_in_graph", "build_as_function_and_v1_graph", "deprecated_graph_mode_only",
            "device", "disable_control_flow_v2", "disable_xla", "enable_control_flow_v2",
            "for_all_test_methods", "gpu_device_name", "is_gpu_available", "IsGoogleCudaEnabled",
            "IsMklEnabled", "run_all_in_deprecated_graph_mode_only",
            "run_all_in_graph_and_eager_modes", "run_deprecated_v1",
            "run_in_graph_and_eager_modes", "run_v1_only", "run_v2_only", "with_control_flow_v2",
            "xla_allow_fallback",
        ]),
        ("tensorflux.platform.test", [
            "TensorFlowTestCase=TestCase",
        ]),
    ],
    "tensorflow.python.layers.base": [
        ("tensorflux.layers", [
            "InputSpec", "Layer",
        ]),
    ],
    "tensorflow.python.layers.convolutional": [
        ("tensorflux.layers", [
            "Conv1D", "conv1d", "Conv2D", "conv2d", "conv2d_transpose", "Conv2DTranspose",
            "Conv3D", "conv3d", "conv3d_transpose", "Conv3DTranspose", "Convolution1D",
            "convolution1d", "Convolution2D", "convolution2d", "convolution2d_transpose",
            "Convolution2DTranspose", "Convolution3D", "convolution3d", "convolution3d_transpose",
            "Convolution3DTranspose", "Deconv2D", "deconv2d", "Deconv3D", "deconv3d",
            "Deconvolution2D", "deconvolution2d", "Deconvolution3D", "deconvolution3d",
            "separable_conv1d", "separable_conv2d", "separable_convolution2d", "SeparableConv1D",
            "SeparableConv2D", "SeparableConvolution2D",
        ]),
    ],
    "tensorflow.python.layers.core": [
        ("tensorflux.layers", [
            "Dense", "dense", "Dropout", "dropout", "Flatten", "flatten",
        ]),
    ],
    "tensorflow.python.layers.normalization": [
        ("tensorflux.layers", [
            "batch_norm", "batch_normalization", "BatchNorm", "BatchNormalization",
        ]),
    ],
    "tensorflow.python.layers.pooling": [
        ("tensorflux.layers", [
            "average_pooling1d", "average_pooling2d", "average_pooling3d", "AveragePooling1D",
            "AveragePooling2D", "AveragePooling3D", "avg_pool2d", "AvgPool2D", "max_pool2d",
            "max_pooling1d", "max_pooling2d", "max_pooling3d", "MaxPool2D", "MaxPooling1D",
            "MaxPooling2D", "MaxPooling3D",
        ]),
    ],
    "tensorflow.python.lib.io.file_io": [
        (_TI, [
            "atomic_write_string_to_file", "read_file_to_string", "write_string_to_file",
        ]),
        ("tensorflux.platform.gfile", [
            "copy=Copy", "create_dir=MkDir", "delete_file=Remove",
            "delete_recursively=DeleteRecursively", "file_exists=Exists", "FileIO=GFile",
            "get_matching_files=Glob", "is_directory=IsDirectory", "list_directory=ListDirectory",
            "recursive_create_dir=MakeDirs", "rename=Rename", "stat=Stat", "walk=Walk",
        ]),
    ],
    "tensorflow.python.lib.io.tf_record": [
        ("tensorflux.io", [
            "tf_record_iterator", "TFRecordCompressionType", "TFRecordOptions", "TFRecordWriter",
        ]),
    ],
    "tensorflow.core.example.example_pb2": [
        ("tensorflux.train.example_protos", ["Example", "SequenceExample"]),
    ],
    "tensorflow.core.example.feature_pb2": [
        ("tensorflux.train.example_protos", [
            "BytesList", "Feature", "FeatureList", "FeatureLists", "Features", "FloatList",
            "Int64List",
        ]),
    ],
    "tensorflow.python.ops.parsing_ops": [
        ("tensorflux.ops.parsing_ops", [
            "decode_csv", "decode_raw", "FixedLenFeature", "FixedLenSequenceFeature",
            "parse_example",
            "parse_single_example", "VarLenFeature",
        ]),
    ],
    "tensorflow.python.ops.array_ops": [
        ("tensorflux", [
            "boolean_mask", "broadcast_gradient_args", "broadcast_to", "check_numerics", "concat",
            "constant", "depth_to_space", "expand_dims", "fill", "gather", "gather_nd", "identity",
            "identity_n", "invert_permutation", "matrix_band_part", "matrix_diag",
            "matrix_diag_part", "matrix_set_diag", "meshgrid", "newaxis", "one_hot", "ones",
            "ones_like", "pack", "pad", "parallel_stack=stack", "placeholder",
            "placeholder_with_default", "rank", "reshape", "reverse", "reverse_sequence",
            "reverse_v2", "scatter_nd", "sequence_mask", "setdiff1d", "shape", "size", "slice",
            "space_to_depth", "sparse_placeholder", "split", "squeeze", "stack", "stop_gradient",
            "strided_slice", "tile", "transpose", "unique", "unique_with_counts", "unpack",
            "unstack", "where", "where_v2", "zeros", "zeros_like",
        ]),
        ("tensorflux.ops.image_patch_ops", ["extract_image_patches"]),
    ],
    "tensorflow.python.ops.check_ops": [
        ("tensorflux.ops.debug_ops", [
            "assert_equal", "assert_greater", "assert_greater_equal", "assert_integer",
            "assert_less", "assert_less_equal", "assert_near", "assert_negative",
            "assert_non_negative", "assert_non_positive", "assert_none_equal", "assert_positive",
            "assert_rank", "assert_rank_at_least", "assert_scalar", "assert_type",
            "is_numeric_tensor",
        ]),
    ],
    "tensorflow.python.ops.clip_ops": [
        ("tensorflux", [
            "clip_by_value",
        ]),
        ("tensorflux.ops.clip_ops", [
            "clip_by_average_norm", "clip_by_global_norm", "clip_by_norm", "global_norm",
        ]),
    ],
    "tensorflow.python.ops.control_flow_ops": [
        ("tensorflux", [
            "Assert", "case", "cond", "foldl", "foldr", "map_fn", "scan", "while_loop",
        ]),
        (_TI, [
            "smart_cond",
        ]),
        ("tensorflux.ops.control_flow_ops", [
            "group", "no_op", "tuple", "with_dependencies",
        ]),
    ],
    "tensorflow.python.ops.custom_gradient": [
        ("tensorflux.ops.custom_gradient", [
            "custom_gradient",
        ]),
    ],
    "tensorflow.python.ops.data_flow_ops": [
        ("tensorflux", [
            "dynamic_stitch",
        ]),
    ],
    "tensorflow.python.ops.embedding_ops": [
        ("tensorflux.nn", [
            "embedding_lookup",
        ]),
    ],
    "tensorflow.python.ops.functional_ops": [
        ("tensorflux", [
            "foldl", "foldr", "map_fn", "scan",
        ]),
    ],
    "tensorflow.python.ops.gradients": [
        (_TI, [
            "AggregationMethod",
        ]),
        ("tensorflux.gradients", [
            "gradients", "hessians", "UnconnectedGradients",
        ]),
    ],
    "tensorflow.python.ops.gradients_impl": [
        (_TI, [
            "AggregationMethod",
        ]),
        ("tensorflux.gradients", [
            "gradients", "hessians", "UnconnectedGradients",
        ]),
    ],
    "tensorflow.python.ops.image_ops": [
        ("tensorflux.ops.image_ops", [
            "adjust_brightness", "adjust_contrast", "central_crop", "convert_image_dtype",
            "crop_to_bounding_box", "decode_image", "decode_jpeg", "decode_png", "encode_jpeg",
            "encode_png", "flip_left_right", "flip_up_down", "grayscale_to_rgb",
            "pad_to_bounding_box", "per_image_standardization", "random_brightness",
            "random_contrast", "random_crop", "random_flip_left_right", "random_flip_up_down",
            "resize_area", "resize_bicubic", "resize_bilinear", "resize_image_with_crop_or_pad",
            "resize_images", "resize_nearest_neighbor", "ResizeMethod", "rgb_to_grayscale",
            "rot90", "transpose",
        ]),
        ("tensorflux.ops.image_ops", ["resize_image_with_pad"]),
        ("tensorflux.ops.image_box_ops", [
            "crop_and_resize", "draw_bounding_boxes", "non_max_suppression",
            "non_max_suppression_with_scores", "sample_distorted_bounding_box",
        ]),
        ("tensorflux.ops.image_color_ops", [
            "adjust_gamma", "adjust_hue", "adjust_saturation", "hsv_to_rgb", "random_hue",
            "random_saturation", "rgb_to_hsv", "rgb_to_yiq", "rgb_to_yuv", "yiq_to_rgb",
            "yuv_to_rgb",
        ]),
        ("tensorflux.ops.image_quality_ops", [
            "image_gradients", "psnr", "sobel_edges", "ssim", "total_variation",
        ]),
    ],
    "tensorflow.python.ops.init_ops": [
        ("tensorflux.ops.init_ops", [
            "Constant", "constant_initializer", "glorot_normal_initializer",
            "glorot_uniform_initializer", "GlorotNormal", "GlorotUniform", "he_normal",
            "he_uniform", "Identity", "identity_initializer", "Initializer", "lecun_normal",
            "lecun_uniform", "Ones", "ones_initializer", "Orthogonal",
            "orthogonal_initializer", "random_normal_initializer", "random_uniform_initializer",
            "RandomNormal", "RandomUniform", "truncated_normal_initializer", "TruncatedNormal",
            "uniform_unit_scaling_initializer", "UniformUnitScaling",
            "variance_scaling_initializer", "VarianceScaling", "Zeros", "zeros_initializer",
        ]),
    ],
    "tensorflow.python.ops.io_ops": [
        ("tensorflux.ops.io_ops", [
            "matching_files", "read_file", "write_file",
        ]),
    ],
    "tensorflow.python.ops.logging_ops": [
        ("tensorflux.ops.debug_ops", [
            "Assert", "Print", "print_v2",
        ]),
    ],
    "tensorflow.python.ops.losses.losses": [
        ("tensorflux.losses", [
            "absolute_difference", "add_loss", "compute_weighted_loss", "cosine_distance",
            "get_losses", "get_regularization_loss", "get_regularization_losses", "get_total_loss",
            "hinge_loss", "huber_loss", "log_loss", "mean_pairwise_squared_error",
            "mean_squared_error", "Reduction", "sigmoid_cross_entropy", "softmax_cross_entropy",
            "sparse_softmax_cross_entropy",
        ]),
    ],
    "tensorflow.python.ops.math_ops": [
        ("tensorflux", [
            "abs", "acos", "acosh", "add", "add_n", "argmax", "argmin", "asin", "asinh", "atan",
            "atan2", "atanh", "cast", "ceil", "cos", "cosh", "count_nonzero", "cumprod", "cumsum",
            "digamma", "div",
            "div_no_nan", "divide", "equal", "erf", "erfc", "exp", "expm1", "floor", "floordiv",
            "floormod", "greater", "greater_equal", "is_finite", "is_inf", "is_nan", "less",
            "less_equal", "lgamma", "lin_space", "linspace", "log", "log1p", "logical_and",
            "logical_not", "logical_or", "logical_xor", "matmul", "maximum", "minimum", "mod",
            "multiply", "negative", "not_equal", "pow", "range", "realdiv", "reciprocal",
            "reduce_all", "reduce_any", "reduce_logsumexp", "reduce_max", "reduce_mean",
            "reduce_min", "reduce_prod", "reduce_sum", "rint", "round", "rsqrt", "saturate_cast",
            "scalar_mul", "segment_max", "segment_mean", "segment_min", "segment_sum", "sigmoid",
            "sign", "sin", "sinh", "sqrt", "square", "squared_difference", "subtract", "tan",
            "tanh", "tensordot", "to_double", "to_float", "to_int32", "to_int64", "truediv",
            "truncatediv", "truncatemod", "unsorted_segment_sum",
        ]),
        ("tensorflux", [
            "accumulate_n", "bincount", "is_non_decreasing", "is_strictly_increasing",
            "log_sigmoid", "trace", "unsorted_segment_max", "unsorted_segment_mean",
            "unsorted_segment_min", "unsorted_segment_prod", "unsorted_segment_sqrt_n",
        ]),
        ("tensorflux.math", [
            "cumulative_logsumexp", "erfinv", "mul_no_nan=multiply_no_nan", "ndtri", "polyval",
            "reciprocal_no_nan", "reduce_std", "reduce_variance", "xdivy", "xlogy",
        ]),
    ],
    "tensorflow.python.ops.confusion_matrix": [
        ("tensorflux.ops.confusion_matrix", ["confusion_matrix"]),
    ],
    "tensorflow.python.ops.metrics": [
        ("tensorflux.metrics", [
            "accuracy", "false_negatives", "false_positives", "mean", "mean_absolute_error",
            "mean_squared_error", "metric_variable", "precision", "recall",
            "root_mean_squared_error", "true_negatives", "true_positives",
            "auc", "false_negatives_at_thresholds", "false_positives_at_thresholds",
            "mean_cosine_distance", "mean_iou", "mean_per_class_accuracy", "mean_relative_error",
            "mean_tensor", "percentage_below", "precision_at_thresholds", "recall_at_thresholds",
            "sensitivity_at_specificity", "specificity_at_sensitivity",
            "true_negatives_at_thresholds", "true_positives_at_thresholds",
            "average_precision_at_k", "precision_at_k", "precision_at_top_k", "recall_at_k",
            "recall_at_top_k", "sparse_average_precision_at_k", "sparse_precision_at_k",
        ]),
    ],
    "tensorflow.python.ops.nn": [
        ("tensorflux.nn", [
            "atrous_conv2d", "atrous_conv2d_transpose", "avg_pool", "avg_pool1d", "avg_pool2d",
            "avg_pool3d", "avg_pool_v2", "batch_norm_with_global_normalization",
            "batch_normalization", "bias_add", "compute_accidental_hits", "conv1d", "conv2d",
            "conv2d_backprop_filter", "conv2d_backprop_input", "conv2d_transpose", "conv3d",
            "conv3d_backprop_filter", "conv3d_backprop_filter_v2", "conv3d_transpose",
            "convolution", "crelu", "depthwise_conv2d", "depthwise_conv2d_native",
            "depthwise_conv2d_native_backprop_filter", "depthwise_conv2d_native_backprop_input",
            "dropout", "elu", "embedding_lookup", "fused_batch_norm", "in_top_k", "l2_loss",
            "l2_normalize", "leaky_relu", "local_response_normalization", "log_poisson_loss",
            "log_softmax", "log_uniform_candidate_sampler", "lrn", "max_pool", "max_pool1d",
            "max_pool2d", "max_pool3d", "max_pool_v2", "max_pool_with_argmax", "moments",
            "nce_loss", "normalize_moments", "pool", "relu", "relu6", "relu_layer",
            "sampled_softmax_loss", "selu", "separable_conv2d", "sigmoid",
            "sigmoid_cross_entropy_with_logits", "softmax", "softmax_cross_entropy_with_logits",
            "softmax_cross_entropy_with_logits_v2", "softplus", "softsign",
            "sparse_softmax_cross_entropy_with_logits", "sufficient_statistics", "swish", "tanh",
            "top_k", "uniform_candidate_sampler", "weighted_cross_entropy_with_logits",
            "weighted_moments", "xw_plus_b", "zero_fraction",
        ]),
    ],
    "tensorflow.python.ops.rnn": [
        ("tensorflux.ops.rnn", [
            "bidirectional_dynamic_rnn", "dynamic_rnn", "static_bidirectional_rnn", "static_rnn",
        ]),
    ],
    "tensorflow.python.ops.rnn_cell": [("tensorflux.ops.rnn_cell", "*")],
    "tensorflow.python.ops.rnn_cell_impl": [("tensorflux.ops.rnn_cell", "*")],
    "tensorflow.python.ops.ctc_ops": [
        ("tensorflux.ops.ctc_ops", ["ctc_beam_search_decoder", "ctc_greedy_decoder", "ctc_loss"]),
    ],
    "tensorflow.python.ops.nn_impl": [
        ("tensorflux.nn", [
            "batch_norm_with_global_normalization", "batch_normalization", "depthwise_conv2d",
            "fused_batch_norm", "l2_normalize", "log_poisson_loss", "moments", "nce_loss",
            "normalize_moments", "relu_layer", "sampled_softmax_loss", "separable_conv2d",
            "sigmoid_cross_entropy_with_logits", "sufficient_statistics", "swish",
            "weighted_cross_entropy_with_logits", "weighted_moments", "zero_fraction",
        ]),
    ],
    "tensorflow.python.ops.nn_ops": [
        ("tensorflux.nn", [
            "atrous_conv2d", "atrous_conv2d_transpose", "avg_pool", "avg_pool1d", "avg_pool2d",
            "avg_pool3d", "avg_pool_v2", "bias_add", "conv1d", "conv2d", "conv2d_backprop_filter",
            "conv2d_backprop_input", "conv2d_transpose", "conv3d", "conv3d_backprop_filter",
            "conv3d_backprop_filter_v2", "conv3d_transpose", "convolution", "crelu",
            "depthwise_conv2d_native", "depthwise_conv2d_native_backprop_filter",
            "depthwise_conv2d_native_backprop_input", "dropout", "elu", "in_top_k", "l2_loss",
            "leaky_relu", "local_response_normalization", "log_softmax", "lrn", "max_pool",
            "max_pool1d", "max_pool2d", "max_pool3d", "max_pool_v2", "max_pool_with_argmax",
            "pool", "relu", "relu6", "selu", "softmax", "softmax_cross_entropy_with_logits",
            "softmax_cross_entropy_with_logits_v2", "softplus", "softsign",
            "sparse_softmax_cross_entropy_with_logits", "top_k", "xw_plus_b",
        ]),
    ],
    "tensorflow.python.ops.partitioned_variables": [
        ("tensorflux.ops.partitioned_variables", [
            "create_partitioned_variables", "fixed_size_partitioner",
            "min_max_variable_partitioner", "variable_axis_size_partitioner",
        ]),
    ],
    "tensorflow.python.ops.random_ops": [
        ("tensorflux", [
            "random_crop",
        ]),
        ("tensorflux.ops.random_ops", [
            "categorical", "multinomial", "random_normal", "random_shuffle", "random_uniform",
            "truncated_normal",
        ]),
    ],
    "tensorflow.python.ops.sparse_ops": [
        ("tensorflux.ops.sparse_ops", [
            "sparse_add", "sparse_reduce_sum", "sparse_reorder", "sparse_tensor_dense_matmul",
            "sparse_tensor_to_dense", "sparse_to_dense",
        ]),
    ],
    "tensorflow.python.ops.standard_ops": [
        ("tensorflux", "*"),
    ],
    "tensorflow.python.ops.state_ops": [
        ("tensorflux.ops.state_ops", [
            "assign", "assign_add", "assign_sub", "is_variable_initialized", "variable_op",
            "variable_op_v2=variable_op",
        ]),
        ("tensorflux.variables", [
            "Variable",
        ]),
    ],
    "tensorflow.python.ops.string_ops": [
        ("tensorflux.ops.string_ops", [
            "as_string", "decode_base64", "encode_base64", "reduce_join", "regex_full_match",
            "regex_replace", "string_join", "string_length=length", "string_lower=lower",
            "string_split", "string_split_v2=split", "string_strip=strip", "string_to_number",
            "string_upper=upper", "substr",
        ]),
    ],
    "tensorflow.python.ops.variable_scope": [
        ("tensorflux.variable_scope", [
            "_get_default_variable_store", "_VariableStore", "AUTO_REUSE", "get_local_variable",
            "get_variable", "get_variable_scope", "no_regularizer", "variable_op_scope",
            "variable_scope", "VariableScope",
        ]),
        ("tensorflux.variables", [
            "variable=Variable", "VariableAggregation", "VariableSynchronization",
        ]),
    ],
    "tensorflow.python.ops.variables": [
        ("tensorflux.ops.partitioned_variables", [
            "PartitionedVariable",
        ]),
        ("tensorflux.variables", [
            "all_variables", "assert_variables_initialized", "global_variables",
            "global_variables_initializer", "initialize_all_variables",
            "initialize_local_variables", "initialize_variables", "is_variable_initialized",
            "local_variables", "local_variables_initializer", "model_variables",
            "moving_average_variables", "RefVariable=Variable", "report_uninitialized_variables",
            "trainable_variables", "Variable", "VariableAggregation", "variables_initializer",
            "VariableSynchronization", "VariableV1=Variable",
        ]),
    ],
    "tensorflow.python.summary.summary": [
        ("tensorflux.summary", [
            "Event", "FileWriter", "FileWriterCache", "get_summary_description", "histogram",
            "image", "merge", "merge_all", "scalar", "SessionLog", "Summary", "SummaryDescription",
            "TaggedRunMetadata", "tensor_summary", "text",
        ]),
    ],
    "tensorflow.python.summary.summary_iterator": [
        ("tensorflux.summary.writer", [
            "summary_iterator",
        ]),
    ],
    "tensorflow.python.summary.writer.writer": [
        ("tensorflux.summary.writer", [
            "EventFileWriter", "FileWriter",
        ]),
    ],
    "tensorflow.python.summary.writer.writer_cache": [
        ("tensorflux.summary.writer", [
            "FileWriter", "FileWriterCache",
        ]),
    ],
    "tensorflow.python.training.adadelta": [
        ("tensorflux.train.adadelta", [
            "AdadeltaOptimizer",
        ]),
    ],
    "tensorflow.python.training.adagrad": [
        ("tensorflux.train.adagrad", [
            "AdagradOptimizer",
        ]),
    ],
    "tensorflow.python.training.adam": [
        ("tensorflux.train.adam", [
            "AdamOptimizer",
        ]),
    ],
    "tensorflow.python.training.basic_session_run_hooks": [
        ("tensorflux.train.basic_session_run_hooks", [
            "CheckpointSaverHook", "CheckpointSaverListener", "FeedFnHook", "FinalOpsHook",
            "GlobalStepWaiterHook", "LoggingTensorHook", "NanLossDuringTrainingError",
            "NanTensorHook", "NeverTriggerTimer", "SecondOrStepTimer", "SessionRunArgs",
            "StepCounterHook", "StopAtStepHook", "SummarySaverHook", "SummaryWriterCache",
        ]),
    ],
    "tensorflow.python.training.checkpoint_management": [
        ("tensorflux.train.saver", [
            "checkpoint_exists", "get_checkpoint_mtimes", "get_checkpoint_state",
            "latest_checkpoint", "remove_checkpoint", "update_checkpoint_state",
        ]),
    ],
    "tensorflow.python.training.coordinator": [
        ("tensorflux.train.coordinator", [
            "Coordinator",
        ]),
    ],
    "tensorflow.python.training.ftrl": [
        ("tensorflux.train.ftrl", [
            "FtrlOptimizer",
        ]),
    ],
    "tensorflow.python.training.gradient_descent": [
        ("tensorflux.train.gradient_descent", [
            "GradientDescentOptimizer",
        ]),
    ],
    "tensorflow.python.training.learning_rate_decay": [
        ("tensorflux.train.learning_rate_decay", [
            "cosine_decay", "cosine_decay_restarts", "exponential_decay", "inverse_time_decay",
            "linear_cosine_decay", "natural_exp_decay", "noisy_linear_cosine_decay",
            "piecewise_constant", "polynomial_decay",
        ]),
    ],
    "tensorflow.python.training.momentum": [
        ("tensorflux.train.momentum", [
            "MomentumOptimizer",
        ]),
    ],
    "tensorflow.python.training.monitored_session": [
        ("tensorflux.train.monitored_session", [
            "_get_saver_or_default", "ChiefSessionCreator", "MonitoredSession",
            "MonitoredTrainingSession", "Scaffold", "SessionCreator", "SingularMonitoredSession",
            "USE_DEFAULT", "WorkerSessionCreator",
        ]),
    ],
    "tensorflow.python.training.moving_averages": [
        ("tensorflux.train.moving_averages", [
            "assign_moving_average", "ExponentialMovingAverage",
        ]),
    ],
    "tensorflow.python.training.optimizer": [
        ("tensorflux.train.optimizer", [
            "Optimizer",
        ]),
    ],
    "tensorflow.python.training.rmsprop": [
        ("tensorflux.train.rmsprop", [
            "RMSPropOptimizer",
        ]),
    ],
    "tensorflow.python.training.saver": [
        ("tensorflux.train.saver", [
            "checkpoint_exists", "export_meta_graph", "get_checkpoint_mtimes",
            "get_checkpoint_state", "latest_checkpoint", "remove_checkpoint", "Saver",
            "update_checkpoint_state",
        ]),
        ("tensorflux.train.meta_graph", ["import_meta_graph"]),
    ],
    "tensorflow.python.training.session_manager": [
        ("tensorflux.train.session_manager", [
            "SessionManager",
        ]),
    ],
    "tensorflow.python.training.session_run_hook": [
        ("tensorflux.train.session_run_hook", [
            "SessionRunArgs", "SessionRunContext", "SessionRunHook", "SessionRunValues",
        ]),
    ],
    "tensorflow.python.training.slot_creator": [
        ("tensorflux.train.slot_creator", [
            "create_slot", "create_slot_with_initializer", "create_zeros_slot",
        ]),
    ],
    "tensorflow.python.training.training": [
        ("tensorflux.train", [
            "AdadeltaOptimizer", "AdagradOptimizer", "AdamOptimizer", "assert_global_step",
            "checkpoint_exists", "CheckpointSaverHook", "CheckpointSaverListener",
            "ChiefSessionCreator", "Coordinator", "cosine_decay", "cosine_decay_restarts",
            "create_global_step", "exponential_decay", "ExponentialMovingAverage",
            "export_meta_graph", "FeedFnHook", "FinalOpsHook", "FtrlOptimizer",
            "get_checkpoint_mtimes", "get_checkpoint_state", "get_global_step",
            "get_or_create_global_step", "global_step", "GlobalStepWaiterHook",
            "GradientDescentOptimizer", "inverse_time_decay", "latest_checkpoint",
            "linear_cosine_decay", "list_variables", "load_checkpoint", "load_variable",
            "LoggingTensorHook", "MomentumOptimizer", "MonitoredSession",
            "MonitoredTrainingSession", "NanLossDuringTrainingError", "NanTensorHook",
            "natural_exp_decay", "NewCheckpointReader", "noisy_linear_cosine_decay", "Optimizer",
            "piecewise_constant", "polynomial_decay", "RMSPropOptimizer", "Saver", "SaverDef",
            "Scaffold", "SecondOrStepTimer", "SessionCreator", "SessionManager", "SessionRunArgs",
            "SessionRunContext", "SessionRunHook", "SessionRunValues", "SingularMonitoredSession",
            "start_queue_runners", "StepCounterHook", "StopAtStepHook", "summary_iterator",
            "SummarySaverHook", "update_checkpoint_state", "WorkerSessionCreator",
        ]),
    ],
    "tensorflow.python.training.training_util": [
        ("tensorflux.train.basic_session_run_hooks", [
            "_get_or_create_global_step_read", "GLOBAL_STEP_READ_KEY",
        ]),
        ("tensorflux.train.training_util", [
            "assert_global_step", "create_global_step", "get_global_step",
            "get_or_create_global_step", "global_step",
        ]),
    ],
    "tensorflow.python.util.compat": [
        ("tensorflux.util.compat", [
            "as_bytes", "as_str", "as_str_any", "as_text", "bytes_or_text_types", "complex_types",
            "integral_types", "path_to_bytes", "path_to_str", "real_types",
        ]),
    ],
    "tensorflow.python.util.deprecation": [
        ("tensorflux.util.deprecation", [
            "deprecated", "deprecated_alias", "deprecated_arg_values", "deprecated_args",
            "deprecated_argument_lookup", "deprecated_endpoints", "DeprecatedNamesAlreadySetError",
            "rewrite_argument_docstring", "silence",
        ]),
    ],
    "tensorflow.python.util.nest": [
        ("tensorflux.util.nest", [
            "assert_same_structure", "flatten", "flatten_up_to",
            "flatten_with_joined_string_paths", "is_nested", "is_sequence", "map_structure",
            "pack_sequence_as",
        ]),
    ],
    "tensorflow.python.util.tf_export": [
        (_TI, [
            "api_export", "keras_export", "tf_export",
        ]),
    ],
}

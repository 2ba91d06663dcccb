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
    # TF 1.15 paths of the modules behind tf.distributions, tf.signal, tf.profiler, ...
    P + "ops.distributions.normal": ["Normal", "NormalWithSoftplusScale"],
    P + "ops.distributions.kullback_leibler": ["kl_divergence", "RegisterKL", "cross_entropy"],
    P + "ops.distributions.util": ["get_logits_and_probs", "log_combinations"],
    P + "ops.distributions.distribution": ["Distribution", "ReparameterizationType",
                                           "FULLY_REPARAMETERIZED", "NOT_REPARAMETERIZED"],
    P + "ops.distributions.special_math": ["ndtr", "log_ndtr", "ndtri", "erfinv"],
    P + "ops.spectral_ops": ["fft", "ifft", "rfft", "irfft", "fft2d", "rfft2d"],
    P + "ops.signal.fft_ops": ["fft", "ifft", "rfft", "irfft", "fftshift", "ifftshift"],
    P + "ops.signal.spectral_ops": ["stft"],
    P + "ops.signal.window_ops": ["hann_window", "hamming_window"],
    P + "ops.signal.shape_ops": ["frame"],
    P + "ops.gen_math_ops": ["add", "mat_mul", "mul", "sub", "neg", "real_div", "floor_div",
                             "sigmoid", "tanh", "select", "unsorted_segment_sum"],
    P + "ops.gen_array_ops": ["reshape", "identity", "concat_v2", "pack", "unpack", "tile",
                              "transpose", "strided_slice", "placeholder"],
    P + "ops.gen_nn_ops": ["relu", "bias_add", "conv2d", "conv2d_backprop_input", "max_pool",
                           "softmax", "top_kv2", "l2_loss"],
    P + "profiler.model_analyzer": ["profile", "advise", "Profiler"],
    P + "profiler.option_builder": ["ProfileOptionBuilder"],
    P + "profiler.tfprof_logger": ["write_op_log", "merge_default_with_oplog"],
    P + "feature_column.feature_column": [
        "numeric_column", "bucketized_column", "categorical_column_with_vocabulary_list",
        "categorical_column_with_hash_bucket", "embedding_column", "indicator_column",
        "crossed_column", "input_layer", "linear_model", "make_parse_example_spec",
        "_LazyBuilder", "_DenseColumn", "_CategoricalColumn"],
    P + "feature_column.feature_column_v2": ["numeric_column", "embedding_column"],
    P + "data.experimental.ops.interleave_ops": ["parallel_interleave", "sample_from_datasets",
                                                 "choose_from_datasets"],
    P + "data.experimental.ops.batching": ["map_and_batch", "unbatch", "dense_to_sparse_batch"],
    P + "data.experimental.ops.grouping": ["group_by_window", "bucket_by_sequence_length",
                                           "group_by_reducer", "Reducer"],
    P + "data.experimental.ops.readers": ["make_csv_dataset", "make_batched_features_dataset",
                                          "CsvDataset"],
    P + "data.experimental.ops.cardinality": ["cardinality"],
    P + "data.experimental.ops.error_ops": ["ignore_errors"],
    P + "data.experimental.ops.scan_ops": ["scan"],
    P + "data.experimental.ops.shuffle_ops": ["shuffle_and_repeat"],
    P + "data.experimental.ops.optimization_options": ["OptimizationOptions"],
    P + "estimator.canned.dnn": ["DNNClassifier", "DNNRegressor"],
    P + "estimator.canned.linear": ["LinearClassifier", "LinearRegressor"],
    P + "estimator.estimator": ["Estimator", "WarmStartSettings"],
    "tensorflow_estimator.python.estimator.canned.dnn": ["DNNClassifier", "DNNRegressor"],
    "tensorflow_estimator.python.estimator.canned.dnn_linear_combined": [
        "DNNLinearCombinedClassifier", "DNNLinearCombinedRegressor"],
    P + "keras.backend": ["floatx", "epsilon", "get_session", "placeholder", "variable",
                          "learning_phase", "set_learning_phase", "int_shape", "clear_session"],
    P + "keras.constraints": ["MaxNorm", "NonNeg", "UnitNorm", "max_norm", "get"],
    P + "keras.callbacks": ["Callback", "ModelCheckpoint", "EarlyStopping", "TensorBoard"],
    P + "keras.metrics": ["categorical_accuracy", "binary_accuracy", "Mean", "Accuracy"],
    P + "keras.losses": ["categorical_crossentropy", "mean_squared_error", "Loss"],
    P + "keras.applications.resnet50": ["ResNet50", "preprocess_input", "decode_predictions"],
    P + "keras.preprocessing.image": ["ImageDataGenerator", "img_to_array", "load_img"],
    P + "keras.preprocessing.sequence": ["pad_sequences"],
    P + "keras.layers": ["Dense", "Conv2D", "LSTM", "Input", "Layer", "Lambda", "concatenate"],
    P + "keras.engine.base_layer": ["Layer", "InputSpec"],
    P + "keras.engine.training": ["Model"],
    P + "keras.utils": ["to_categorical", "Sequence", "get_file", "CustomObjectScope"],
    P + "training.proximal_gradient_descent": ["ProximalGradientDescentOptimizer"],
    P + "training.proximal_adagrad": ["ProximalAdagradOptimizer"],
    P + "training.adagrad_da": ["AdagradDAOptimizer"],
    P + "training.warm_starting_util": ["warm_start"],
    P + "training.training": ["ProximalGradientDescentOptimizer", "ProfilerHook", "warm_start"],
    P + "training.queue_runner": ["QueueRunner", "add_queue_runner", "start_queue_runners"],
    P + "training.input": ["batch", "shuffle_batch", "string_input_producer", "maybe_batch"],
    P + "training.supervisor": ["Supervisor"],
    P + "training.checkpoint_utils": ["init_from_checkpoint", "checkpoints_iterator"],
    # contrib modules by their TF 1.15 paths
    "tensorflow.contrib.slim.python.slim.data.dataset_data_provider": ["DatasetDataProvider"],
    "tensorflow.contrib.slim.python.slim.data.tfexample_decoder": [
        "TFExampleDecoder", "Image", "Tensor", "ItemHandler", "BoundingBox", "SparseTensor"],
    "tensorflow.contrib.slim.python.slim.data.dataset": ["Dataset"],
    "tensorflow.contrib.slim.python.slim.data.parallel_reader": ["parallel_read",
                                                                 "get_data_files"],
    "tensorflow.contrib.slim.python.slim.data.prefetch_queue": ["prefetch_queue"],
    "tensorflow.contrib.slim.python.slim.learning": ["train", "create_train_op"],
    "tensorflow.contrib.slim.python.slim.evaluation": ["evaluate_once", "evaluation_loop"],
    "tensorflow.contrib.slim.python.slim.nets.resnet_v1": ["resnet_v1_50", "resnet_arg_scope"],
    "tensorflow.contrib.slim.python.slim.nets.vgg": ["vgg_16", "vgg_arg_scope"],
    "tensorflow.contrib.distributions.python.ops.mvn_diag": ["MultivariateNormalDiag"],
    "tensorflow.contrib.rnn.python.ops.rnn_cell": ["LayerNormBasicLSTMCell", "ConvLSTMCell"],
    "tensorflow.contrib.rnn.python.ops.lstm_ops": ["LSTMBlockCell", "LSTMBlockFusedCell"],
    "tensorflow.contrib.rnn.python.ops.gru_ops": ["GRUBlockCell", "GRUBlockCellV2"],
    "tensorflow.contrib.rnn.python.ops.core_rnn_cell": ["EmbeddingWrapper",
                                                       "OutputProjectionWrapper"],
    "tensorflow.contrib.cudnn_rnn.python.layers.cudnn_rnn": ["CudnnLSTM", "CudnnGRU"],
    "tensorflow.contrib.cudnn_rnn.python.ops.cudnn_rnn_ops": ["CudnnCompatibleLSTMCell"],
    "tensorflow.contrib.opt.python.training.weight_decay_optimizers": [
        "AdamWOptimizer", "MomentumWOptimizer", "extend_with_decoupled_weight_decay"],
    "tensorflow.contrib.training.python.training.hparam": ["HParams"],
    "tensorflow.contrib.losses.python.metric_learning.metric_loss_ops": [
        "triplet_semihard_loss", "npairs_loss", "contrastive_loss"],
    "tensorflow.contrib.metrics.python.ops.metric_ops": [
        "streaming_accuracy", "streaming_auc", "aggregate_metric_map"],
    "tensorflow.contrib.data.python.ops.batching": ["map_and_batch", "batch_and_drop_remainder"],
    "tensorflow.contrib.seq2seq.python.ops.attention_wrapper": [
        "AttentionWrapper", "BahdanauAttention", "LuongAttention", "AttentionWrapperState"],
    "tensorflow.contrib.seq2seq.python.ops.helper": ["TrainingHelper", "GreedyEmbeddingHelper"],
    "tensorflow.contrib.seq2seq.python.ops.decoder": ["Decoder", "dynamic_decode"],
    "tensorflow.contrib.seq2seq.python.ops.beam_search_decoder": ["BeamSearchDecoder",
                                                                  "tile_batch"],
    "tensorflow.contrib.crf.python.ops.crf": ["crf_log_likelihood", "crf_decode",
                                              "viterbi_decode"],
    "tensorflow.contrib.lookup.lookup_ops": ["HashTable", "index_table_from_file",
                                             "MutableHashTable", "KeyValueTensorInitializer"],
    "tensorflow.contrib.quantize.python.quantize_graph": ["create_training_graph",
                                                          "create_eval_graph"],
    "tensorflow.contrib.quantize.python.quant_ops": ["MovingAvgQuantize", "LastValueQuantize"],
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
    (P + "framework.ops", "RegisterStatistics", tensorflux.RegisterStatistics),
    (P + "ops.distributions.normal", "Normal", tensorflux.distributions.Normal),
    (P + "ops.signal.fft_ops", "rfft", tensorflux.signal.rfft),
    (P + "ops.gen_math_ops", "mat_mul", tensorflux.matmul),
    (P + "ops.gen_array_ops", "concat_v2", tensorflux.concat),
    (P + "profiler.model_analyzer", "profile", tensorflux.profiler.profile),
    (P + "feature_column.feature_column", "numeric_column",
     tensorflux.feature_column.numeric_column),
    (P + "data.experimental.ops.interleave_ops", "parallel_interleave",
     tensorflux.data.experimental.parallel_interleave),
    (P + "training.proximal_adagrad", "ProximalAdagradOptimizer",
     tensorflux.train.ProximalAdagradOptimizer),
    (P + "estimator.canned.dnn", "DNNClassifier", tensorflux.estimator.DNNClassifier),
    ("tensorflow_estimator.python.estimator.canned.linear", "LinearRegressor",
     tensorflux.estimator.LinearRegressor),
    (P + "keras.constraints", "max_norm", tensorflux.keras.constraints.max_norm),
    ("tensorflow.contrib.slim.python.slim.learning", "train",
     tensorflux.contrib.slim.learning.train),
    ("tensorflow.contrib.slim.python.slim.data.tfexample_decoder", "TFExampleDecoder",
     tensorflux.contrib.slim.tfexample_decoder.TFExampleDecoder),
    ("tensorflow.contrib.rnn.python.ops.lstm_ops", "LSTMBlockCell",
     tensorflux.contrib.rnn.LSTMBlockCell),
    ("tensorflow.contrib.metrics.python.ops.metric_ops", "streaming_accuracy",
     tensorflux.contrib.metrics.streaming_accuracy),
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


def test_slim_data_pipeline_by_its_contrib_paths(alias):
    from tensorflow.contrib.slim.nets import nets_factory
    from tensorflow.contrib.slim.python.slim.data import (
        dataset,
        dataset_data_provider,
        parallel_reader,
        prefetch_queue,
        tfexample_decoder,
    )

    slim = tensorflux.contrib.slim
    assert dataset.Dataset is slim.dataset.Dataset
    assert dataset_data_provider.DatasetDataProvider is (
        slim.dataset_data_provider.DatasetDataProvider)
    assert parallel_reader.parallel_read is slim.parallel_reader.parallel_read
    assert prefetch_queue.prefetch_queue is slim.prefetch_queue.prefetch_queue
    assert tfexample_decoder.Image is slim.tfexample_decoder.Image
    assert nets_factory.get_network_fn is slim.nets.nets_factory.get_network_fn


def test_distributions_and_signal_by_internal_paths_compute(alias):
    from tensorflow.python.ops import spectral_ops
    from tensorflow.python.ops.distributions import kullback_leibler, normal, util

    with tensorflux.Graph().as_default():
        p = normal.Normal(0.0, 1.0)
        q = normal.Normal(1.0, 2.0)
        kl = kullback_leibler.kl_divergence(p, q)
        logits, probs = util.get_logits_and_probs(probs=[0.25, 0.75])
        spectrum = spectral_ops.rfft([1.0, 0.0, -1.0, 0.0])
        with tensorflux.Session() as sess:
            kl_v, probs_v, spectrum_v = sess.run([kl, probs, spectrum])
    # KL(N(0,1) || N(1,2)) = log 2 + (1 + 1) / 8 - 1/2
    assert kl_v == pytest.approx(0.4431472, rel=1e-5)
    assert list(probs_v) == [0.25, 0.75]
    assert [complex(c) for c in spectrum_v] == [0j, 2 + 0j, 0j]


def test_raw_op_modules_map_to_the_matching_wrappers(alias):
    import numpy as np
    from tensorflow.python.ops import gen_array_ops, gen_math_ops, gen_nn_ops

    a = np.array([[1.0, -2.0], [3.0, 4.0]], np.float32)
    with tensorflux.Graph().as_default():
        prod = gen_math_ops.mat_mul(a, a, transpose_b=True)
        diff = gen_math_ops.sub(gen_math_ops.mul(a, 2.0), gen_math_ops.neg(a))
        joined = gen_array_ops.concat_v2([a, a], 1)
        act = gen_nn_ops.relu(a)
        with tensorflux.Session() as sess:
            prod_v, diff_v, joined_v, act_v = sess.run([prod, diff, joined, act])
    np.testing.assert_allclose(prod_v, a @ a.T)
    np.testing.assert_allclose(diff_v, 3 * a)
    assert joined_v.shape == (2, 4)
    np.testing.assert_allclose(act_v, np.maximum(a, 0))
    # raw ops whose arguments differ from the public wrapper's are not offered
    for module, name in [(gen_array_ops, "concat"), (gen_array_ops, "split"),
                         (gen_nn_ops, "softmax_cross_entropy_with_logits")]:
        assert not hasattr(module, name)


def test_estimator_package_by_its_own_name(alias):
    import tensorflow_estimator.python.estimator.canned.dnn as dnn
    from tensorflow.python.estimator.canned import linear
    from tensorflow_estimator.python.estimator import run_config

    assert dnn.DNNClassifier is tensorflux.estimator.DNNClassifier
    assert linear.LinearClassifier is tensorflux.estimator.LinearClassifier
    assert run_config.RunConfig is tensorflux.estimator.RunConfig
    with pytest.raises(ImportError):  # only table entries exist under this name
        import tensorflow_estimator.python.estimator.no_such_module  # noqa: F401
    import sys

    assert "tensorflow_estimator.python.estimator.canned.dnn" in sys.modules
    tensorflow_alias.uninstall()
    assert not [m for m in sys.modules if m.startswith("tensorflow_estimator")]


def test_keras_and_training_modules_by_internal_paths(alias):
    from tensorflow.python.framework import ops
    from tensorflow.python.keras import backend as K
    from tensorflow.python.keras import constraints
    from tensorflow.python.training import proximal_gradient_descent, warm_starting_util

    assert K.floatx() == "float32" and K.epsilon() == pytest.approx(1e-7)
    assert isinstance(constraints.get("max_norm"), constraints.MaxNorm)
    assert proximal_gradient_descent.ProximalGradientDescentOptimizer is (
        tensorflux.train.ProximalGradientDescentOptimizer)
    assert warm_starting_util.warm_start is tensorflux.train.warm_start
    assert ops.RegisterStatistics is tensorflux.RegisterStatistics

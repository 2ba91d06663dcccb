"""The table of TensorFlow-internal modules that TF1-era code imports, with TF 1.15's names.

Each entry maps a module name to a list of `(tensorflux module, names)`; a name may be
`"alias=attribute"`, and `"*"` takes every public name of the source module. A module listed
here is built on first import (`tensorflow_alias._shim`); any other `tensorflow.X.Y` is
`tensorflux.X.Y` when that exists. `tensorflow_estimator.*` entries serve code that imports the
estimator package by its own name.

The names are those the TF modules had (TF 1.15's, as kept by later 1.x-compatible releases)
that tensorflux can back; `tests/compat/test_tf_modules.py` imports every module and checks
representative names. What is missing is mostly TF's generated raw-op wrappers and kernels
tensorflux does not have: queues and staging areas (`data_flow_ops` has only
`dynamic_stitch`), string/audio/JPEG ops, `scatter_*`
variable updates. The `gen_*_ops` entries list only the raw ops whose arguments match the
public wrapper they map to (`gen_math_ops.mat_mul` is `matmul`); raw ops that differ
(`gen_array_ops.concat` and `split` take the axis first,
`gen_nn_ops.softmax_cross_entropy_with_logits` also returns the backprop) are left out.
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
    "tensorflow.contrib.crf.python.ops.crf": [
        ("tensorflux.contrib.crf", [
            "crf_binary_score", "crf_decode", "crf_log_likelihood", "crf_log_norm",
            "crf_multitag_sequence_score", "crf_sequence_score", "crf_unary_score",
            "CrfDecodeBackwardRnnCell", "CrfDecodeForwardRnnCell", "CrfForwardRnnCell",
            "viterbi_decode",
        ]),
    ],
    "tensorflow.contrib.cudnn_rnn.python.layers.cudnn_rnn": [
        ("tensorflux.contrib.cudnn_rnn.cudnn_rnn", [
            "CudnnGRU", "CudnnLSTM", "CudnnRNNRelu", "CudnnRNNTanh",
        ]),
        ("tensorflux.contrib.cudnn_rnn.cudnn_rnn_ops", [
            "CUDNN_GRU", "CUDNN_INPUT_AUTO_MODE", "CUDNN_INPUT_LINEAR_MODE",
            "CUDNN_INPUT_SKIP_MODE", "CUDNN_LSTM", "CUDNN_RNN_BIDIRECTION", "CUDNN_RNN_RELU",
            "CUDNN_RNN_TANH", "CUDNN_RNN_UNIDIRECTION",
        ]),
    ],
    "tensorflow.contrib.cudnn_rnn.python.ops.cudnn_rnn_ops": [
        ("tensorflux.contrib.cudnn_rnn.cudnn_rnn_ops", [
            "check_direction", "check_input_mode", "CUDNN_GRU", "CUDNN_GRU_PARAMS_PER_LAYER",
            "CUDNN_INPUT_AUTO_MODE", "CUDNN_INPUT_LINEAR_MODE", "CUDNN_INPUT_SKIP_MODE",
            "CUDNN_LSTM", "CUDNN_LSTM_PARAMS_PER_LAYER", "CUDNN_RNN_BIDIRECTION", "CUDNN_RNN_RELU",
            "CUDNN_RNN_RELU_PARAMS_PER_LAYER", "CUDNN_RNN_TANH", "CUDNN_RNN_TANH_PARAMS_PER_LAYER",
            "CUDNN_RNN_UNIDIRECTION", "CudnnCompatibleGRUCell", "CudnnCompatibleLSTMCell",
        ]),
    ],
    "tensorflow.contrib.data.python.ops.batching": [
        ("tensorflux.contrib.data", [
            "assert_element_shape", "batch_and_drop_remainder", "dense_to_sparse_batch",
            "map_and_batch", "padded_batch_and_drop_remainder", "unbatch",
        ]),
    ],
    "tensorflow.contrib.data.python.ops.counter": [
        ("tensorflux.contrib.data", [
            "Counter",
        ]),
    ],
    "tensorflow.contrib.data.python.ops.enumerate_ops": [
        ("tensorflux.contrib.data", [
            "enumerate_dataset",
        ]),
    ],
    "tensorflow.contrib.data.python.ops.error_ops": [
        ("tensorflux.contrib.data", [
            "ignore_errors",
        ]),
    ],
    "tensorflow.contrib.data.python.ops.get_single_element": [
        ("tensorflux.contrib.data", [
            "get_single_element",
        ]),
    ],
    "tensorflow.contrib.data.python.ops.grouping": [
        ("tensorflux.contrib.data", [
            "bucket_by_sequence_length", "group_by_reducer", "group_by_window", "Reducer",
        ]),
    ],
    "tensorflow.contrib.data.python.ops.interleave_ops": [
        ("tensorflux.contrib.data", [
            "choose_from_datasets", "parallel_interleave", "sample_from_datasets",
            "sloppy_interleave",
        ]),
    ],
    "tensorflow.contrib.data.python.ops.parsing_ops": [
        ("tensorflux.contrib.data", [
            "parse_example_dataset",
        ]),
    ],
    "tensorflow.contrib.data.python.ops.prefetching_ops": [
        ("tensorflux.contrib.data", [
            "copy_to_device", "prefetch_to_device",
        ]),
    ],
    "tensorflow.contrib.data.python.ops.random_ops": [
        ("tensorflux.contrib.data", [
            "RandomDataset",
        ]),
    ],
    "tensorflow.contrib.data.python.ops.readers": [
        ("tensorflux.contrib.data", [
            "CsvDataset", "make_batched_features_dataset", "make_csv_dataset",
        ]),
    ],
    "tensorflow.contrib.data.python.ops.resampling": [
        ("tensorflux.contrib.data", [
            "rejection_resample",
        ]),
    ],
    "tensorflow.contrib.data.python.ops.scan_ops": [
        ("tensorflux.contrib.data", [
            "scan",
        ]),
    ],
    "tensorflow.contrib.data.python.ops.shuffle_ops": [
        ("tensorflux.contrib.data", [
            "shuffle_and_repeat",
        ]),
    ],
    "tensorflow.contrib.data.python.ops.sliding": [
        ("tensorflux.contrib.data", [
            "sliding_window_batch",
        ]),
    ],
    "tensorflow.contrib.data.python.ops.unique": [
        ("tensorflux.contrib.data", [
            "unique",
        ]),
    ],
    "tensorflow.contrib.data.python.ops.writers": [
        ("tensorflux.contrib.data", [
            "TFRecordWriter",
        ]),
    ],
    "tensorflow.contrib.distributions.python.ops.distribution_util": [
        ("tensorflux.distributions.util", [
            "get_logits_and_probs", "log_combinations",
        ]),
    ],
    "tensorflow.contrib.distributions.python.ops.independent": [
        ("tensorflux.distributions.independent", [
            "Independent",
        ]),
    ],
    "tensorflow.contrib.distributions.python.ops.mixture_same_family": [
        ("tensorflux.distributions.mixture_same_family", [
            "MixtureSameFamily",
        ]),
    ],
    "tensorflow.contrib.distributions.python.ops.mvn_diag": [
        ("tensorflux.distributions.mvn_diag", [
            "MultivariateNormalDiag", "MultivariateNormalDiagWithSoftplusScale",
        ]),
    ],
    "tensorflow.contrib.distributions.python.ops.mvn_full_covariance": [
        ("tensorflux.distributions.mvn_tril", [
            "MultivariateNormalFullCovariance",
        ]),
    ],
    "tensorflow.contrib.distributions.python.ops.mvn_tril": [
        ("tensorflux.distributions.mvn_tril", [
            "MultivariateNormalTriL",
        ]),
    ],
    "tensorflow.contrib.distributions.python.ops.onehot_categorical": [
        ("tensorflux.distributions.onehot_categorical", [
            "OneHotCategorical",
        ]),
    ],
    "tensorflow.contrib.distributions.python.ops.relaxed_bernoulli": [
        ("tensorflux.distributions.relaxed", [
            "RelaxedBernoulli",
        ]),
    ],
    "tensorflow.contrib.distributions.python.ops.relaxed_onehot_categorical": [
        ("tensorflux.distributions.relaxed", [
            "ExpRelaxedOneHotCategorical", "RelaxedOneHotCategorical",
        ]),
    ],
    "tensorflow.contrib.lookup.lookup_ops": [
        ("tensorflux.contrib.lookup", [
            "FastHashSpec", "HasherSpec", "HashTable", "IdTableWithHashBuckets",
            "index_table_from_file", "index_table_from_tensor", "index_to_string",
            "index_to_string_table_from_file", "index_to_string_table_from_tensor",
            "InitializableLookupTableBase", "KeyValueTensorInitializer", "LookupInterface",
            "MutableDenseHashTable", "MutableHashTable", "string_to_index", "StrongHashSpec",
            "TableInitializerBase", "TextFileIdTableInitializer", "TextFileIndex",
            "TextFileInitializer", "TextFileStringTableInitializer",
        ]),
    ],
    "tensorflow.contrib.losses.python.losses.loss_ops": [
        ("tensorflux.contrib.losses.loss_ops", [
            "absolute_difference", "add_loss", "compute_weighted_loss", "cosine_distance",
            "get_losses", "get_regularization_losses", "get_total_loss", "hinge_loss", "log_loss",
            "mean_pairwise_squared_error", "mean_squared_error", "sigmoid_cross_entropy",
            "softmax_cross_entropy", "sparse_softmax_cross_entropy",
        ]),
    ],
    "tensorflow.contrib.losses.python.metric_learning": [
        ("tensorflux.contrib.losses.metric_learning", [
            "contrastive_loss", "lifted_struct_loss", "masked_maximum", "masked_minimum",
            "npairs_loss", "pairwise_distance", "triplet_semihard_loss",
        ]),
    ],
    "tensorflow.contrib.losses.python.metric_learning.metric_loss_ops": [
        ("tensorflux.contrib.losses.metric_learning", [
            "contrastive_loss", "lifted_struct_loss", "masked_maximum", "masked_minimum",
            "npairs_loss", "pairwise_distance", "triplet_semihard_loss",
        ]),
    ],
    "tensorflow.contrib.metrics.python.metrics.classification": [
        ("tensorflux.contrib.metrics", [
            "accuracy",
        ]),
    ],
    "tensorflow.contrib.metrics.python.ops.metric_ops": [
        ("tensorflux.contrib.metrics", [
            "aggregate_metric_map", "aggregate_metrics", "streaming_accuracy", "streaming_auc",
            "streaming_concat", "streaming_covariance", "streaming_false_negatives",
            "streaming_false_positives", "streaming_mean", "streaming_mean_absolute_error",
            "streaming_mean_cosine_distance", "streaming_mean_iou", "streaming_mean_relative_error",
            "streaming_mean_squared_error", "streaming_mean_tensor",
            "streaming_pearson_correlation", "streaming_percentage_less", "streaming_precision",
            "streaming_precision_at_thresholds", "streaming_recall", "streaming_recall_at_k",
            "streaming_recall_at_thresholds", "streaming_root_mean_squared_error",
            "streaming_sensitivity_at_specificity", "streaming_sparse_average_precision_at_k",
            "streaming_sparse_precision_at_k", "streaming_sparse_precision_at_top_k",
            "streaming_sparse_recall_at_k", "streaming_specificity_at_sensitivity",
            "streaming_true_negatives", "streaming_true_positives",
        ]),
    ],
    "tensorflow.contrib.opt.python.training.lazy_adam_optimizer": [
        ("tensorflux.contrib.opt.lazy_adam_optimizer", [
            "LazyAdamOptimizer",
        ]),
    ],
    "tensorflow.contrib.opt.python.training.moving_average_optimizer": [
        ("tensorflux.contrib.opt.moving_average_optimizer", [
            "MovingAverageOptimizer",
        ]),
    ],
    "tensorflow.contrib.opt.python.training.weight_decay_optimizers": [
        ("tensorflux.contrib.opt.weight_decay_optimizers", [
            "AdamWOptimizer", "DecoupledWeightDecayExtension", "extend_with_decoupled_weight_decay",
            "MomentumWOptimizer",
        ]),
    ],
    "tensorflow.contrib.quantize.python.common": [
        ("tensorflux.contrib.quantize.common", [
            "CreateOrGetQuantizationStep", "FollowedByFakeQuant", "InputToOps", "RerouteTensor",
        ]),
    ],
    "tensorflow.contrib.quantize.python.fold_batch_norms": [
        ("tensorflux.contrib.quantize.fold_batch_norms", [
            "FoldBatchNorms",
        ]),
    ],
    "tensorflow.contrib.quantize.python.graph_matcher": [
        ("tensorflux.contrib.quantize.graph_matcher", [
            "GraphMatcher", "MatchResult", "OneofPattern", "OpTypePattern", "Pattern",
        ]),
    ],
    "tensorflow.contrib.quantize.python.quant_ops": [
        ("tensorflux.contrib.quantize.quant_ops", [
            "FixedQuantize", "LastValueQuantize", "MovingAvgQuantize",
        ]),
    ],
    "tensorflow.contrib.quantize.python.quantize": [
        ("tensorflux.contrib.quantize.quantize", [
            "Quantize",
        ]),
    ],
    "tensorflow.contrib.quantize.python.quantize_graph": [
        ("tensorflux.contrib.quantize.quantize_graph", [
            "create_eval_graph", "create_training_graph", "experimental_create_eval_graph",
            "experimental_create_training_graph",
        ]),
    ],
    "tensorflow.contrib.rnn.python.ops.core_rnn_cell": [
        ("tensorflux.contrib.rnn.core_rnn_cell", [
            "EmbeddingWrapper", "InputProjectionWrapper", "OutputProjectionWrapper",
        ]),
    ],
    "tensorflow.contrib.rnn.python.ops.fused_rnn_cell": [
        ("tensorflux.contrib.rnn.fused_rnn_cell", [
            "FusedRNNCell", "FusedRNNCellAdaptor", "TimeReversedFusedRNN",
        ]),
    ],
    "tensorflow.contrib.rnn.python.ops.gru_ops": [
        ("tensorflux.contrib.rnn.gru_ops", [
            "GRUBlockCell", "GRUBlockCellV2",
        ]),
    ],
    "tensorflow.contrib.rnn.python.ops.lstm_ops": [
        ("tensorflux.contrib.rnn.lstm_ops", [
            "LSTMBlockCell", "LSTMBlockFusedCell", "LSTMBlockWrapper",
        ]),
    ],
    "tensorflow.contrib.rnn.python.ops.rnn": [
        ("tensorflux.contrib.rnn.rnn", [
            "stack_bidirectional_dynamic_rnn", "stack_bidirectional_rnn",
        ]),
    ],
    "tensorflow.contrib.rnn.python.ops.rnn_cell": [
        ("tensorflux.contrib.rnn.core_rnn_cell", [
            "AttentionCellWrapper", "HighwayWrapper",
        ]),
        ("tensorflux.contrib.rnn.rnn_cell", [
            "Conv1DLSTMCell", "Conv2DLSTMCell", "Conv3DLSTMCell", "ConvLSTMCell",
            "CoupledInputForgetGateLSTMCell", "IndRNNCell", "IndyGRUCell", "IndyLSTMCell",
            "IntersectionRNNCell", "LayerNormBasicLSTMCell", "LayerNormLSTMCell", "NASCell",
            "SRUCell", "UGRNNCell",
        ]),
    ],
    "tensorflow.contrib.seq2seq.python.ops.attention_wrapper": [
        ("tensorflux.contrib.seq2seq.attention_wrapper", [
            "AttentionMechanism", "AttentionWrapper", "AttentionWrapperState", "BahdanauAttention",
            "BahdanauMonotonicAttention", "hardmax", "LuongAttention", "LuongMonotonicAttention",
            "monotonic_attention", "safe_cumprod",
        ]),
    ],
    "tensorflow.contrib.seq2seq.python.ops.basic_decoder": [
        ("tensorflux.contrib.seq2seq.basic_decoder", [
            "BasicDecoder", "BasicDecoderOutput",
        ]),
    ],
    "tensorflow.contrib.seq2seq.python.ops.beam_search_decoder": [
        ("tensorflux.contrib.seq2seq.beam_search_decoder", [
            "attention_probs_from_attn_state", "BeamSearchDecoder", "BeamSearchDecoderOutput",
            "BeamSearchDecoderState", "FinalBeamSearchDecoderOutput", "gather_tree_from_array",
            "get_attention_probs", "tile_batch",
        ]),
    ],
    "tensorflow.contrib.seq2seq.python.ops.beam_search_ops": [
        ("tensorflux.contrib.seq2seq.beam_search_ops", [
            "gather_tree",
        ]),
    ],
    "tensorflow.contrib.seq2seq.python.ops.decoder": [
        ("tensorflux.contrib.seq2seq.decoder", [
            "Decoder", "dynamic_decode",
        ]),
    ],
    "tensorflow.contrib.seq2seq.python.ops.helper": [
        ("tensorflux.contrib.seq2seq.helper", [
            "CustomHelper", "GreedyEmbeddingHelper", "Helper", "InferenceHelper",
            "SampleEmbeddingHelper", "ScheduledEmbeddingTrainingHelper",
            "ScheduledOutputTrainingHelper", "TrainingHelper",
        ]),
    ],
    "tensorflow.contrib.seq2seq.python.ops.loss": [
        ("tensorflux.contrib.seq2seq.loss", [
            "sequence_loss",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.data.data_decoder": [
        ("tensorflux.contrib.slim.data_decoder", [
            "DataDecoder",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.data.data_provider": [
        ("tensorflux.contrib.slim.data_provider", [
            "DataProvider",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.data.dataset": [
        ("tensorflux.contrib.slim.dataset", [
            "Dataset",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.data.dataset_data_provider": [
        ("tensorflux.contrib.slim.dataset_data_provider", [
            "DatasetDataProvider",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.data.parallel_reader": [
        ("tensorflux.contrib.slim.parallel_reader", [
            "get_data_files", "parallel_read", "ParallelReader", "single_pass_read",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.data.prefetch_queue": [
        ("tensorflux.contrib.slim.prefetch_queue", [
            "prefetch_queue",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.data.tfexample_decoder": [
        ("tensorflux.contrib.slim.tfexample_decoder", [
            "BackupHandler", "BoundingBox", "Image", "ItemHandler", "ItemHandlerCallback",
            "LookupTensor", "SparseTensor", "Tensor", "TFExampleDecoder",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.evaluation": [
        ("tensorflux.contrib.slim.evaluation", [
            "checkpoints_iterator", "evaluate_once", "evaluation_loop", "wait_for_new_checkpoint",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.learning": [
        ("tensorflux.contrib.slim.learning", [
            "add_gradients_summaries", "clip_gradient_norms", "create_train_op",
            "multiply_gradients", "train", "train_step",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.model_analyzer": [
        ("tensorflux.contrib.slim.model_analyzer", [
            "analyze_ops", "analyze_vars", "tensor_description",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.nets.alexnet": [
        ("tensorflux.models.alexnet", [
            "alexnet_v2", "alexnet_v2_arg_scope", "trunc_normal",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.nets.inception": [
        ("tensorflux.contrib.slim.nets.inception", [
            "inception_v1", "inception_v1_arg_scope", "inception_v1_base", "inception_v2",
            "inception_v2_arg_scope", "inception_v2_base", "inception_v3", "inception_v3_arg_scope",
            "inception_v3_base",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.nets.inception_v1": [
        ("tensorflux.contrib.slim.nets.inception", [
            "inception_v1", "inception_v1_arg_scope", "inception_v1_base",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.nets.inception_v2": [
        ("tensorflux.contrib.slim.nets.inception", [
            "inception_v2", "inception_v2_arg_scope", "inception_v2_base",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.nets.inception_v3": [
        ("tensorflux.contrib.slim.nets.inception", [
            "inception_v3", "inception_v3_arg_scope", "inception_v3_base",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.nets.overfeat": [
        ("tensorflux.models.overfeat", [
            "overfeat", "overfeat_arg_scope", "trunc_normal",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.nets.resnet_utils": [
        ("tensorflux.models.resnet_utils", [
            "Block", "conv2d_same", "resnet_arg_scope", "stack_blocks_dense", "subsample",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.nets.resnet_v1": [
        ("tensorflux.models.resnet_v1", [
            "bottleneck", "resnet_arg_scope", "resnet_v1", "resnet_v1_101", "resnet_v1_152",
            "resnet_v1_200", "resnet_v1_50", "resnet_v1_block",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.nets.resnet_v2": [
        ("tensorflux.models.resnet_v2", [
            "bottleneck", "resnet_arg_scope", "resnet_v2", "resnet_v2_101", "resnet_v2_152",
            "resnet_v2_200", "resnet_v2_50", "resnet_v2_block",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.nets.vgg": [
        ("tensorflux.models.vgg", [
            "vgg_16", "vgg_19", "vgg_a", "vgg_arg_scope", "vgg_d", "vgg_e",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.queues": [
        ("tensorflux.contrib.slim.queues", [
            "NestedQueueRunnerError", "QueueRunners",
        ]),
    ],
    "tensorflow.contrib.slim.python.slim.summaries": [
        ("tensorflux.contrib.slim.summaries", [
            "add_histogram_summaries", "add_histogram_summary", "add_image_summaries",
            "add_image_summary", "add_scalar_summaries", "add_scalar_summary",
            "add_zero_fraction_summaries", "add_zero_fraction_summary",
        ]),
    ],
    "tensorflow.contrib.training.python.training.hparam": [
        ("tensorflux.contrib.training", [
            "HParams", "PARAM_RE", "parse_values",
        ]),
    ],
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
        ("tensorflux.profiler.stats", [
            "get_stats_for_node_def", "OpStats", "RegisterStatistics",
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
        ("tensorflux.train.profiler_hook", [
            "ProfilerHook",
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
            "AdadeltaOptimizer", "AdagradDAOptimizer", "AdagradOptimizer", "AdamOptimizer",
            "assert_global_step", "checkpoint_exists", "CheckpointSaverHook",
            "CheckpointSaverListener", "ChiefSessionCreator", "Coordinator", "cosine_decay",
            "cosine_decay_restarts", "create_global_step", "exponential_decay",
            "ExponentialMovingAverage", "export_meta_graph", "FeedFnHook", "FinalOpsHook",
            "FtrlOptimizer", "get_checkpoint_mtimes", "get_checkpoint_state", "get_global_step",
            "get_or_create_global_step", "global_step", "GlobalStepWaiterHook",
            "GradientDescentOptimizer", "inverse_time_decay", "latest_checkpoint",
            "linear_cosine_decay", "list_variables", "load_checkpoint", "load_variable",
            "LoggingTensorHook", "MomentumOptimizer", "MonitoredSession",
            "MonitoredTrainingSession", "NanLossDuringTrainingError", "NanTensorHook",
            "natural_exp_decay", "NewCheckpointReader", "noisy_linear_cosine_decay", "Optimizer",
            "piecewise_constant", "polynomial_decay", "ProfilerHook", "ProximalAdagradOptimizer",
            "ProximalGradientDescentOptimizer", "RMSPropOptimizer", "Saver", "SaverDef", "Scaffold",
            "SecondOrStepTimer", "SessionCreator", "SessionManager", "SessionRunArgs",
            "SessionRunContext", "SessionRunHook", "SessionRunValues", "SingularMonitoredSession",
            "start_queue_runners", "StepCounterHook", "StopAtStepHook", "summary_iterator",
            "SummarySaverHook", "update_checkpoint_state", "warm_start", "WorkerSessionCreator",
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
    # --- TF 1.15 paths behind tf.distributions, tf.signal, tf.profiler, tf.feature_column,
    # tf.data.experimental, tf.keras, the canned estimators and tf.train's newer modules -----------
    "tensorflow.python.data.experimental.ops.batching": [
        ("tensorflux.data.experimental", [
            "dense_to_sparse_batch", "map_and_batch", "map_and_batch_with_legacy_function",
            "unbatch",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.cardinality": [
        ("tensorflux.data.experimental", [
            "assert_cardinality", "cardinality",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.counter": [
        ("tensorflux.data.experimental", [
            "Counter",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.distribute_options": [
        ("tensorflux.data.experimental", [
            "DistributeOptions",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.enumerate_ops": [
        ("tensorflux.data.experimental", [
            "enumerate_dataset",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.error_ops": [
        ("tensorflux.data.experimental", [
            "ignore_errors",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.get_single_element": [
        ("tensorflux.data.experimental", [
            "get_single_element",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.grouping": [
        ("tensorflux.data.experimental", [
            "bucket_by_sequence_length", "group_by_reducer", "group_by_window", "Reducer",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.interleave_ops": [
        ("tensorflux.data.experimental", [
            "choose_from_datasets", "parallel_interleave", "sample_from_datasets",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.optimization_options": [
        ("tensorflux.data.experimental", [
            "OptimizationOptions",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.parsing_ops": [
        ("tensorflux.data.experimental", [
            "parse_example_dataset",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.prefetching_ops": [
        ("tensorflux.data.experimental", [
            "copy_to_device", "prefetch_to_device",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.random_ops": [
        ("tensorflux.data.experimental", [
            "RandomDataset",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.readers": [
        ("tensorflux.data.experimental", [
            "CsvDataset", "make_batched_features_dataset", "make_csv_dataset",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.resampling": [
        ("tensorflux.data.experimental", [
            "rejection_resample",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.scan_ops": [
        ("tensorflux.data.experimental", [
            "scan",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.shuffle_ops": [
        ("tensorflux.data.experimental", [
            "shuffle_and_repeat",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.stats_options": [
        ("tensorflux.data.experimental", [
            "StatsOptions",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.take_while_ops": [
        ("tensorflux.data.experimental", [
            "take_while",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.threading_options": [
        ("tensorflux.data.experimental", [
            "ThreadingOptions",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.unique": [
        ("tensorflux.data.experimental", [
            "unique",
        ]),
    ],
    "tensorflow.python.data.experimental.ops.writers": [
        ("tensorflux.data.experimental", [
            "TFRecordWriter",
        ]),
    ],
    "tensorflow.python.estimator.canned.baseline": [
        ("tensorflux.estimator.canned.baseline", [
            "BaselineClassifier", "BaselineRegressor",
        ]),
    ],
    "tensorflow.python.estimator.canned.dnn": [
        ("tensorflux.estimator.canned.dnn", [
            "DNNClassifier", "DNNRegressor",
        ]),
    ],
    "tensorflow.python.estimator.canned.dnn_linear_combined": [
        ("tensorflux.estimator.canned.dnn_linear_combined", [
            "DNNLinearCombinedClassifier", "DNNLinearCombinedRegressor",
        ]),
    ],
    "tensorflow.python.estimator.canned.head": [
        ("tensorflux.estimator.canned.head", [
            "LossSpec",
        ]),
    ],
    "tensorflow.python.estimator.canned.linear": [
        ("tensorflux.estimator.canned.linear", [
            "LinearClassifier", "LinearRegressor",
        ]),
    ],
    "tensorflow.python.estimator.canned.metric_keys": [
        ("tensorflux.estimator.canned.head", [
            "MetricKeys",
        ]),
    ],
    "tensorflow.python.estimator.canned.optimizers": [
        ("tensorflux.estimator.canned.optimizers", [
            "get_optimizer_instance",
        ]),
    ],
    "tensorflow.python.estimator.canned.prediction_keys": [
        ("tensorflux.estimator.canned.head", [
            "PredictionKeys",
        ]),
    ],
    "tensorflow.python.estimator.estimator": [
        ("tensorflux.estimator.estimator", [
            "Estimator",
        ]),
        ("tensorflux.estimator.warm_starting", [
            "WarmStartSettings",
        ]),
    ],
    "tensorflow.python.estimator.model_fn": [
        ("tensorflux.estimator.model_fn", [
            "EstimatorSpec", "LOSS_METRIC_KEY", "ModeKeys",
        ]),
    ],
    "tensorflow.python.estimator.run_config": [
        ("tensorflux.estimator.run_config", [
            "get_default_session_config", "RunConfig", "TaskType",
        ]),
    ],
    "tensorflow.python.feature_column.feature_column": [
        ("tensorflux.feature_column", [
            "bucketized_column", "categorical_column_with_hash_bucket",
            "categorical_column_with_identity", "categorical_column_with_vocabulary_file",
            "categorical_column_with_vocabulary_list", "crossed_column", "embedding_column",
            "indicator_column", "input_layer", "linear_model", "make_parse_example_spec",
            "numeric_column", "shared_embedding_columns", "weighted_categorical_column",
        ]),
        ("tensorflux.feature_column.columns", [
            "_BucketizedColumn", "_CategoricalColumn", "_check_shape", "_DenseColumn",
            "_EmbeddingColumn", "_FeatureColumn", "_IndicatorColumn", "_LazyBuilder",
            "_NumericColumn", "_SharedEmbeddingColumn",
        ]),
        ("tensorflux.feature_column.categorical", [
            "_collect_leaf_level_keys", "_CrossedColumn", "_HashedCategoricalColumn",
            "_IdentityCategoricalColumn", "_VocabularyFileCategoricalColumn",
            "_VocabularyListCategoricalColumn", "_WeightedCategoricalColumn",
        ]),
        ("tensorflux.feature_column.layers", [
            "_create_weighted_sum", "_normalize_feature_columns",
            "_verify_static_batch_size_equality",
        ]),
    ],
    "tensorflow.python.feature_column.feature_column_lib": [
        ("tensorflux.feature_column", [
            "bucketized_column", "categorical_column_with_hash_bucket",
            "categorical_column_with_identity", "categorical_column_with_vocabulary_file",
            "categorical_column_with_vocabulary_list", "crossed_column", "embedding_column",
            "indicator_column", "input_layer", "linear_model", "make_parse_example_spec",
            "numeric_column", "shared_embedding_columns", "weighted_categorical_column",
        ]),
    ],
    "tensorflow.python.feature_column.feature_column_v2": [
        ("tensorflux.feature_column", [
            "bucketized_column", "categorical_column_with_hash_bucket",
            "categorical_column_with_identity", "categorical_column_with_vocabulary_file",
            "categorical_column_with_vocabulary_list", "crossed_column", "embedding_column",
            "indicator_column", "numeric_column", "shared_embedding_columns",
            "weighted_categorical_column",
        ]),
        ("tensorflux.feature_column.columns", [
            "_check_shape",
        ]),
        ("tensorflux.feature_column.categorical", [
            "_collect_leaf_level_keys",
        ]),
        ("tensorflux.feature_column.layers", [
            "_normalize_feature_columns", "_verify_static_batch_size_equality",
        ]),
    ],
    "tensorflow.python.keras.activations": [
        ("tensorflux.keras.activations", [
            "deserialize", "elu", "exponential", "get", "hard_sigmoid", "linear", "relu", "selu",
            "serialize", "sigmoid", "softmax", "softplus", "softsign", "swish", "tanh",
        ]),
    ],
    "tensorflow.python.keras.applications.densenet": [
        ("tensorflux.keras.applications.densenet", [
            "BASE_WEIGHTS_PATH", "conv_block", "decode_predictions", "dense_block", "DenseNet",
            "DenseNet121", "DenseNet169", "DenseNet201", "preprocess_input", "transition_block",
        ]),
    ],
    "tensorflow.python.keras.applications.imagenet_utils": [
        ("tensorflux.keras.applications.imagenet_utils", [
            "_preprocess_numpy_input", "_preprocess_symbolic_input", "CLASS_INDEX",
            "CLASS_INDEX_PATH", "correct_pad", "decode_predictions", "obtain_input_shape",
            "preprocess_input", "validate_activation",
        ]),
    ],
    "tensorflow.python.keras.applications.inception_v3": [
        ("tensorflux.keras.applications.inception_v3", [
            "conv2d_bn", "decode_predictions", "InceptionV3", "preprocess_input",
        ]),
    ],
    "tensorflow.python.keras.applications.mobilenet": [
        ("tensorflux.keras.applications.mobilenet", [
            "_conv_block", "_depthwise_conv_block", "BASE_WEIGHT_PATH", "decode_predictions",
            "MobileNet", "preprocess_input",
        ]),
    ],
    "tensorflow.python.keras.applications.mobilenet_v2": [
        ("tensorflux.keras.applications.mobilenet_v2", [
            "_inverted_res_block", "_make_divisible", "BASE_WEIGHT_PATH", "decode_predictions",
            "MobileNetV2", "preprocess_input",
        ]),
    ],
    "tensorflow.python.keras.applications.resnet50": [
        ("tensorflux.keras.applications.resnet50", [
            "decode_predictions", "preprocess_input", "ResNet50",
        ]),
    ],
    "tensorflow.python.keras.applications.resnet_v2": [
        ("tensorflux.keras.applications.resnet_v2", [
            "decode_predictions", "preprocess_input", "ResNet101V2", "ResNet152V2", "ResNet50V2",
        ]),
    ],
    "tensorflow.python.keras.applications.vgg16": [
        ("tensorflux.keras.applications.vgg16", [
            "decode_predictions", "preprocess_input", "VGG16",
        ]),
    ],
    "tensorflow.python.keras.applications.vgg19": [
        ("tensorflux.keras.applications.vgg19", [
            "decode_predictions", "preprocess_input", "VGG19",
        ]),
    ],
    "tensorflow.python.keras.applications.xception": [
        ("tensorflux.keras.applications.xception", [
            "decode_predictions", "preprocess_input", "Xception",
        ]),
    ],
    "tensorflow.python.keras.backend": [
        ("tensorflux.keras.backend", [
            "_GRAPH_VARIABLES", "_initialize_variables", "_SESSION", "abs", "all", "any", "arange",
            "argmax", "argmin", "batch_dot", "batch_flatten", "batch_get_value",
            "batch_normalization", "batch_set_value", "bias_add", "binary_crossentropy", "cast",
            "cast_to_floatx", "categorical_crossentropy", "clear_session", "clip", "concatenate",
            "constant", "conv1d", "conv2d", "conv2d_transpose", "cos", "count_params",
            "ctc_batch_cost", "ctc_decode", "ctc_label_dense_to_sparse", "cumprod", "cumsum",
            "depthwise_conv2d", "dot", "dropout", "dtype", "elu", "epsilon", "equal", "eval", "exp",
            "expand_dims", "eye", "flatten", "floatx", "foldl", "foldr", "function", "gather",
            "get_graph", "get_session", "get_uid", "get_value", "gradients", "greater",
            "greater_equal", "hard_sigmoid", "identity", "image_data_format", "in_test_phase",
            "in_top_k", "in_train_phase", "int_shape", "is_keras_tensor", "is_placeholder",
            "is_sparse", "l2_normalize", "learning_phase", "less", "less_equal", "log", "logsumexp",
            "map_fn", "max", "maximum", "mean", "min", "minimum", "moving_average_update",
            "name_scope", "ndim", "normalize_batch_in_training", "not_equal", "one_hot", "ones",
            "ones_like", "permute_dimensions", "placeholder", "pool2d", "pool3d", "pow",
            "print_tensor", "prod", "random_bernoulli", "random_binomial", "random_normal",
            "random_normal_variable", "random_uniform", "random_uniform_variable", "relu", "repeat",
            "repeat_elements", "reset_uids", "reshape", "resize_images", "reverse", "rnn", "round",
            "separable_conv2d", "set_epsilon", "set_floatx", "set_image_data_format",
            "set_learning_phase", "set_session", "set_value", "shape", "sigmoid", "sign", "sin",
            "softmax", "softplus", "softsign", "sparse_categorical_crossentropy",
            "spatial_2d_padding", "sqrt", "square", "squeeze", "stack", "std", "stop_gradient",
            "sum", "switch", "tanh", "temporal_padding", "tile", "to_dense", "track_variable",
            "transpose", "truncated_normal", "unique_object_name", "update", "update_add",
            "update_sub", "var", "variable", "zeros", "zeros_like",
        ]),
    ],
    "tensorflow.python.keras.callbacks": [
        ("tensorflux.keras.callbacks", [
            "Callback", "CallbackList", "CSVLogger", "EarlyStopping", "History", "LambdaCallback",
            "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger", "ReduceLROnPlateau",
            "RemoteMonitor", "TensorBoard", "TerminateOnNaN",
        ]),
    ],
    "tensorflow.python.keras.constraints": [
        ("tensorflux.keras.constraints", [
            "Constraint", "deserialize", "get", "max_norm", "MaxNorm", "maxnorm", "min_max_norm",
            "MinMaxNorm", "non_neg", "NonNeg", "nonneg", "serialize", "unit_norm", "UnitNorm",
            "unitnorm",
        ]),
    ],
    "tensorflow.python.keras.engine.base_layer": [
        ("tensorflux.keras.engine.base_layer", [
            "Layer",
        ]),
        ("tensorflux.layers", [
            "InputSpec",
        ]),
    ],
    "tensorflow.python.keras.engine.input_layer": [
        ("tensorflux.keras.engine.input_layer", [
            "Input", "InputLayer",
        ]),
    ],
    "tensorflow.python.keras.engine.network": [
        ("tensorflux.keras.engine.network", [
            "Network",
        ]),
    ],
    "tensorflow.python.keras.engine.sequential": [
        ("tensorflux.keras.engine.sequential", [
            "Sequential",
        ]),
    ],
    "tensorflow.python.keras.engine.training": [
        ("tensorflux.keras.engine.training", [
            "Model",
        ]),
    ],
    "tensorflow.python.keras.initializers": [
        ("tensorflux.keras.initializers", [
            "Constant", "constant", "deserialize", "get", "glorot_normal", "glorot_uniform",
            "GlorotNormal", "GlorotUniform", "he_normal", "he_uniform", "HeNormal", "HeUniform",
            "Identity", "identity", "Initializer", "lecun_normal", "lecun_uniform", "LecunNormal",
            "LecunUniform", "Ones", "ones", "Orthogonal", "orthogonal", "random_normal",
            "random_uniform", "RandomNormal", "RandomUniform", "serialize", "truncated_normal",
            "TruncatedNormal", "variance_scaling", "VarianceScaling", "Zeros", "zeros",
        ]),
    ],
    "tensorflow.python.keras.layers": [
        ("tensorflux.keras.layers", [
            "Activation", "ActivityRegularization", "Add", "add", "AdditiveAttention",
            "AlphaDropout", "Attention", "Average", "average", "AveragePooling1D",
            "AveragePooling2D", "AveragePooling3D", "AvgPool1D", "AvgPool2D", "AvgPool3D",
            "BatchNormalization", "Bidirectional", "Concatenate", "concatenate", "Conv1D", "Conv2D",
            "Conv2DTranspose", "Conv3D", "Conv3DTranspose", "ConvLSTM1D", "ConvLSTM2D",
            "ConvLSTM3D", "Convolution1D", "Convolution2D", "Convolution2DTranspose",
            "Convolution3D", "Convolution3DTranspose", "Cropping1D", "Cropping2D", "Cropping3D",
            "CuDNNGRU", "CuDNNLSTM", "Dense", "DepthwiseConv2D", "Dot", "dot", "Dropout", "ELU",
            "Embedding", "Flatten", "GaussianDropout", "GaussianNoise", "GlobalAveragePooling1D",
            "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalAvgPool1D",
            "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D",
            "GlobalMaxPool3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
            "GRU", "GRUCell", "Identity", "Input", "InputLayer", "Lambda", "Layer",
            "LayerNormalization", "LeakyReLU", "LocallyConnected1D", "LocallyConnected2D", "LSTM",
            "LSTMCell", "Masking", "Maximum", "maximum", "MaxPool1D", "MaxPool2D", "MaxPool3D",
            "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "Minimum", "minimum", "Multiply",
            "multiply", "Permute", "PReLU", "ReLU", "RepeatVector", "Reshape", "RNN",
            "SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D",
            "SeparableConvolution2D", "SimpleRNN", "SimpleRNNCell", "Softmax", "SpatialDropout1D",
            "SpatialDropout2D", "SpatialDropout3D", "StackedRNNCells", "Subtract", "subtract",
            "ThresholdedReLU", "TimeDistributed", "UpSampling1D", "UpSampling2D", "UpSampling3D",
            "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
        ]),
    ],
    "tensorflow.python.keras.losses": [
        ("tensorflux.keras.losses", [
            "binary_crossentropy", "BinaryCrossentropy", "categorical_crossentropy",
            "categorical_hinge", "CategoricalCrossentropy", "CategoricalHinge", "cosine_similarity",
            "CosineSimilarity", "deserialize", "get", "Hinge", "hinge", "Huber", "huber", "KLD",
            "kld", "KLDivergence", "kullback_leibler_divergence", "log_cosh", "LogCosh", "logcosh",
            "Loss", "LossFunctionWrapper", "MAE", "mae", "MAPE", "mape", "mean_absolute_error",
            "mean_absolute_percentage_error", "mean_squared_error",
            "mean_squared_logarithmic_error", "MeanAbsoluteError", "MeanAbsolutePercentageError",
            "MeanSquaredError", "MeanSquaredLogarithmicError", "MSE", "mse", "MSLE", "msle",
            "Poisson", "poisson", "serialize", "sparse_categorical_crossentropy",
            "SparseCategoricalCrossentropy", "squared_hinge", "SquaredHinge",
        ]),
    ],
    "tensorflow.python.keras.metrics": [
        ("tensorflux.keras.metrics", [
            "Accuracy", "accuracy", "AUC", "binary_accuracy", "binary_crossentropy",
            "BinaryAccuracy", "categorical_accuracy", "categorical_crossentropy",
            "CategoricalAccuracy", "deserialize", "get", "MAE", "mae", "MAPE", "mape", "Mean",
            "mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_error",
            "MeanAbsoluteError", "MeanIoU", "MeanMetricWrapper", "MeanSquaredError", "Metric",
            "MSE", "mse", "Precision", "Recall", "Reduce", "serialize",
            "sparse_categorical_accuracy", "sparse_categorical_crossentropy",
            "sparse_top_k_categorical_accuracy", "SparseCategoricalAccuracy",
            "SparseTopKCategoricalAccuracy", "Sum", "top_k_categorical_accuracy",
            "TopKCategoricalAccuracy",
        ]),
    ],
    "tensorflow.python.keras.models": [
        ("tensorflux.keras.models", [
            "_clone_layer", "clone_model", "load_model", "Model", "model_from_config",
            "model_from_json", "save_model", "Sequential",
        ]),
    ],
    "tensorflow.python.keras.optimizers": [
        ("tensorflux.keras.optimizers", [
            "Adadelta", "Adagrad", "Adam", "Adamax", "deserialize", "get", "Nadam", "Optimizer",
            "RMSprop", "serialize", "SGD", "TFOptimizer",
        ]),
    ],
    "tensorflow.python.keras.preprocessing.image": [
        ("tensorflux.keras.preprocessing.image", [
            "apply_affine_transform", "apply_brightness_shift", "apply_channel_shift",
            "array_to_img", "DirectoryIterator", "flip_axis", "ImageDataGenerator", "img_to_array",
            "Iterator", "load_img", "NumpyArrayIterator", "random_brightness",
            "random_channel_shift", "random_rotation", "random_shear", "random_shift",
            "random_zoom", "save_img",
        ]),
    ],
    "tensorflow.python.keras.preprocessing.sequence": [
        ("tensorflux.keras.preprocessing.sequence", [
            "make_sampling_table", "pad_sequences", "skipgrams",
        ]),
    ],
    "tensorflow.python.keras.preprocessing.text": [
        ("tensorflux.keras.preprocessing.text", [
            "hashing_trick", "one_hot", "text_to_word_sequence", "Tokenizer", "tokenizer_from_json",
        ]),
    ],
    "tensorflow.python.keras.regularizers": [
        ("tensorflux.keras.regularizers", [
            "deserialize", "get", "L1", "l1", "l1_l2", "L1L2", "L2", "l2", "Regularizer",
            "serialize",
        ]),
    ],
    "tensorflow.python.keras.utils": [
        ("tensorflux.keras.utils", [
            "custom_object_scope", "CustomObjectScope", "get_custom_objects", "get_file",
            "model_to_dot", "normalize", "plot_model", "Sequence", "to_categorical",
        ]),
    ],
    "tensorflow.python.keras.utils.data_utils": [
        ("tensorflux.keras.utils.data_utils", [
            "_extract_archive", "_hash_file", "get_file", "Sequence", "validate_file",
        ]),
    ],
    "tensorflow.python.keras.utils.generic_utils": [
        ("tensorflux.keras.utils.generic_utils", [
            "_GLOBAL_CUSTOM_OBJECTS", "custom_object_scope", "CustomObjectScope",
            "get_custom_objects",
        ]),
    ],
    "tensorflow.python.keras.utils.layer_utils": [
        ("tensorflux.keras.utils.layer_utils", [
            "count_params", "print_summary",
        ]),
    ],
    "tensorflow.python.keras.utils.np_utils": [
        ("tensorflux.keras.utils.np_utils", [
            "normalize", "to_categorical",
        ]),
    ],
    "tensorflow.python.keras.utils.vis_utils": [
        ("tensorflux.keras.utils.vis_utils", [
            "model_to_dot", "plot_model",
        ]),
    ],
    "tensorflow.python.ops.distributions.bernoulli": [
        ("tensorflux.distributions.bernoulli", [
            "_kl_bernoulli_bernoulli", "Bernoulli",
        ]),
    ],
    "tensorflow.python.ops.distributions.beta": [
        ("tensorflux.distributions.beta", [
            "_kl_beta_beta", "Beta",
        ]),
    ],
    "tensorflow.python.ops.distributions.categorical": [
        ("tensorflux.distributions.categorical", [
            "_broadcast_cat_event_and_params", "_kl_categorical_categorical", "Categorical",
        ]),
    ],
    "tensorflow.python.ops.distributions.dirichlet": [
        ("tensorflux.distributions.dirichlet", [
            "_kl_dirichlet_dirichlet", "Dirichlet",
        ]),
    ],
    "tensorflow.python.ops.distributions.dirichlet_multinomial": [
        ("tensorflux.distributions.dirichlet_multinomial", [
            "DirichletMultinomial",
        ]),
    ],
    "tensorflow.python.ops.distributions.distribution": [
        ("tensorflux.distributions.distribution", [
            "Distribution", "FULLY_REPARAMETERIZED", "NOT_REPARAMETERIZED",
            "ReparameterizationType",
        ]),
    ],
    "tensorflow.python.ops.distributions.distributions": [
        ("tensorflux.distributions", [
            "Bernoulli", "Beta", "Categorical", "Dirichlet", "DirichletMultinomial", "Distribution",
            "Exponential", "FULLY_REPARAMETERIZED", "Gamma", "kl_divergence", "Laplace",
            "Multinomial", "Normal", "NOT_REPARAMETERIZED", "RegisterKL", "ReparameterizationType",
            "StudentT", "Uniform",
        ]),
    ],
    "tensorflow.python.ops.distributions.exponential": [
        ("tensorflux.distributions.gamma", [
            "Exponential",
        ]),
    ],
    "tensorflow.python.ops.distributions.gamma": [
        ("tensorflux.distributions.gamma", [
            "_kl_gamma_gamma", "Gamma",
        ]),
    ],
    "tensorflow.python.ops.distributions.kullback_leibler": [
        ("tensorflux.distributions.kullback_leibler", [
            "_DIVERGENCES", "_registered_kl", "cross_entropy", "kl_divergence", "RegisterKL",
        ]),
    ],
    "tensorflow.python.ops.distributions.laplace": [
        ("tensorflux.distributions.laplace", [
            "Laplace",
        ]),
    ],
    "tensorflow.python.ops.distributions.multinomial": [
        ("tensorflux.distributions.multinomial", [
            "Multinomial",
        ]),
    ],
    "tensorflow.python.ops.distributions.normal": [
        ("tensorflux.distributions.normal", [
            "_kl_normal_normal", "Normal",
        ]),
        ("tensorflux.contrib.distributions", [
            "NormalWithSoftplusScale",
        ]),
    ],
    "tensorflow.python.ops.distributions.special_math": [
        ("tensorflux.distributions.util", [
            "_log_ndtr_lower", "log_ndtr", "ndtr",
        ]),
        ("tensorflux.math", [
            "erfinv", "ndtri",
        ]),
    ],
    "tensorflow.python.ops.distributions.student_t": [
        ("tensorflux.distributions.student_t", [
            "StudentT",
        ]),
    ],
    "tensorflow.python.ops.distributions.uniform": [
        ("tensorflux.distributions.uniform", [
            "Uniform",
        ]),
    ],
    "tensorflow.python.ops.distributions.util": [
        ("tensorflux.distributions.util", [
            "get_logits_and_probs", "log_combinations",
        ]),
    ],
    "tensorflow.python.ops.gen_array_ops": [
        ("tensorflux", [
            "batch_to_space_nd", "bitcast", "broadcast_gradient_args", "broadcast_to",
            "check_numerics", "concat_v2=concat", "depth_to_space", "diag", "diag_part",
            "ensure_shape", "expand_dims", "extract_image_patches", "fill", "gather_nd", "identity",
            "identity_n", "invert_permutation", "matrix_band_part", "matrix_diag",
            "matrix_diag_part", "matrix_set_diag", "ones_like", "pack=stack", "pad", "placeholder",
            "placeholder_with_default", "reshape", "reverse_sequence", "reverse_v2", "scatter_nd",
            "space_to_batch_nd", "space_to_depth", "stop_gradient", "strided_slice", "tile",
            "transpose", "unique", "unique_with_counts", "unpack=unstack", "unravel_index",
            "zeros_like",
        ]),
    ],
    "tensorflow.python.ops.gen_math_ops": [
        ("tensorflux", [
            "acos", "acosh", "add", "add_n", "add_v2=add", "angle", "asin", "asinh", "atan",
            "atan2", "atanh", "betainc", "ceil", "conj", "cos", "cosh", "cumprod", "cumsum",
            "digamma", "div", "div_no_nan", "equal", "erf", "erfc", "exp", "expm1", "floor",
            "floor_div=floordiv", "floor_mod=floormod", "greater", "greater_equal", "igamma",
            "igammac", "imag", "is_finite", "is_inf", "is_nan", "less", "less_equal", "lgamma",
            "lin_space", "log", "log1p", "logical_and", "logical_not", "logical_or",
            "mat_mul=matmul", "maximum", "minimum", "mod", "mul=multiply", "neg=negative",
            "not_equal", "real", "real_div=realdiv", "reciprocal", "rint", "round", "rsqrt",
            "segment_max", "segment_mean", "segment_min", "segment_sum", "select=where", "sigmoid",
            "sign", "sin", "sinh", "sqrt", "square", "squared_difference", "sub=subtract", "tan",
            "tanh", "truncate_div=truncatediv", "truncate_mod=truncatemod", "unsorted_segment_max",
            "unsorted_segment_min", "unsorted_segment_prod", "unsorted_segment_sum",
        ]),
    ],
    "tensorflow.python.ops.gen_nn_ops": [
        ("tensorflux.nn", [
            "avg_pool", "avg_pool3d", "bias_add", "conv2d", "conv2d_backprop_filter",
            "conv2d_backprop_input", "conv3d", "conv3d_backprop_filter_v2",
            "depthwise_conv2d_native", "depthwise_conv2d_native_backprop_filter",
            "depthwise_conv2d_native_backprop_input", "elu", "in_top_k", "l2_loss", "leaky_relu",
            "log_softmax", "lrn", "max_pool", "max_pool3d", "relu", "relu6", "selu", "softmax",
            "softplus", "softsign", "top_kv2=top_k",
        ]),
    ],
    "tensorflow.python.ops.signal.fft_ops": [
        ("tensorflux.ops.spectral_ops", [
            "fft", "fft2d", "fft3d", "fftshift", "ifft", "ifft2d", "ifft3d", "ifftshift", "irfft",
            "irfft2d", "irfft3d", "rfft", "rfft2d", "rfft3d",
        ]),
    ],
    "tensorflow.python.ops.signal.shape_ops": [
        ("tensorflux.ops.signal_ops", [
            "frame",
        ]),
    ],
    "tensorflow.python.ops.signal.signal": [
        ("tensorflux.ops.spectral_ops", [
            "fft", "fft2d", "fft3d", "fftshift", "ifft", "ifft2d", "ifft3d", "ifftshift", "irfft",
            "irfft2d", "irfft3d", "rfft", "rfft2d", "rfft3d",
        ]),
        ("tensorflux.ops.signal_ops", [
            "frame", "hamming_window", "hann_window", "stft",
        ]),
    ],
    "tensorflow.python.ops.signal.spectral_ops": [
        ("tensorflux.ops.signal_ops", [
            "_enclosing_power_of_two", "stft",
        ]),
    ],
    "tensorflow.python.ops.signal.window_ops": [
        ("tensorflux.ops.signal_ops", [
            "_raised_cosine_window", "hamming_window", "hann_window",
        ]),
    ],
    "tensorflow.python.ops.spectral_ops": [
        ("tensorflux.ops.spectral_ops", [
            "fft", "fft2d", "fft3d", "fftshift", "ifft", "ifft2d", "ifft3d", "ifftshift", "irfft",
            "irfft2d", "irfft3d", "rfft", "rfft2d", "rfft3d",
        ]),
    ],
    "tensorflow.python.profiler.model_analyzer": [
        ("tensorflux.profiler.model_analyzer", [
            "_DEFAULT_ADVISE_OPTIONS", "_DEFAULT_PROFILE_OPTIONS", "advise", "profile", "Profiler",
        ]),
    ],
    "tensorflow.python.profiler.option_builder": [
        ("tensorflux.profiler.option_builder", [
            "ProfileOptionBuilder",
        ]),
    ],
    "tensorflow.python.profiler.tfprof_logger": [
        ("tensorflux.profiler.tfprof_logger", [
            "_fill_missing_graph_shape", "merge_default_with_oplog", "REGISTERED_FLOP_STATS",
            "TRAINABLE_VARIABLES", "write_op_log",
        ]),
    ],
    "tensorflow.python.training.adagrad_da": [
        ("tensorflux.train.proximal", [
            "AdagradDAOptimizer",
        ]),
    ],
    "tensorflow.python.training.basic_loops": [
        ("tensorflux.train.basic_loops", [
            "basic_train_loop",
        ]),
    ],
    "tensorflow.python.training.checkpoint_utils": [
        ("tensorflux.train.checkpoint_utils", [
            "checkpoints_iterator", "init_from_checkpoint", "wait_for_new_checkpoint",
        ]),
    ],
    "tensorflow.python.training.input": [
        ("tensorflux.train.input", [
            "batch", "batch_join", "input_producer", "limit_epochs", "match_filenames_once",
            "range_input_producer", "shuffle_batch", "shuffle_batch_join", "slice_input_producer",
            "string_input_producer",
        ]),
        ("tensorflux.train.maybe_batch", [
            "maybe_batch", "maybe_batch_join", "maybe_shuffle_batch", "maybe_shuffle_batch_join",
        ]),
    ],
    "tensorflow.python.training.proximal_adagrad": [
        ("tensorflux.train.proximal", [
            "ProximalAdagradOptimizer",
        ]),
    ],
    "tensorflow.python.training.proximal_gradient_descent": [
        ("tensorflux.train.proximal", [
            "ProximalGradientDescentOptimizer",
        ]),
    ],
    "tensorflow.python.training.queue_runner": [
        ("tensorflux.train.queue_runner", [
            "add_queue_runner", "QueueRunner", "start_queue_runners",
        ]),
    ],
    "tensorflow.python.training.queue_runner_impl": [
        ("tensorflux.train.queue_runner", [
            "add_queue_runner", "QueueRunner", "start_queue_runners",
        ]),
    ],
    "tensorflow.python.training.supervisor": [
        ("tensorflux.train.supervisor", [
            "Supervisor", "SVStepCounterThread", "SVSummaryThread", "SVTimerCheckpointThread",
        ]),
    ],
    "tensorflow.python.training.sync_replicas_optimizer": [
        ("tensorflux.train.sync_replicas_optimizer", [
            "SyncReplicasOptimizer",
        ]),
    ],
    "tensorflow.python.training.warm_starting_util": [
        ("tensorflux.train.warm_starting_util", [
            "_get_grouped_variables", "warm_start",
        ]),
    ],
    # --- the estimator package, imported directly as `tensorflow_estimator` -----------------------
    "tensorflow_estimator.python.estimator.canned.baseline": [
        ("tensorflux.estimator.canned.baseline", [
            "BaselineClassifier", "BaselineRegressor",
        ]),
    ],
    "tensorflow_estimator.python.estimator.canned.dnn": [
        ("tensorflux.estimator.canned.dnn", [
            "DNNClassifier", "DNNRegressor",
        ]),
    ],
    "tensorflow_estimator.python.estimator.canned.dnn_linear_combined": [
        ("tensorflux.estimator.canned.dnn_linear_combined", [
            "DNNLinearCombinedClassifier", "DNNLinearCombinedRegressor",
        ]),
    ],
    "tensorflow_estimator.python.estimator.canned.head": [
        ("tensorflux.estimator.canned.head", [
            "LossSpec",
        ]),
    ],
    "tensorflow_estimator.python.estimator.canned.linear": [
        ("tensorflux.estimator.canned.linear", [
            "LinearClassifier", "LinearRegressor",
        ]),
    ],
    "tensorflow_estimator.python.estimator.canned.metric_keys": [
        ("tensorflux.estimator.canned.head", [
            "MetricKeys",
        ]),
    ],
    "tensorflow_estimator.python.estimator.canned.optimizers": [
        ("tensorflux.estimator.canned.optimizers", [
            "get_optimizer_instance",
        ]),
    ],
    "tensorflow_estimator.python.estimator.canned.prediction_keys": [
        ("tensorflux.estimator.canned.head", [
            "PredictionKeys",
        ]),
    ],
    "tensorflow_estimator.python.estimator.estimator": [
        ("tensorflux.estimator.estimator", [
            "Estimator",
        ]),
        ("tensorflux.estimator.warm_starting", [
            "WarmStartSettings",
        ]),
    ],
    "tensorflow_estimator.python.estimator.model_fn": [
        ("tensorflux.estimator.model_fn", [
            "EstimatorSpec", "LOSS_METRIC_KEY", "ModeKeys",
        ]),
    ],
    "tensorflow_estimator.python.estimator.run_config": [
        ("tensorflux.estimator.run_config", [
            "get_default_session_config", "RunConfig", "TaskType",
        ]),
    ],
}

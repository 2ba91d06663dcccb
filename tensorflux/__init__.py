"""tensorflux: the TensorFlow 1.x dataflow-graph API, rebuilt in Python.

    import tensorflux as tf

gives the TF1 namespace: graphs, Sessions, Variables, gradients, variable scopes, the Saver,
`tf.nn`, `tf.layers`, `tf.train` and more. This file is the explicit list of what is public.
"""

from tensorflux import (
    config,
    contrib,
    data,
    debugging,
    distributions,
    errors,
    estimator,
    feature_column,
    image,
    initializers,
    io,
    keras,
    layers,
    linalg,
    lookup,
    losses,
    math,
    metrics,
    nest,
    nn,
    profiler,
    quantization,
    random,
    saved_model,
    sets,
    signal,
    sparse,
    spectral,
    strings,
    summary,
    train,
)
from tensorflux.client.config import (
    ConfigProto,
    GPUOptions,
    GraphOptions,
    OptimizerOptions,
    RunMetadata,
    RunOptions,
)
from tensorflux.client.session import InteractiveSession, Session, get_default_session
from tensorflux.gradients import (
    NoGradient,
    NotDifferentiable,
    RegisterGradient,
    UnconnectedGradients,
    gradients,
    hessians,
    no_gradient,
)
from tensorflux.graph import dtypes, graph_util
from tensorflux.graph.device_spec import DeviceSpec
from tensorflux.graph.dtypes import (
    DType,
    as_dtype,
    bfloat16,
    bool,  # noqa: A004 - TF's public name
    complex64,
    complex128,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    qint8,
    qint16,
    qint32,
    quint8,
    quint16,
    resource,
    string,
    uint8,
    uint16,
    uint32,
    uint64,
    variant,
)
from tensorflux.graph.graph import (
    Graph,
    GraphKeys,
    add_to_collection,
    add_to_collections,
    colocate_with,
    control_dependencies,
    device,
    get_collection,
    get_collection_ref,
    get_default_graph,
    init_scope,
    name_scope,
    reset_default_graph,
)
from tensorflux.graph.graph_protos import AttrValue, GraphDef, MetaGraphDef, NodeDef
from tensorflux.graph.importer import import_graph_def
from tensorflux.graph.operation import Operation
from tensorflux.graph.tensor import Tensor
from tensorflux.graph.tensor_shape import Dimension, TensorShape, dimension_value
from tensorflux.graph.tensor_util import make_ndarray, make_tensor_proto
from tensorflux.initializers import initialize_all_tables, tables_initializer
from tensorflux.ops.accumulator_ops import (
    ConditionalAccumulator,
    ConditionalAccumulatorBase,
    SparseConditionalAccumulator,
)
from tensorflux.ops.array_extras import (
    argsort,
    dynamic_partition,
    ensure_shape,
    histogram_fixed_width,
    histogram_fixed_width_bins,
    parallel_stack,
    repeat,
    roll,
    searchsorted,
    sort,
    unravel_index,
)
from tensorflux.ops.array_ops import (
    broadcast_dynamic_shape,
    broadcast_gradient_args,
    broadcast_static_shape,
    concat,
    fill,
    gather,
    identity,
    invert_permutation,
    ones,
    ones_like,
    pack,
    placeholder,
    placeholder_with_default,
    range,  # noqa: A004 - TF's public name
    rank,
    reshape,
    shape,
    shape_n,
    size,
    split,
    stack,
    stop_gradient,
    transpose,
    unpack,
    unstack,
    zeros,
    zeros_like,
)
from tensorflux.ops.bincount_ops import bincount
from tensorflux.ops.bitcast_ops import bitcast
from tensorflux.ops.clip_ops import (
    clip_by_average_norm,
    clip_by_global_norm,
    clip_by_norm,
    global_norm,
)
from tensorflux.ops.codec_ops import parse_tensor, serialize_tensor
from tensorflux.ops.cond_ops import case, cond, while_loop
from tensorflux.ops.confusion_matrix import confusion_matrix
from tensorflux.ops.constant_op import (
    constant,
    convert_to_tensor,
    get_static_value,
    is_tensor,
    register_tensor_conversion_function,
)
from tensorflux.ops.control_flow_ops import (
    foldl,
    foldr,
    group,
    map_fn,
    no_op,
    scan,
    tuple,  # noqa: A004 - TF's public name
)
from tensorflux.ops.custom_gradient import custom_gradient
from tensorflux.ops.data_flow_ops import (
    FIFOQueue,
    PaddingFIFOQueue,
    QueueBase,
    RandomShuffleQueue,
    count_up_to,
)
from tensorflux.ops.debug_ops import (
    Assert,
    Print,
    add_check_numerics_ops,
    assert_equal,
    assert_greater,
    assert_greater_equal,
    assert_integer,
    assert_less,
    assert_less_equal,
    assert_near,
    assert_negative,
    assert_non_negative,
    assert_non_positive,
    assert_none_equal,
    assert_positive,
    assert_rank,
    assert_rank_at_least,
    assert_scalar,
    assert_type,
    check_numerics,
    identity_n,
    is_numeric_tensor,
    numpy_function,
    py_func,
    verify_tensor_all_finite,
)
from tensorflux.ops.debug_ops import print_v2 as print  # noqa: A004 - TF's public name
from tensorflux.ops.diag_ops import (
    diag,
    diag_part,
    eye,
    matrix_band_part,
    matrix_diag,
    matrix_diag_part,
    matrix_set_diag,
)
from tensorflux.ops.eager_py_func import py_function
from tensorflux.ops.edit_distance_ops import edit_distance
from tensorflux.ops.einsum_ops import einsum
from tensorflux.ops.fill_ops import lin_space, linspace, meshgrid, one_hot, sequence_mask
from tensorflux.ops.gamma_ops import betainc, igamma, igammac, random_gamma
from tensorflux.ops.gather_ops import (
    boolean_mask,
    dynamic_stitch,
    gather_nd,
    scatter_nd,
    setdiff1d,
    unique,
    unique_with_counts,
)
from tensorflux.ops.hash_ops import (
    string_to_hash_bucket_fast,
    string_to_hash_bucket_strong,
)
from tensorflux.ops.hash_ops import string_to_hash_bucket_v1 as string_to_hash_bucket
from tensorflux.ops.image_patch_ops import extract_image_patches
from tensorflux.ops.indexed_slices import IndexedSlices, IndexedSlicesValue
from tensorflux.ops.init_ops import (
    constant_initializer,
    glorot_normal_initializer,
    glorot_uniform_initializer,
    identity_initializer,
    ones_initializer,
    orthogonal_initializer,
    random_normal_initializer,
    random_uniform_initializer,
    truncated_normal_initializer,
    uniform_unit_scaling_initializer,
    variance_scaling_initializer,
    zeros_initializer,
)
from tensorflux.ops.io_ops import matching_files, read_file, write_file
from tensorflux.ops.linalg_impl import matrix_transpose, norm, trace
from tensorflux.ops.linalg_ops import matmul, qr, svd, tensordot
from tensorflux.ops.manip_ops import (
    broadcast_to,
    expand_dims,
    reverse,
    reverse_sequence,
    reverse_v2,
    squeeze,
    tile,
    where,
    where_v2,
)
from tensorflux.ops.math_composites import (
    accumulate_n,
    is_non_decreasing,
    is_strictly_increasing,
)
from tensorflux.ops.math_ops import (
    abs,  # noqa: A004 - TF's public name
    acos,
    acosh,
    add,
    add_n,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    cast,
    ceil,
    clip_by_value,
    cos,
    cosh,
    digamma,
    div,
    div_no_nan,
    divide,
    equal,
    erf,
    erfc,
    exp,
    expm1,
    floor,
    floor_div,
    floordiv,
    floormod,
    greater,
    greater_equal,
    is_finite,
    is_inf,
    is_nan,
    less,
    less_equal,
    lgamma,
    log,
    log1p,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    maximum,
    minimum,
    mod,
    multiply,
    negative,
    not_equal,
    pow,  # noqa: A004 - TF's public name
    realdiv,
    reciprocal,
    rint,
    round,  # noqa: A004 - TF's public name
    rsqrt,
    saturate_cast,
    scalar_mul,
    sigmoid,
    sign,
    sin,
    sinh,
    sqrt,
    square,
    squared_difference,
    subtract,
    tan,
    tanh,
    to_bfloat16,
    to_double,
    to_float,
    to_int32,
    to_int64,
    truediv,
    truncatediv,
    truncatemod,
)
from tensorflux.ops.matrix_ops import (
    cholesky,
    cholesky_solve,
    log_matrix_determinant,
    matrix_determinant,
    matrix_inverse,
    matrix_solve,
    matrix_solve_ls,
    matrix_triangular_solve,
    self_adjoint_eig,
    self_adjoint_eigvals,
)
from tensorflux.ops.pad_ops import depth_to_space, pad, space_to_depth
from tensorflux.ops.parsing_ops import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
    decode_csv,
    decode_raw,
    parse_example,
    parse_single_example,
)
from tensorflux.ops.partitioned_variables import (
    PartitionedVariable,
    create_partitioned_variables,
    fixed_size_partitioner,
    min_max_variable_partitioner,
    variable_axis_size_partitioner,
)
from tensorflux.ops.quantization_ops import (
    dequantize,
    fake_quant_with_min_max_args,
    fake_quant_with_min_max_args_gradient,
    fake_quant_with_min_max_vars,
    fake_quant_with_min_max_vars_gradient,
    fake_quant_with_min_max_vars_per_channel,
    fake_quant_with_min_max_vars_per_channel_gradient,
    quantize,
    quantize_v2,
)
from tensorflux.ops.random_ops import (
    get_seed,
    multinomial,
    random_crop,
    random_normal,
    random_shuffle,
    random_uniform,
    set_random_seed,
    truncated_normal,
)
from tensorflux.ops.reader_ops import (
    FixedLengthRecordReader,
    ReaderBase,
    TextLineReader,
    TFRecordReader,
    WholeFileReader,
)
from tensorflux.ops.reduction_ops import (
    arg_max,
    arg_min,
    argmax,
    argmin,
    count_nonzero,
    reduce_all,
    reduce_any,
    reduce_logsumexp,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
)
from tensorflux.ops.scan_ops import cumprod, cumsum
from tensorflux.ops.scatter_ops import (
    scatter_add,
    scatter_div,
    scatter_max,
    scatter_min,
    scatter_mul,
    scatter_nd_add,
    scatter_nd_sub,
    scatter_nd_update,
    scatter_sub,
    scatter_update,
    tensor_scatter_add,
    tensor_scatter_nd_add,
    tensor_scatter_nd_max,
    tensor_scatter_nd_min,
    tensor_scatter_nd_sub,
    tensor_scatter_nd_update,
    tensor_scatter_sub,
    tensor_scatter_update,
)
from tensorflux.ops.segment_ops import (
    segment_max,
    segment_mean,
    segment_min,
    segment_sum,
    unsorted_segment_max,
    unsorted_segment_mean,
    unsorted_segment_min,
    unsorted_segment_prod,
    unsorted_segment_sqrt_n,
    unsorted_segment_sum,
)
from tensorflux.ops.sequence_parsing_ops import parse_single_sequence_example
from tensorflux.ops.slicing_ops import slice, strided_slice  # noqa: A004
from tensorflux.ops.space_batch_ops import (
    batch_to_space,
    batch_to_space_nd,
    space_to_batch,
    space_to_batch_nd,
)
from tensorflux.ops.sparse_math_ops import (
    sparse_mask,
    sparse_maximum,
    sparse_merge,
    sparse_minimum,
    sparse_reduce_max,
    sparse_reduce_max_sparse,
    sparse_reduce_sum_sparse,
    sparse_softmax,
    sparse_to_indicator,
)
from tensorflux.ops.sparse_ops import (
    sparse_add,
    sparse_placeholder,
    sparse_reduce_sum,
    sparse_reorder,
    sparse_tensor_dense_matmul,
    sparse_tensor_to_dense,
    sparse_to_dense,
)
from tensorflux.ops.sparse_segment_ops import (
    sparse_segment_mean,
    sparse_segment_sqrt_n,
    sparse_segment_sum,
)
from tensorflux.ops.sparse_structure_ops import (
    sparse_concat,
    sparse_fill_empty_rows,
    sparse_reset_shape,
    sparse_reshape,
    sparse_retain,
    sparse_slice,
    sparse_split,
    sparse_transpose,
)
from tensorflux.ops.sparse_tensor import (
    SparseTensor,
    SparseTensorValue,
    convert_to_tensor_or_sparse_tensor,
)
from tensorflux.ops.special_ops import lbeta, log_sigmoid
from tensorflux.ops.spectral_ops import (
    angle,
    complex,  # noqa: A004 - TF's public name
    conj,
    fft,
    fft2d,
    fft3d,
    ifft,
    ifft2d,
    ifft3d,
    imag,
    real,
)
from tensorflux.ops.state_ops import assign, assign_add, assign_sub
from tensorflux.ops.string_ops import (
    as_string,
    decode_base64,
    encode_base64,
    reduce_join,
    regex_replace,
    string_join,
    string_split,
    string_to_number,
    substr,
)
from tensorflux.ops.string_ops import strip as string_strip
from tensorflux.ops.tensor_array_ops import TensorArray
from tensorflux.platform import app, flags, gfile, test
from tensorflux.platform import tf_logging as logging
from tensorflux.platform.tf_logging import get_logger
from tensorflux.profiler.stats import RegisterStatistics
from tensorflux.summary.proto import (
    Event,
    HistogramProto,
    LogMessage,
    SessionLog,
    Summary,
    SummaryMetadata,
    TensorProto,
)
from tensorflux.template import make_template
from tensorflux.util.toggles import (
    control_flow_v2_enabled,
    disable_control_flow_v2,
    disable_eager_execution,
    disable_resource_variables,
    disable_tensor_equality,
    disable_v2_behavior,
    disable_v2_tensorshape,
    enable_control_flow_v2,
    enable_eager_execution,
    enable_resource_variables,
    enable_tensor_equality,
    enable_v2_behavior,
    enable_v2_tensorshape,
    executing_eagerly,
    executing_eagerly_outside_functions,
    resource_variables_enabled,
)
from tensorflux.variable_scope import (
    AUTO_REUSE,
    VariableScope,
    get_local_variable,
    get_variable,
    get_variable_scope,
    no_regularizer,
    variable_op_scope,
    variable_scope,
)
from tensorflux.variables import (
    Variable,
    VariableAggregation,
    VariableSynchronization,
    all_variables,
    assert_variables_initialized,
    global_variables,
    global_variables_initializer,
    initialize_all_variables,
    initialize_local_variables,
    initialize_variables,
    is_variable_initialized,
    local_variables,
    local_variables_initializer,
    model_variables,
    moving_average_variables,
    report_uninitialized_variables,
    trainable_variables,
    variables_initializer,
)

python_io = io
newaxis = None
__version__ = "0.1.0"
VERSION = "1.15.5"
GIT_VERSION = "tensorflux-" + __version__
COMPILER_VERSION = ""


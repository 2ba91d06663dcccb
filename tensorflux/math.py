"""`tf.math`: TF 1.15's math namespace (elementwise math, reductions, segment sums, softmax and
friends), the same functions as at the top level and in `tf.nn`.

    >>> import tensorflux as tf
    >>> tf.math.reduce_mean(tf.math.log1p(x))
"""

from tensorflux.ops.array_ops import invert_permutation
from tensorflux.ops.bincount_ops import bincount
from tensorflux.ops.confusion_matrix import confusion_matrix
from tensorflux.ops.gamma_ops import betainc, igamma, igammac
from tensorflux.ops.math_composites import (
    accumulate_n,
    cumulative_logsumexp,
    is_non_decreasing,
    is_strictly_increasing,
    reduce_std,
    reduce_variance,
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
    ceil,
    conj,
    cos,
    cosh,
    digamma,
    div_no_nan,
    divide,
    equal,
    erf,
    erfc,
    exp,
    expm1,
    floor,
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
    polygamma,
    pow,  # noqa: A004 - TF's public name
    real,
    reciprocal,
    rint,
    round,  # noqa: A004 - TF's public name
    rsqrt,
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
    truediv,
)
from tensorflux.ops.nn_ops import (
    in_top_k,
    log_softmax,
    softmax,
    softplus,
    softsign,
    top_k,
    zero_fraction,
)
from tensorflux.ops.norm_ops import l2_normalize
from tensorflux.ops.reduction_ops import (
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
from tensorflux.ops.special_ops import (
    erfinv,
    lbeta,
    log_sigmoid,
    multiply_no_nan,
    ndtri,
    polyval,
    reciprocal_no_nan,
    xdivy,
    xlogy,
)
from tensorflux.ops.spectral_ops import angle, imag

divide_no_nan = div_no_nan

__all__ = [
    "abs", "accumulate_n", "acos", "acosh", "add", "add_n", "angle", "argmax", "argmin", "asin",
    "asinh", "atan", "atan2", "atanh", "betainc", "bincount", "ceil", "confusion_matrix", "conj",
    "cos", "cosh", "count_nonzero", "cumprod", "cumsum", "cumulative_logsumexp", "digamma",
    "divide", "divide_no_nan", "equal", "erf", "erfc", "erfinv", "exp", "expm1", "floor",
    "floordiv", "floormod", "greater", "greater_equal", "igamma", "igammac", "imag", "in_top_k",
    "invert_permutation", "is_finite", "is_inf", "is_nan", "is_non_decreasing",
    "is_strictly_increasing", "l2_normalize", "lbeta", "less", "less_equal", "lgamma", "log",
    "log1p", "log_sigmoid", "log_softmax", "logical_and", "logical_not", "logical_or",
    "logical_xor", "maximum", "minimum", "mod", "multiply", "multiply_no_nan", "ndtri", "negative",
    "not_equal", "polygamma", "polyval", "pow", "real", "reciprocal", "reciprocal_no_nan",
    "reduce_all", "reduce_any", "reduce_logsumexp", "reduce_max", "reduce_mean", "reduce_min",
    "reduce_prod", "reduce_std", "reduce_sum", "reduce_variance", "rint", "round", "rsqrt",
    "scalar_mul", "segment_max", "segment_mean", "segment_min", "segment_sum", "sigmoid", "sign",
    "sin", "sinh", "softmax", "softplus", "softsign", "sqrt", "square", "squared_difference",
    "subtract", "tan", "tanh", "top_k", "truediv", "unsorted_segment_max", "unsorted_segment_mean",
    "unsorted_segment_min", "unsorted_segment_prod", "unsorted_segment_sqrt_n",
    "unsorted_segment_sum", "xdivy", "xlogy", "zero_fraction",
]

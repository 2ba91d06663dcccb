"""`tf.math`: TF 1.15's math namespace (elementwise math, reductions, segment sums, softmax and
friends), the same functions as at the top level and in `tf.nn`.

    >>> import tensorflux as tf
    >>> tf.math.reduce_mean(tf.math.log1p(x))
"""

from tensorflux.ops.array_ops import invert_permutation
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
    pow,  # noqa: A004 - TF's public name
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
    unsorted_segment_sum,
)

divide_no_nan = div_no_nan

__all__ = [
    "abs", "acos", "acosh", "add", "add_n", "argmax", "argmin", "asin", "asinh", "atan", "atan2",
    "atanh", "ceil", "cos", "cosh", "count_nonzero", "cumprod", "cumsum", "digamma", "divide",
    "divide_no_nan", "equal", "erf", "erfc", "exp", "expm1", "floor", "floordiv", "floormod",
    "greater", "greater_equal", "in_top_k", "invert_permutation", "is_finite", "is_inf", "is_nan",
    "l2_normalize", "less", "less_equal", "lgamma", "log", "log1p", "log_softmax",
    "logical_and", "logical_not", "logical_or", "logical_xor", "maximum", "minimum", "mod",
    "multiply", "negative", "not_equal", "pow", "reciprocal", "reduce_all", "reduce_any",
    "reduce_logsumexp", "reduce_max", "reduce_mean", "reduce_min", "reduce_prod", "reduce_sum",
    "rint", "round", "rsqrt", "scalar_mul", "segment_max", "segment_mean", "segment_min",
    "segment_sum", "sigmoid", "sign", "sin", "sinh", "softmax", "softplus", "softsign", "sqrt",
    "square", "squared_difference", "subtract", "tan", "tanh", "top_k", "truediv",
    "unsorted_segment_sum", "zero_fraction",
]

"""`tf.debugging`: assertions and numeric checks (the explicit re-export list)."""

from tensorflux.ops.debug_ops import (  # noqa: F401 - the public namespace
    Assert,
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
    is_numeric_tensor,
)
from tensorflux.ops.math_ops import is_finite, is_inf, is_nan  # noqa: F401

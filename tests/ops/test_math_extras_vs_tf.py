"""tf.math extras and tf.linalg helpers against real TensorFlow: every case of
tools/fixtures/gen_math_ops.py (xlogy/xdivy/no_nan ops, special functions, bincount, unsorted
segment reductions, composites, norms).

Each case is rebuilt with tensorflux from `cases.json` and compared with what TensorFlow
recorded: output tensor names, static shapes, dtypes, values, gradients for the recorded upstream
gradients, and for error cases the exception class and message.
"""

import numpy as np
import pytest
from lambda_cases import check_case, check_error, load

CASES, ARRAYS = load("math_ops")

# TF 2 builds bincount from its DenseBincount op; tensorflux keeps TF 1.x's Bincount op.
TF1_NAMES = {c["name"]: ["bincount/Bincount:0"] for c in CASES
             if c["name"].startswith("bincount") and not c["error"]}
# TF 2 reworded some messages; tensorflux keeps TF 1.x's: case -> what our message contains.
TF1_MESSAGES = {
    "matrix_transpose_rank1": "Argument 'a' should be a (batch) matrix, with rank >= 2.  "
                              "Found: (3,)",
    "multiply_no_nan_dtypes": "Tensor conversion requested dtype float32 for Tensor with dtype "
                              "float64",
    "polyval_not_list": "Argument coeffs must be list type found <class 'tuple'>",
}


@pytest.mark.parametrize("spec", [c for c in CASES if not c["error"]],
                         ids=[c["name"] for c in CASES if not c["error"]])
def test_case_matches_tf(spec):
    check_case(spec, ARRAYS, names=TF1_NAMES.get(spec["name"], spec["names"]),
               tol=lambda dtype: 1e-6 if dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("spec", [c for c in CASES if c["error"]],
                         ids=[c["name"] for c in CASES if c["error"]])
def test_error_matches_tf(spec):
    check_error(spec, ARRAYS, TF1_MESSAGES.get(spec["name"], spec["message"]))

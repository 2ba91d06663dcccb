"""A TF 1.x op test suite, written as TF's own tests were: tf.test.TestCase, test_util
decorators, cached sessions, assertAllClose, and tf.test.main().

Run with `python -m tensorflux.compat ops_suite.py` or `... -m pytest ops_suite.py`.
"""

import numpy as np
import tensorflow as tf
from tensorflow.python.framework import constant_op, dtypes, errors_impl, ops, test_util
from tensorflow.python.ops import array_ops, gradients_impl, math_ops, nn_ops, variables
from tensorflow.python.platform import test


class MathOpsTest(test.TestCase):

    @test_util.run_deprecated_v1
    def testAddAndMultiply(self):
        with self.cached_session():
            x = constant_op.constant([[1.0, 2.0], [3.0, 4.0]])
            y = math_ops.add(x, 1.0) * 2.0
            self.assertAllClose(y.eval(), [[4.0, 6.0], [8.0, 10.0]])
            self.assertEqual(y.get_shape().as_list(), [2, 2])

    def testReduceSumGradient(self):
        x = array_ops.placeholder(dtypes.float32, [3])
        y = math_ops.reduce_sum(math_ops.square(x))
        grad = gradients_impl.gradients(y, x)[0]
        with self.cached_session() as sess:
            self.assertAllClose(sess.run(grad, {x: [1.0, -2.0, 3.0]}), [2.0, -4.0, 6.0])

    def testSoftmaxRowsSumToOne(self):
        logits = np.random.RandomState(0).randn(4, 5).astype(np.float32)
        probs = self.evaluate(nn_ops.softmax(logits))
        self.assertAllClose(probs.sum(axis=1), np.ones(4), rtol=1e-5)

    def testShapeErrorAtGraphConstruction(self):
        with self.assertRaises(ValueError):
            math_ops.matmul(array_ops.zeros([2, 3]), array_ops.zeros([4, 5]))

    def testUninitializedVariableRaises(self):
        v = variables.Variable(1.0, name="v")
        with self.cached_session() as sess:
            with self.assertRaises(errors_impl.FailedPreconditionError):
                sess.run(v)

    def testNameScopes(self):
        with ops.name_scope("outer"):
            c = constant_op.constant(1.0, name="c")
        self.assertEqual(c.op.name, "outer/c")

    @test_util.run_v1_only("variables are TF 1.x ref variables")
    def testAssignAdd(self):
        v = variables.VariableV1(3.0)
        inc = v.assign_add(2.0)
        with self.session() as sess:
            sess.run(variables.global_variables_initializer())
            self.assertEqual(sess.run(inc), 5.0)
            self.assertEqual(v.dtype.base_dtype, tf.float32)

    @test_util.run_v2_only
    def testOnlyInTf2(self):
        self.fail("TF 2.x-only tests are skipped")


if __name__ == "__main__":
    tf.test.main()

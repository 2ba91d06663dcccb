"""`tf.sets`: set operations along the last dimension (ops/sets_ops.py), under TF 1.15's names.

    >>> tf.sets.intersection([[1, 2, 3]], [[2, 3, 4]])   # SparseTensor, values [2, 3]
"""

from tensorflux.ops.sets_ops import set_difference, set_intersection, set_size, set_union

difference = set_difference
intersection = set_intersection
size = set_size
union = set_union

__all__ = ["difference", "intersection", "set_difference", "set_intersection", "set_size",
           "set_union", "size", "union"]

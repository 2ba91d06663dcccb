"""`gather_tree`, the GatherTree op (TF 1.15 beam_search_ops.py)."""

from tensorflux.ops.seq2seq_ops import gather_tree

__all__ = ["gather_tree"]

"""`tf.contrib.seq2seq`: decoders (`BasicDecoder`, `BeamSearchDecoder`, `dynamic_decode`),
helpers, attention (`BahdanauAttention`, `LuongAttention`, `AttentionWrapper`), `gather_tree`
and `sequence_loss`, as in TF 1.15."""

from tensorflux.contrib.seq2seq.attention_wrapper import (
    AttentionMechanism,
    AttentionWrapper,
    AttentionWrapperState,
    BahdanauAttention,
    BahdanauMonotonicAttention,
    LuongAttention,
    LuongMonotonicAttention,
    hardmax,
    monotonic_attention,
    safe_cumprod,
)
from tensorflux.contrib.seq2seq.basic_decoder import BasicDecoder, BasicDecoderOutput
from tensorflux.contrib.seq2seq.beam_search_decoder import (
    BeamSearchDecoder,
    BeamSearchDecoderOutput,
    BeamSearchDecoderState,
    FinalBeamSearchDecoderOutput,
    gather_tree_from_array,
    tile_batch,
)
from tensorflux.contrib.seq2seq.beam_search_ops import gather_tree
from tensorflux.contrib.seq2seq.decoder import Decoder, dynamic_decode
from tensorflux.contrib.seq2seq.helper import (
    CustomHelper,
    GreedyEmbeddingHelper,
    Helper,
    InferenceHelper,
    SampleEmbeddingHelper,
    ScheduledEmbeddingTrainingHelper,
    ScheduledOutputTrainingHelper,
    TrainingHelper,
)
from tensorflux.contrib.seq2seq.loss import sequence_loss

__all__ = [
    "AttentionMechanism", "AttentionWrapper", "AttentionWrapperState", "BahdanauAttention",
    "BahdanauMonotonicAttention", "LuongMonotonicAttention", "ScheduledOutputTrainingHelper",
    "BasicDecoder", "BasicDecoderOutput", "BeamSearchDecoder", "BeamSearchDecoderOutput",
    "BeamSearchDecoderState", "CustomHelper", "Decoder", "FinalBeamSearchDecoderOutput",
    "GreedyEmbeddingHelper", "Helper", "InferenceHelper", "LuongAttention",
    "SampleEmbeddingHelper", "ScheduledEmbeddingTrainingHelper", "TrainingHelper",
    "dynamic_decode", "gather_tree", "gather_tree_from_array", "hardmax", "monotonic_attention",
    "safe_cumprod", "sequence_loss", "tile_batch",
]

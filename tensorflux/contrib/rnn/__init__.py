"""`tf.contrib.rnn`: the core TF 1.x cells and static RNNs under their contrib names, contrib's
own cells (block/fused LSTM and GRU, layer-norm, convolutional, CIFG, IndRNN, UGRNN, NAS, SRU,
...), wrappers (projection, embedding, attention, highway), fused-RNN adaptors and stacked
bidirectional RNNs."""

from tensorflux.contrib.rnn.core_rnn_cell import (
    AttentionCellWrapper,
    EmbeddingWrapper,
    HighwayWrapper,
    InputProjectionWrapper,
    OutputProjectionWrapper,
)
from tensorflux.contrib.rnn.fused_rnn_cell import (
    FusedRNNCell,
    FusedRNNCellAdaptor,
    TimeReversedFusedRNN,
)
from tensorflux.contrib.rnn.gru_ops import GRUBlockCell, GRUBlockCellV2
from tensorflux.contrib.rnn.lstm_ops import LSTMBlockCell, LSTMBlockFusedCell, LSTMBlockWrapper
from tensorflux.contrib.rnn.rnn import stack_bidirectional_dynamic_rnn, stack_bidirectional_rnn
from tensorflux.contrib.rnn.rnn_cell import (
    Conv1DLSTMCell,
    Conv2DLSTMCell,
    Conv3DLSTMCell,
    ConvLSTMCell,
    CoupledInputForgetGateLSTMCell,
    IndRNNCell,
    IndyGRUCell,
    IndyLSTMCell,
    IntersectionRNNCell,
    LayerNormBasicLSTMCell,
    LayerNormLSTMCell,
    NASCell,
    SRUCell,
    UGRNNCell,
)
from tensorflux.ops.rnn import static_bidirectional_rnn, static_rnn
from tensorflux.ops.rnn_cell import (
    BasicLSTMCell,
    BasicRNNCell,
    DeviceWrapper,
    DropoutWrapper,
    GRUCell,
    LayerRNNCell,
    LSTMCell,
    LSTMStateTuple,
    MultiRNNCell,
    ResidualWrapper,
    RNNCell,
)

__all__ = ["AttentionCellWrapper", "BasicLSTMCell", "BasicRNNCell", "Conv1DLSTMCell",
           "Conv2DLSTMCell", "Conv3DLSTMCell", "ConvLSTMCell", "CoupledInputForgetGateLSTMCell",
           "DeviceWrapper", "DropoutWrapper", "EmbeddingWrapper", "FusedRNNCell",
           "FusedRNNCellAdaptor", "GRUBlockCell", "GRUBlockCellV2", "GRUCell", "HighwayWrapper",
           "IndRNNCell", "IndyGRUCell", "IndyLSTMCell", "InputProjectionWrapper",
           "IntersectionRNNCell", "LSTMBlockCell", "LSTMBlockFusedCell", "LSTMBlockWrapper",
           "LSTMCell", "LSTMStateTuple", "LayerNormBasicLSTMCell", "LayerNormLSTMCell",
           "LayerRNNCell", "MultiRNNCell", "NASCell", "OutputProjectionWrapper", "RNNCell",
           "ResidualWrapper", "SRUCell", "TimeReversedFusedRNN", "UGRNNCell",
           "stack_bidirectional_dynamic_rnn", "stack_bidirectional_rnn", "static_bidirectional_rnn",
           "static_rnn"]

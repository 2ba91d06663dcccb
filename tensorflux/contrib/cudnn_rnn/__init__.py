"""`tf.contrib.cudnn_rnn`: the cuDNN RNN layers (CudnnLSTM, CudnnGRU, CudnnRNNTanh,
CudnnRNNRelu), runnable on any device, the cells that read their checkpoints, and the
saveables that write those checkpoints in TF canonical form."""

from tensorflux.contrib.cudnn_rnn.cudnn_rnn import (
    CudnnGRU,
    CudnnLSTM,
    CudnnRNNRelu,
    CudnnRNNTanh,
)
from tensorflux.contrib.cudnn_rnn.cudnn_rnn_ops import (
    CUDNN_GRU,
    CUDNN_INPUT_AUTO_MODE,
    CUDNN_INPUT_LINEAR_MODE,
    CUDNN_INPUT_SKIP_MODE,
    CUDNN_LSTM,
    CUDNN_RNN_BIDIRECTION,
    CUDNN_RNN_RELU,
    CUDNN_RNN_TANH,
    CUDNN_RNN_UNIDIRECTION,
    CudnnCompatibleGRUCell,
    CudnnCompatibleLSTMCell,
    CudnnGRUSaveable,
    CudnnLSTMSaveable,
    CudnnOpaqueParamsSaveable,
    CudnnRNNReluSaveable,
    CudnnRNNTanhSaveable,
)

__all__ = ["CUDNN_GRU", "CUDNN_INPUT_AUTO_MODE", "CUDNN_INPUT_LINEAR_MODE",
           "CUDNN_INPUT_SKIP_MODE", "CUDNN_LSTM", "CUDNN_RNN_BIDIRECTION", "CUDNN_RNN_RELU",
           "CUDNN_RNN_TANH", "CUDNN_RNN_UNIDIRECTION", "CudnnCompatibleGRUCell",
           "CudnnCompatibleLSTMCell", "CudnnGRU", "CudnnGRUSaveable", "CudnnLSTM",
           "CudnnLSTMSaveable", "CudnnOpaqueParamsSaveable", "CudnnRNNRelu",
           "CudnnRNNReluSaveable", "CudnnRNNTanh", "CudnnRNNTanhSaveable"]

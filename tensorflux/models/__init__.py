"""Model zoo: TF-Slim networks and pretrained weights."""

from tensorflux.models.alexnet import alexnet_v2, alexnet_v2_arg_scope
from tensorflux.models.inception_resnet_v2 import (
    inception_resnet_v2,
    inception_resnet_v2_arg_scope,
    inception_resnet_v2_base,
)
from tensorflux.models.inception_utils import inception_arg_scope
from tensorflux.models.inception_v1 import inception_v1, inception_v1_arg_scope, inception_v1_base
from tensorflux.models.inception_v2 import inception_v2, inception_v2_arg_scope, inception_v2_base
from tensorflux.models.inception_v3 import inception_v3, inception_v3_arg_scope, inception_v3_base
from tensorflux.models.inception_v4 import inception_v4, inception_v4_arg_scope, inception_v4_base
from tensorflux.models.mobilenet_v1 import (
    mobilenet_v1,
    mobilenet_v1_025,
    mobilenet_v1_050,
    mobilenet_v1_075,
    mobilenet_v1_arg_scope,
    mobilenet_v1_base,
)
from tensorflux.models.resnet_utils import resnet_arg_scope
from tensorflux.models.resnet_v1 import resnet_v1_50, resnet_v1_101, resnet_v1_152, resnet_v1_200
from tensorflux.models.resnet_v2 import resnet_v2_50, resnet_v2_101, resnet_v2_152, resnet_v2_200
from tensorflux.models.vgg import vgg_16, vgg_19, vgg_a, vgg_arg_scope

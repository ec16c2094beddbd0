"""zoo networks as TensorFlow's own models: keras.applications' ResNet50, MobileNetV2, VGG19,
DenseNet201 and EfficientNetB0, built offline (weights=None) and loaded with the zoo ONNX
file's seeded weights, so TensorFlow native and every ONNX runtime compute one network.

The zoo follows torchvision, and keras.applications differs from it in a few conventions that
change the numbers, not the network's size or cost; the Keras model's config is adjusted to the
zoo's before it is built, and each change is named here:
- a strided convolution pads symmetrically by kernel // 2 (torch), where Keras pads 'same'
  (bottom/right only) or by correct_pad's asymmetric ZeroPadding2D;
- ResNet-50 is v1.5: the stride of a stage's first bottleneck sits on its 3x3 convolution,
  where keras.applications' ResNet50 (v1) puts it on the first 1x1;
- EfficientNet's built-in Rescaling and Normalization input layers are dropped (the zoo's
  input is already normalised);
- batch norm epsilon is the ONNX file's, not Keras's 1e-3 / 1.001e-5;
- the classifier returns logits (classifier_activation=None), as the zoo's do.
Weights go in by name (torch's state_dict names, which the zoo's initializers carry) with every
shape checked, so a mismatch fails the load instead of running a different network. The model
takes the zoo's NCHW input and transposes it to Keras's NHWC first; that transpose is part of
what is timed."""
import copy
import json
import re

import numpy as np
from onnx import numpy_helper

APPLICATIONS = {
    "resnet50": "ResNet50",
    "mobilenetv2": "MobileNetV2",
    "vgg19": "VGG19",
    "densenet201": "DenseNet201",
    "efficientnet-b0": "EfficientNetB0",
}


_STRIDED = ("Conv2D", "DepthwiseConv2D")


def zoo_name(proto):
    """NAME for a model the zoo built (its producerVersion is zoo-NAME-archN), else None."""
    m = re.match(r"^zoo-(.+)-arch\d+$", proto.producer_version or "")
    return m.group(1) if m else None


# ---- the config adjustments ------------------------------------------------------------------

def _refs(node_args):
    """Every keras_history list inside a layer's inbound node arguments."""
    if isinstance(node_args, dict):
        if node_args.get("class_name") == "__keras_tensor__":
            yield node_args["config"]["keras_history"]
        else:
            for v in node_args.values():
                yield from _refs(v)
    elif isinstance(node_args, list):
        for v in node_args:
            yield from _refs(v)


def _rename_inputs(layer, old, new):
    for history in _refs(layer["inbound_nodes"]):
        if history[0] == old:
            history[0] = new


def _drop(config, name):
    """Remove layer `name` (one input, one output), wiring its consumers to its input."""
    layers = config["layers"]
    layer = next(l for l in layers if l["name"] == name)
    source = next(_refs(layer["inbound_nodes"]))[0]
    layers.remove(layer)
    for other in layers:
        _rename_inputs(other, name, source)


def _pad_layer(name, pad, dtype, inbound):
    return {"module": "keras.layers", "class_name": "ZeroPadding2D", "registered_name": None, "name": name,
            "config": {"name": name, "trainable": False, "dtype": dtype, "padding": [[pad, pad], [pad, pad]],
                       "data_format": "channels_last"},
            "inbound_nodes": inbound}


def _torch_padding(config):
    """Every strided convolution padded as torch pads it: kernel // 2 on each side."""
    layers = config["layers"]
    by_name = {l["name"]: l for l in layers}
    for layer in list(layers):
        c = layer["config"]
        if layer["class_name"] not in _STRIDED or max(c["strides"]) == 1:
            continue
        pad = c["kernel_size"][0] // 2
        if c["padding"] == "same":
            name = layer["name"] + "_torch_pad"
            layers.insert(layers.index(layer), _pad_layer(name, pad, c["dtype"], layer["inbound_nodes"]))
            layer["inbound_nodes"] = copy.deepcopy(layer["inbound_nodes"])
            for history in _refs(layer["inbound_nodes"]):
                history[0] = name
            c["padding"] = "valid"
        else:
            source = by_name.get(next(_refs(layer["inbound_nodes"]))[0])
            if source is not None and source["class_name"] == "ZeroPadding2D":
                source["config"]["padding"] = [[pad, pad], [pad, pad]]


def _resnet_v1_5(config):
    """Move each stage's downsampling stride from the first 1x1 convolution to the 3x3."""
    for layer in config["layers"]:
        m = re.match(r"^conv(\d)_block1_([12])_conv$", layer["name"])
        if m and m.group(1) in "345":
            layer["config"]["strides"] = [2, 2] if m.group(2) == "2" else [1, 1]


def _adjusted(config, zoo, epsilon, policy):
    config = json.loads(json.dumps(config))  # a plain, mutable copy: Keras gives tuples inside
    if zoo == "resnet50":
        _resnet_v1_5(config)
    for name in [l["name"] for l in config["layers"] if l["class_name"] in ("Rescaling", "Normalization")]:
        _drop(config, name)
    _torch_padding(config)
    for layer in config["layers"]:
        if layer["class_name"] == "BatchNormalization" and epsilon is not None:
            layer["config"]["epsilon"] = epsilon
        if policy != "fp32" and layer["class_name"] != "InputLayer":
            layer["config"]["dtype"] = {"module": "keras", "class_name": "DTypePolicy", "registered_name": None,
                                        "config": {"name": policy}}
    return config


# ---- weights by name ---------------------------------------------------------------------------

def _resnet50_units():
    yield "conv1_conv", "conv1"
    yield "conv1_bn", "bn1"
    for stage, blocks in zip((2, 3, 4, 5), (3, 4, 6, 3)):
        for b in range(blocks):
            k, t = f"conv{stage}_block{b + 1}", f"layer{stage - 1}.{b}"
            if b == 0:
                yield f"{k}_0_conv", f"{t}.downsample.0"
                yield f"{k}_0_bn", f"{t}.downsample.1"
            for i in (1, 2, 3):
                yield f"{k}_{i}_conv", f"{t}.conv{i}"
                yield f"{k}_{i}_bn", f"{t}.bn{i}"
    yield "predictions", "fc"


def _mobilenetv2_units():
    yield "Conv1", "features.0.0"
    yield "bn_Conv1", "features.0.1"
    yield "expanded_conv_depthwise", "features.1.conv.0.0"
    yield "expanded_conv_depthwise_BN", "features.1.conv.0.1"
    yield "expanded_conv_project", "features.1.conv.1"
    yield "expanded_conv_project_BN", "features.1.conv.2"
    for i in range(1, 17):
        k, t = f"block_{i}", f"features.{i + 1}.conv"
        yield f"{k}_expand", f"{t}.0.0"
        yield f"{k}_expand_BN", f"{t}.0.1"
        yield f"{k}_depthwise", f"{t}.1.0"
        yield f"{k}_depthwise_BN", f"{t}.1.1"
        yield f"{k}_project", f"{t}.2"
        yield f"{k}_project_BN", f"{t}.3"
    yield "Conv_1", "features.18.0"
    yield "Conv_1_bn", "features.18.1"
    yield "predictions", "classifier.1"


def _vgg19_units():
    index = 0
    for block, convs in enumerate((2, 2, 4, 4, 4), start=1):
        for i in range(1, convs + 1):
            yield f"block{block}_conv{i}", f"features.{index}"
            index += 2  # the convolution and its ReLU
        index += 1  # the max pool
    yield "fc1", "classifier.0"
    yield "fc2", "classifier.3"
    yield "predictions", "classifier.6"


def _densenet201_units():
    yield "conv1_conv", "features.conv0"
    yield "conv1_bn", "features.norm0"
    for block, layers in enumerate((6, 12, 48, 32), start=1):
        for i in range(1, layers + 1):
            k, t = f"conv{block + 1}_block{i}", f"features.denseblock{block}.denselayer{i}"
            yield f"{k}_0_bn", f"{t}.norm1"
            yield f"{k}_1_conv", f"{t}.conv1"
            yield f"{k}_1_bn", f"{t}.norm2"
            yield f"{k}_2_conv", f"{t}.conv2"
        if block < 4:
            yield f"pool{block + 1}_bn", f"features.transition{block}.norm"
            yield f"pool{block + 1}_conv", f"features.transition{block}.conv"
    yield "bn", "features.norm5"
    yield "predictions", "classifier"


def _efficientnet_b0_units():
    yield "stem_conv", "features.0.0"
    yield "stem_bn", "features.0.1"
    for stage, repeats in enumerate((1, 2, 2, 3, 3, 4, 1), start=1):
        for j in range(repeats):
            k, t = f"block{stage}{'abcd'[j]}_", f"features.{stage}.{j}.block"
            parts = [] if stage == 1 else [("expand_conv", "0.0"), ("expand_bn", "0.1")]
            o = 0 if stage == 1 else 1
            parts += [("dwconv", f"{o}.0"), ("bn", f"{o}.1"), ("se_reduce", f"{o + 1}.fc1"), ("se_expand", f"{o + 1}.fc2"),
                      ("project_conv", f"{o + 2}.0"), ("project_bn", f"{o + 2}.1")]
            for keras, torch in parts:
                yield k + keras, f"{t}.{torch}"
    yield "top_conv", "features.8.0"
    yield "top_bn", "features.8.1"
    yield "predictions", "classifier.1"


UNITS = {
    "resnet50": _resnet50_units,
    "mobilenetv2": _mobilenetv2_units,
    "vgg19": _vgg19_units,
    "densenet201": _densenet201_units,
    "efficientnet-b0": _efficientnet_b0_units,
}


def _layer_weights(layer, prefix, weights, flatten_chw):
    """The Keras layer's weight list from the torch-named arrays under `prefix`."""
    kind = type(layer).__name__

    def get(suffix):
        name = f"{prefix}.{suffix}"
        if name not in weights:
            raise ValueError(f"format native: the ONNX file has no {name} for Keras layer {layer.name}")
        return weights[name]

    if kind == "BatchNormalization":
        return [get("weight"), get("bias"), get("running_mean"), get("running_var")]
    if kind == "DepthwiseConv2D":
        out = [get("weight").transpose(2, 3, 0, 1)]
    elif kind == "Conv2D":
        out = [get("weight").transpose(2, 3, 1, 0)]
    elif kind == "Dense":
        w = get("weight")
        if flatten_chw is not None:
            # torch flattens NCHW, Keras NHWC: reorder the first dense layer's inputs to match.
            c, h, wd = flatten_chw
            w = w.reshape(w.shape[0], c, h, wd).transpose(0, 2, 3, 1).reshape(w.shape[0], -1)
        out = [w.T]
    else:
        raise ValueError(f"format native: Keras layer {layer.name} ({kind}) has no weight mapping")
    if layer.use_bias:
        bias_name = f"{prefix}.bias"
        out.append(weights[bias_name] if bias_name in weights else np.zeros(out[0].shape[-1] if kind != "DepthwiseConv2D" else out[0].shape[2], np.float32))
    return out


def _set_weights(model, zoo, weights):
    mapped = set()
    for keras_name, prefix in UNITS[zoo]():
        layer = model.get_layer(keras_name)
        flatten = None
        if keras_name == "fc1":  # VGG's first dense layer reads the flattened last feature map
            h, w, c = model.get_layer("flatten").input.shape[1:]
            flatten = (c, h, w)
        values = _layer_weights(layer, prefix, weights, flatten)
        for have, want in zip(layer.get_weights(), values):
            if tuple(have.shape) != tuple(want.shape):
                raise ValueError(f"format native: {prefix} is {list(want.shape)} in the ONNX file, {list(have.shape)} in Keras layer {layer.name}")
        layer.set_weights([v.astype(np.float32) for v in values])
        mapped.add(keras_name)
    unmapped = [l.name for l in model.layers if l.weights and l.name not in mapped]
    if unmapped:
        raise ValueError(f"format native: Keras layers without zoo weights: {', '.join(unmapped[:5])}")


def build(proto, precision="fp32"):
    """(keras model taking NCHW, input names, output names, description) for the zoo ONNX model `proto`."""
    import keras

    zoo = zoo_name(proto)
    if zoo is None:
        raise ValueError("tensorflow: format native applies to zoo models (zoo:NAME); this ONNX file was not built by infermark's zoo")
    if zoo not in APPLICATIONS:
        raise ValueError(f"tensorflow: format native: zoo model {zoo!r} has no keras.applications model; native models: {', '.join(APPLICATIONS)}")
    graph = proto.graph
    dims = [d.dim_value for d in graph.input[0].type.tensor_type.shape.dim]
    channels, height, width = dims[1], dims[2], dims[3]
    classes = graph.output[0].type.tensor_type.shape.dim[-1].dim_value
    weights = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    eps = {a.f for n in graph.node if n.op_type == "BatchNormalization" for a in n.attribute if a.name == "epsilon"}
    if len(eps) > 1:
        raise ValueError(f"format native: the ONNX file's batch norms use several epsilons ({sorted(eps)}); Keras is given one")
    app = getattr(keras.applications, APPLICATIONS[zoo])(
        weights=None, input_shape=(height, width, channels), classes=classes, classifier_activation=None)
    config = _adjusted(app.get_config(), zoo, eps.pop() if eps else None, precision)
    net = keras.Model.from_config(config)
    _set_weights(net, zoo, weights)
    nchw = keras.Input(shape=(channels, height, width), name=graph.input[0].name)
    logits = net(keras.ops.transpose(nchw, (0, 2, 3, 1)))
    model = keras.Model(nchw, keras.ops.cast(logits, "float32"))
    return model, [graph.input[0].name], [graph.output[0].name], f"keras.applications.{APPLICATIONS[zoo]}"

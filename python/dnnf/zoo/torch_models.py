"""Reference architectures in plain ``torch.nn``, and their ONNX export.

There is no torchvision or transformers here: MobileNetV2 and EfficientNet-B0
follow torchvision's definitions, the BERT encoder follows the original BERT
(as in Hugging Face ``BertModel``) and the decoder follows GPT-2.  Weights are
random but seeded (see :func:`init_weights`); BatchNorm running statistics are
calibrated on random images so that eval-mode activations stay normalised.
Models are exported with the TorchScript-based ``torch.onnx.export`` at opset
17 with static shapes.
"""

from __future__ import annotations

import math
import os
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch import nn

from .suite import (
    BERT_BASE,
    GPT2_SMALL,
    IMAGE_SHAPE,
    OPSET,
    TransformerConfig,
    inputs_for,
)

# --- CNN building blocks ---------------------------------------------------


def _make_divisible(v: float, divisor: int = 8) -> int:
    """Rounds channels to a multiple of 8, not going below 90% (torchvision)."""
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


class ConvBNAct(nn.Sequential):
    """Conv2d (no bias, "same" padding) + BatchNorm2d + optional activation."""

    def __init__(
        self,
        cin: int,
        cout: int,
        kernel: int = 3,
        stride: int = 1,
        groups: int = 1,
        act: Callable[[], nn.Module] | None = nn.ReLU6,
    ) -> None:
        layers: list[nn.Module] = [
            nn.Conv2d(
                cin, cout, kernel, stride, (kernel - 1) // 2, groups=groups, bias=False
            ),
            nn.BatchNorm2d(cout),
        ]
        if act is not None:
            layers.append(act())
        super().__init__(*layers)


class InvertedResidual(nn.Module):
    """MobileNetV2 block: 1x1 expand, 3x3 depthwise, 1x1 linear projection."""

    def __init__(self, cin: int, cout: int, stride: int, expand: int) -> None:
        super().__init__()
        hidden = int(round(cin * expand))
        self.use_res = stride == 1 and cin == cout
        layers: list[nn.Module] = []
        if expand != 1:
            layers.append(ConvBNAct(cin, hidden, 1))
        layers += [
            ConvBNAct(hidden, hidden, 3, stride, groups=hidden),
            nn.Conv2d(hidden, cout, 1, bias=False),
            nn.BatchNorm2d(cout),
        ]
        self.conv = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv(x) if self.use_res else self.conv(x)


class MobileNetV2(nn.Module):
    """MobileNetV2 (Sandler et al. 2018), torchvision layout, width 1.0."""

    # expansion t, channels c, repeats n, first stride s
    SETTINGS = (
        (1, 16, 1, 1),
        (6, 24, 2, 2),
        (6, 32, 3, 2),
        (6, 64, 4, 2),
        (6, 96, 3, 1),
        (6, 160, 3, 2),
        (6, 320, 1, 1),
    )

    def __init__(self, num_classes: int = 1000) -> None:
        super().__init__()
        cin, last = 32, 1280
        layers: list[nn.Module] = [ConvBNAct(3, cin, stride=2)]
        for t, c, n, s in self.SETTINGS:
            cout = _make_divisible(c)
            for i in range(n):
                layers.append(InvertedResidual(cin, cout, s if i == 0 else 1, t))
                cin = cout
        layers.append(ConvBNAct(cin, last, 1))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(last, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = nn.functional.adaptive_avg_pool2d(self.features(x), (1, 1))
        return self.classifier(torch.flatten(x, 1))


class SqueezeExcitation(nn.Module):
    """SE: global pool, 1x1 conv + SiLU, 1x1 conv + sigmoid, channel scale."""

    def __init__(self, channels: int, squeeze: int) -> None:
        super().__init__()
        self.fc1 = nn.Conv2d(channels, squeeze, 1)
        self.fc2 = nn.Conv2d(squeeze, channels, 1)
        self.act = nn.SiLU()
        self.gate = nn.Sigmoid()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = nn.functional.adaptive_avg_pool2d(x, 1)
        return x * self.gate(self.fc2(self.act(self.fc1(s))))


class MBConv(nn.Module):
    """EfficientNet block: expand, depthwise kxk, squeeze-excitation, project."""

    def __init__(
        self, cin: int, cout: int, kernel: int, stride: int, expand: int
    ) -> None:
        super().__init__()
        hidden = _make_divisible(cin * expand)
        self.use_res = stride == 1 and cin == cout
        layers: list[nn.Module] = []
        if hidden != cin:
            layers.append(ConvBNAct(cin, hidden, 1, act=nn.SiLU))
        layers += [
            ConvBNAct(hidden, hidden, kernel, stride, groups=hidden, act=nn.SiLU),
            SqueezeExcitation(hidden, max(1, cin // 4)),
            ConvBNAct(hidden, cout, 1, act=None),
        ]
        self.block = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Stochastic depth is training-only, so inference is a plain residual.
        return x + self.block(x) if self.use_res else self.block(x)


class EfficientNetB0(nn.Module):
    """EfficientNet-B0 (Tan & Le 2019), torchvision layout."""

    # expand, kernel, stride, in, out, repeats
    STAGES = (
        (1, 3, 1, 32, 16, 1),
        (6, 3, 2, 16, 24, 2),
        (6, 5, 2, 24, 40, 2),
        (6, 3, 2, 40, 80, 3),
        (6, 5, 1, 80, 112, 3),
        (6, 5, 2, 112, 192, 4),
        (6, 3, 1, 192, 320, 1),
    )

    def __init__(self, num_classes: int = 1000) -> None:
        super().__init__()
        layers: list[nn.Module] = [ConvBNAct(3, 32, 3, 2, act=nn.SiLU)]
        for e, k, s, cin, cout, n in self.STAGES:
            for i in range(n):
                layers.append(
                    MBConv(cin if i == 0 else cout, cout, k, s if i == 0 else 1, e)
                )
        layers.append(ConvBNAct(320, 1280, 1, act=nn.SiLU))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = nn.functional.adaptive_avg_pool2d(self.features(x), 1)
        return self.classifier(torch.flatten(x, 1))


# --- transformers ----------------------------------------------------------


def _split_heads(x: torch.Tensor, heads: int) -> torch.Tensor:
    b, s, h = x.shape
    return x.view(b, s, heads, h // heads).transpose(1, 2)


def _merge_heads(x: torch.Tensor) -> torch.Tensor:
    b, n, s, d = x.shape
    return x.transpose(1, 2).reshape(b, s, n * d)


class BertLayer(nn.Module):
    """Post-LayerNorm encoder layer: self-attention, then GELU (erf) MLP."""

    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        h = cfg.hidden
        self.heads = cfg.heads
        self.query, self.key, self.value = (
            nn.Linear(h, h),
            nn.Linear(h, h),
            nn.Linear(h, h),
        )
        self.attn_out = nn.Linear(h, h)
        self.attn_norm = nn.LayerNorm(h, eps=cfg.eps)
        self.intermediate = nn.Linear(h, cfg.intermediate)
        self.act = nn.GELU()  # exact: 0.5 x (1 + erf(x / sqrt 2))
        self.output = nn.Linear(cfg.intermediate, h)
        self.out_norm = nn.LayerNorm(h, eps=cfg.eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        q = _split_heads(self.query(x), self.heads)
        k = _split_heads(self.key(x), self.heads)
        v = _split_heads(self.value(x), self.heads)
        scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]) + mask
        ctx = _merge_heads(torch.softmax(scores, dim=-1) @ v)
        x = self.attn_norm(x + self.attn_out(ctx))
        return self.out_norm(x + self.output(self.act(self.intermediate(x))))


class BertModel(nn.Module):
    """BERT encoder with embeddings and pooler (token types all 0).

    Inputs ``input_ids`` and ``attention_mask`` (int64, ``[batch, seq]``);
    outputs ``last_hidden_state`` and ``pooler_output``.
    """

    def __init__(self, cfg: TransformerConfig = BERT_BASE) -> None:
        super().__init__()
        h = cfg.hidden
        self.word_embeddings = nn.Embedding(cfg.vocab, h)
        self.position_embeddings = nn.Embedding(cfg.max_positions, h)
        self.token_type_embeddings = nn.Embedding(2, h)
        self.embed_norm = nn.LayerNorm(h, eps=cfg.eps)
        self.layers = nn.ModuleList(BertLayer(cfg) for _ in range(cfg.layers))
        self.pooler = nn.Linear(h, h)
        self.register_buffer(
            "position_ids",
            torch.arange(cfg.max_positions).unsqueeze(0),
            persistent=False,
        )

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        seq = input_ids.shape[1]
        x = (
            self.word_embeddings(input_ids)
            + self.position_embeddings(self.position_ids[:, :seq])
            + self.token_type_embeddings.weight[0]
        )
        x = self.embed_norm(x)
        # 0 where attended, -10000 where masked, broadcast over heads and queries.
        mask = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, mask)
        return x, torch.tanh(self.pooler(x[:, 0]))


class GPT2Block(nn.Module):
    """Pre-LayerNorm decoder block: causal self-attention, GELU (tanh) MLP."""

    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        h = cfg.hidden
        self.heads = cfg.heads
        self.ln_1 = nn.LayerNorm(h, eps=cfg.eps)
        self.c_attn = nn.Linear(h, 3 * h)
        self.attn_proj = nn.Linear(h, h)
        self.ln_2 = nn.LayerNorm(h, eps=cfg.eps)
        self.c_fc = nn.Linear(h, cfg.intermediate)
        self.act = nn.GELU(approximate="tanh")
        self.mlp_proj = nn.Linear(cfg.intermediate, h)

    def forward(self, x: torch.Tensor, causal: torch.Tensor) -> torch.Tensor:
        q, k, v = self.c_attn(self.ln_1(x)).split(x.shape[-1], dim=2)
        q, k, v = (_split_heads(t, self.heads) for t in (q, k, v))
        scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
        scores = torch.where(causal, scores, torch.finfo(scores.dtype).min)
        x = x + self.attn_proj(_merge_heads(torch.softmax(scores, dim=-1) @ v))
        return x + self.mlp_proj(self.act(self.c_fc(self.ln_2(x))))


class GPT2Model(nn.Module):
    """GPT-2 decoder stack with LM head tied to the token embedding.

    Input ``input_ids`` (int64, ``[batch, seq]``); output ``logits``
    (``[batch, seq, vocab]``).
    """

    def __init__(self, cfg: TransformerConfig = GPT2_SMALL) -> None:
        super().__init__()
        self.wte = nn.Embedding(cfg.vocab, cfg.hidden)
        self.wpe = nn.Embedding(cfg.max_positions, cfg.hidden)
        self.blocks = nn.ModuleList(GPT2Block(cfg) for _ in range(cfg.layers))
        self.ln_f = nn.LayerNorm(cfg.hidden, eps=cfg.eps)
        n = cfg.max_positions
        causal = torch.tril(torch.ones(n, n, dtype=torch.bool)).view(1, 1, n, n)
        self.register_buffer("causal", causal, persistent=False)
        self.register_buffer("position_ids", torch.arange(n), persistent=False)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        seq = input_ids.shape[1]
        x = self.wte(input_ids) + self.wpe(self.position_ids[:seq])
        causal = self.causal[:, :, :seq, :seq]
        for block in self.blocks:
            x = block(x, causal)
        return self.ln_f(x) @ self.wte.weight.t()


# --- weights ---------------------------------------------------------------


def init_weights(model: nn.Module, seed: int, transformer: bool = False) -> None:
    """Seeded random weights for every parameter of ``model``.

    CNNs: Conv/Linear weights He-normal ``N(0, sqrt(2 / fan_in))``, biases
    ``N(0, 0.01)``.  Transformers: Linear/Embedding weights ``N(0, 0.02)``
    (GPT-2's residual projections ``0.02 / sqrt(2 * layers)``), biases
    ``N(0, 0.02)``.  Norm scales ``U(0.5, 1.5)``, shifts ``N(0, 0.1)``.
    """
    gen = torch.Generator().manual_seed(seed)
    n_blocks = sum(isinstance(m, GPT2Block) for m in model.modules())
    done: set[int] = set()
    with torch.no_grad():
        for name, m in model.named_modules():
            if isinstance(m, nn.Conv2d | nn.Linear):
                if transformer:
                    std = 0.02
                    if name.endswith(("attn_proj", "mlp_proj")) and n_blocks:
                        std /= math.sqrt(2 * n_blocks)
                    m.weight.normal_(0.0, std, generator=gen)
                else:
                    fan_in = m.weight[0].numel()
                    m.weight.normal_(0.0, math.sqrt(2.0 / fan_in), generator=gen)
                if m.bias is not None:
                    m.bias.normal_(0.0, 0.02 if transformer else 0.01, generator=gen)
            elif isinstance(m, nn.Embedding):
                m.weight.normal_(0.0, 0.02, generator=gen)
            elif isinstance(m, nn.BatchNorm2d | nn.LayerNorm):
                m.weight.uniform_(0.5, 1.5, generator=gen)
                m.bias.normal_(0.0, 0.1, generator=gen)
            else:
                continue
            done.update(id(p) for p in m.parameters(recurse=False))
    missed = [n for n, p in model.named_parameters() if id(p) not in done]
    if missed:
        raise AssertionError(f"parameters left uninitialised: {missed}")


def calibrate_batchnorm(model: nn.Module, images: torch.Tensor) -> None:
    """Running statistics := batch statistics of ``images``, then eval mode.

    In train mode every BatchNorm normalises with the batch statistics of its
    own input, layer after layer, so a single forward pass with cumulative
    averaging records consistent statistics for the whole network.
    """
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    for bn in bns:
        bn.reset_running_stats()
        bn.momentum = None  # cumulative average: one batch -> its statistics
    model.train()
    with torch.no_grad():
        model(images)
    model.eval()


def random_images(seed: int, batch: int = 1) -> torch.Tensor:
    """Uniform [0, 1) images, the same values as ``numpy.random.default_rng``."""
    rng = np.random.default_rng(seed)
    return torch.from_numpy(rng.random((batch, *IMAGE_SHAPE[1:]), dtype=np.float32))


# --- registry and export ---------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """How to build one model and what it is fed."""

    build: Callable[[TransformerConfig | None], nn.Module]
    transformer: bool
    input_names: tuple[str, ...]
    output_names: tuple[str, ...]


def _vision(cls: Callable[[], nn.Module]) -> Spec:
    def make(cfg: TransformerConfig | None) -> nn.Module:
        if cfg is not None:
            raise ValueError(f"{cls.__name__} takes no TransformerConfig")
        return cls()

    return Spec(make, False, ("input",), ("logits",))


SPECS: dict[str, Spec] = {  # keys: suite.TORCH_MODELS
    "mobilenetv2": _vision(MobileNetV2),
    "efficientnet_b0": _vision(EfficientNetB0),
    "bert_base": Spec(
        lambda cfg: BertModel(cfg or BERT_BASE),
        True,
        ("input_ids", "attention_mask"),
        ("last_hidden_state", "pooler_output"),
    ),
    "gpt2": Spec(
        lambda cfg: GPT2Model(cfg or GPT2_SMALL), True, ("input_ids",), ("logits",)
    ),
}


def build(name: str, seed: int = 0, cfg: TransformerConfig | None = None) -> nn.Module:
    """The seeded, eval-mode model ``name`` (``cfg`` overrides a transformer's)."""
    spec = SPECS[name]
    model = spec.build(cfg)
    init_weights(model, seed, spec.transformer)
    if spec.transformer:
        model.eval()
    else:
        calibrate_batchnorm(model, random_images(seed + 1, batch=4))
    return model


def run_torch(model: nn.Module, inputs: dict[str, np.ndarray]) -> list[np.ndarray]:
    """``model`` on numpy ``inputs`` (in order), outputs as numpy arrays."""
    with torch.no_grad():
        out = model(*(torch.from_numpy(v) for v in inputs.values()))
    outs = out if isinstance(out, tuple) else (out,)
    return [o.numpy() for o in outs]


def share_transposed_weights(model: onnx.ModelProto) -> int:
    """Replaces initializers that are transposes of others with ``Transpose``.

    Constant folding turns GPT-2's tied LM head (``h @ wte.T``) into a second,
    transposed 154 MB copy of the embedding; this restores the sharing (the
    runtime or compiler can fold the transpose again).  Returns how many
    initializers were replaced.
    """
    graph = model.graph
    mats = {
        i.name: numpy_helper.to_array(i) for i in graph.initializer if len(i.dims) == 2
    }
    by_shape: dict[tuple[int, ...], list[str]] = {}
    for name, arr in mats.items():
        by_shape.setdefault(arr.shape, []).append(name)
    replaced: dict[str, str] = {}
    for name, arr in mats.items():
        # Only the exporter's folded constants ("onnx::..."), never a weight
        # that keeps its module name.
        if not name.startswith("onnx::") or arr.shape[0] == arr.shape[1]:
            continue
        for other in by_shape.get(arr.shape[::-1], []):
            if other not in replaced and np.array_equal(mats[other].T, arr):
                replaced[name] = other
                break
    if not replaced:
        return 0
    keep = [i for i in graph.initializer if i.name not in replaced]
    del graph.initializer[:]
    graph.initializer.extend(keep)
    nodes = [
        onnx.helper.make_node(
            "Transpose", [src], [dst], name=f"{dst}/tied", perm=[1, 0]
        )
        for dst, src in replaced.items()
    ]
    for n in reversed(nodes):
        graph.node.insert(0, n)
    return len(replaced)


def export(
    name: str, path: Path, seed: int = 0, cfg: TransformerConfig | None = None
) -> Path:
    """Builds ``name`` and writes it to ``path`` as static-shape ONNX, atomically.

    Uses the TorchScript exporter (``dynamo=False``), which needs no
    onnxscript.  Constant folding is on for the transformers only, so that the
    CNNs keep their ``BatchNormalization`` nodes; transposed duplicates of
    tied weights are shared again (:func:`share_transposed_weights`).  The
    export goes to a temporary file in the same folder that is then renamed,
    so a reader never sees a partial model.
    """
    spec = SPECS[name]
    model = build(name, seed, cfg)
    args = tuple(torch.from_numpy(v) for v in inputs_for(name, seed, cfg).values())
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the legacy exporter's deprecation
            torch.onnx.export(
                model,
                args,
                tmp,
                input_names=list(spec.input_names),
                output_names=list(spec.output_names),
                opset_version=OPSET,
                # Folding would also fuse eval-mode BatchNorm into the convs;
                # the CNNs keep their BatchNormalization nodes (the compiler
                # is to fuse them), the transformers need folding for shapes.
                do_constant_folding=spec.transformer,
                dynamo=False,
            )
        if spec.transformer:
            proto = onnx.load(tmp)
            if share_transposed_weights(proto):
                onnx.save(proto, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path

"""Robustness: bad dnnf input gets a clear error, never a crash or an abort.

Generates random dnnf ops in MLIR *generic* form -- random ranks and shapes
(0, 1, huge and dynamic extents), random attribute values (negative, zero,
near INT64_MAX/INT64_MIN, wrong lengths, wrong kinds), random element and
result types, missing or extra operands -- batches them with `// -----` and
runs `dnnf-opt -split-input-file` once per batch.  dnnf-opt must exit with
0 or 1 and never print an assertion or a stack dump.

Most cases are invalid.  To reach the code behind result-type inference as
well (verifiers, mapping types, passes, printers), cases rejected only
because of their declared result types are "repaired" with the types that
dnnf-opt inferred and run again.

    DNNF_FUZZ_SEED=7 DNNF_FUZZ_CASES=100000 pytest test/python/test_robustness.py

or, to collect every distinct crash of a campaign instead of stopping at the
first one:

    python test/python/test_robustness.py --seed 7 --cases 100000

DNNF_FUZZ_OPT overrides the dnnf-opt binary; DNNF_FUZZ_AVOID (see AVOID)
steers the generator away from known crash classes, to look for others.
KNOWN_CRASHERS keeps the minimal reproducers of crashes found so far.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SEED = int(os.environ.get("DNNF_FUZZ_SEED", "0"))
CASES = int(os.environ.get("DNNF_FUZZ_CASES", "5000"))
BATCH = 250
# Crash classes the generator can steer clear of (DNNF_FUZZ_AVOID, comma
# separated; "none" for none):
#   huge-dense   dense attributes with >= 2**63 elements (an upstream MLIR
#                parser assertion that dnnf cannot fix)
#   mixed-attrs  inherent attributes in the attr-dict of an op that also
#                has a `<{...}>` properties dict
AVOID = set(os.environ.get("DNNF_FUZZ_AVOID", "huge-dense").split(",")) - {"none"}
TIMEOUT_S = 120
REPAIR_ROUNDS = 2

# Every batch runs under one of these option sets (batch index modulo).
PIPELINES: list[list[str]] = [
    [],
    ["--dnnf-classify"],
    ["--canonicalize"],
    ["--verify-roundtrip"],
    ["--mlir-print-op-generic"],
    ["--dnnf-classify=emit-remarks=true", "--cse"],
    ["--dnnf-classify=remove=true", "--canonicalize"],
]

CRASH_MARKERS = ("Assertion", "Stack dump", "PLEASE submit a bug report")

TD_FILE = Path(__file__).resolve().parents[2] / "dialect/include/dnnf/IR/DnnfOps.td"

I64_MAX = 2**63 - 1
I64_MIN = -(2**63)
EDGE_INTS = [
    0, 1, -1, 2, -2, 3, 4, 7, -7, 8, 64, 2**31 - 1, 2**31, -(2**31), 2**32,
    3037000499, 3037000500, 2**62, 2**62 + 1, -(2**62), I64_MAX, I64_MAX - 1,
    I64_MAX // 7, I64_MIN, I64_MIN + 1,
]  # fmt: skip
BIG_DIMS = [2**31 - 1, 2**31, 2**32, 3037000499, 3037000500, 2**40, 2**62]
ELEM_WEIGHTS = {
    "f32": 30, "f16": 10, "i1": 10, "i32": 10, "i64": 10, "ui8": 6, "bf16": 3,
    "f64": 3, "si32": 2, "si64": 2, "i8": 2, "index": 1, "complex<f32>": 1,
    "f8E4M3FN": 1,
}  # fmt: skip
# Element types satisfying each operand constraint letter of the op table.
CONSTRAINT_ELEMS = {
    "T": ["f32", "f16", "i1", "i32", "i64", "ui8", "bf16", "si64"],
    "F": ["f32", "f16", "bf16", "f64"],
    "I": ["i32", "i64", "ui8", "i1", "i8", "si32"],
    "B": ["i1"],
    "S": ["f32", "f16", "i32", "i64", "si32", "i8"],
    "X": ["i32", "i64", "si32", "si64"],
    "L": ["i64"],
    "A": ["f32", "i64", "i1"],
}
ODD_TYPES = [
    "tensor<*xf32>", "memref<2x3xf32>", "vector<4xf32>", "f32", "i64", "none",
    "index", "tensor<2x3xf32, \"enc\">", "tuple<tensor<2xf32>>", "complex<f32>",
    "tensor<2x!llvm.ptr>",
]  # fmt: skip
MAPPINGS = ["one_to_one", "reorganize", "shuffle", "one_to_many", "many_to_many"]
FLOAT_LITERALS = [
    "0.0", "-0.0", "1.0", "-1.0", "0.5", "2.0", "6.0", "1.000000e-05",
    "1.000000e+30", "3.402823e+38", "-3.402823e+38", "1.000000e+300",
    "5.000000e-324", "1.000000e-45",
]  # fmt: skip
FLOAT_HEX = {
    "f32": ["0x7FC00000", "0x7F800000", "0xFF800000", "0x00000001"],
    "f64": ["0x7FF8000000000000", "0x7FF0000000000000", "0xFFF0000000000000"],
}
JUNK_STRINGS = [
    "", " ", "LEFT", "none ", "tanh\n", "\\", '"', "\x00", "é", "->", "...",
    "x" * 300, "DCR\x00", "nearest,linear", "0", "-1",
]  # fmt: skip


# ---------------------------------------------------------------------------
# Types, values, operations, cases
# ---------------------------------------------------------------------------

Dim = int | None  # None: dynamic `?`


@dataclass(frozen=True)
class Ty:
    """A ranked tensor type, or any other type spelled verbatim."""

    shape: tuple[Dim, ...] | None
    elem: str = "f32"
    text: str = ""

    def __str__(self) -> str:
        if self.shape is None:
            return self.text
        dims = "".join(("?" if d is None else str(d)) + "x" for d in self.shape)
        return f"tensor<{dims}{self.elem}>"

    @property
    def rank(self) -> int:
        return len(self.shape) if self.shape is not None else -1


def ty(shape: list[Dim] | tuple[Dim, ...], elem: str) -> Ty:
    return Ty(tuple(shape), elem)


def odd(text: str) -> Ty:
    return Ty(None, "", text)


_TENSOR_RE = re.compile(r"tensor<((?:[0-9?]+x)*)([^,<>]+|complex<\w+>)>")


def parse_ty(text: str) -> Ty:
    m = _TENSOR_RE.fullmatch(text)
    if not m:
        return odd(text)
    dims = [None if d == "?" else int(d) for d in m.group(1).split("x")[:-1]]
    return ty(dims, m.group(2))


AttrV = tuple[str, object]  # (kind, value); see render_attr


@dataclass(eq=False)
class Op:
    name: str
    operands: list[Value]
    props: dict[str, AttrV]
    results: list[Ty]
    attrs: dict[str, AttrV] = field(default_factory=dict)  # attr-dict
    region: Region | None = None
    id: int = 0


@dataclass(eq=False)
class Value:
    name: str
    fixed: Ty | None = None  # block/function argument type
    op: Op | None = None
    index: int = 0

    @property
    def type(self) -> Ty:
        if self.op is not None:
            return self.op.results[self.index]
        assert self.fixed is not None
        return self.fixed


@dataclass(eq=False)
class Region:
    """A `dnnf.fused` body: one block (or a deliberately broken layout)."""

    args: list[Value]
    ops: list[Op]
    layout: str = "normal"  # normal | empty | two_blocks | no_args


@dataclass(eq=False)
class Case:
    args: list[Value] = field(default_factory=list)
    ops: list[Op] = field(default_factory=list)
    resources: dict[str, str] = field(default_factory=dict)
    next_id: int = 0

    def new_arg(self, t: Ty) -> Value:
        v = Value(f"%a{len(self.args)}", fixed=t)
        self.args.append(v)
        return v

    def render(self) -> tuple[str, list[tuple[int, Op]]]:
        """The case text and the (0-based) line of every op in it."""
        lines = [
            "func.func @fuzz("
            + ", ".join(f"{a.name}: {a.type}" for a in self.args)
            + ") {"
        ]
        where: list[tuple[int, Op]] = []
        for op in self.ops:
            render_op(op, lines, where, "  ")
        lines.append("  return")
        lines.append("}")
        if self.resources:
            blobs = ", ".join(f'{k}: "{v}"' for k, v in self.resources.items())
            lines.append("{-# dialect_resources: { builtin: { " + blobs + " } } #-}")
        return "\n".join(lines), where


def mlir_string(s: str) -> str:
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20:
            out.append(f"\\{ord(ch):02X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def render_attr(a: AttrV) -> str:
    kind, v = a
    if kind == "i64":
        return f"{v} : i64"
    if kind in ("f32", "f64"):
        return f"{v} : {kind}"
    if kind == "bool":
        return "true" if v else "false"
    if kind == "str":
        assert isinstance(v, str)
        return mlir_string(v)
    if kind == "i64arr":
        assert isinstance(v, list)
        return f"array<i64: {', '.join(map(str, v))}>" if v else "array<i64>"
    if kind == "f64arr":
        assert isinstance(v, list)
        return f"array<f64: {', '.join(v)}>" if v else "array<f64>"
    if kind == "mapping":
        return f"#dnnf.mapping<{v}>"
    assert kind == "raw"
    return str(v)


def render_dict(d: dict[str, AttrV]) -> str:
    return ", ".join(f"{k} = {render_attr(v)}" for k, v in d.items())


def render_op(op: Op, lines: list[str], where: list[tuple[int, Op]], ind: str):
    n = len(op.results)
    lhs = "" if n == 0 else f"%v{op.id} = " if n == 1 else f"%v{op.id}:{n} = "
    operands = ", ".join(v.name for v in op.operands)
    text = f'{ind}{lhs}"dnnf.{op.name}"({operands})'
    if op.props:
        text += " <{" + render_dict(op.props) + "}>"
    if op.region is not None:
        text += " ({"
    else:
        text += tail(op)
    where.append((len(lines), op))
    lines.append(text)
    if op.region is None:
        return
    r = op.region
    if r.layout != "empty":
        args = ", ".join(f"{a.name}: {a.type}" for a in r.args)
        lines.append(f"{ind}^bb0({args}):" if r.layout != "no_args" else "")
        for inner in r.ops:
            render_op(inner, lines, where, ind + "  ")
        if r.layout == "two_blocks":
            lines.append(f"{ind}^bb1:")
            lines.append(f'{ind}  "dnnf.yield"() : () -> ()')
    lines.append(ind + "})" + tail(op))


def tail(op: Op) -> str:
    text = " {" + render_dict(op.attrs) + "}" if op.attrs else ""
    ins = ", ".join(str(v.type) for v in op.operands)
    outs = [str(t) for t in op.results]
    res = (
        outs[0]
        if len(outs) == 1 and not outs[0].startswith("(")
        else ("(" + ", ".join(outs) + ")")
    )
    return f"{text} : ({ins}) -> {res}"


# ---------------------------------------------------------------------------
# The op table (from DnnfOps.td)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OperandSpec:
    name: str
    cons: str  # constraint letter, see CONSTRAINT_ELEMS
    kind: str  # "1" single, "?" optional, "*" variadic


@dataclass(frozen=True)
class AttrSpec:
    name: str
    kind: str  # i64 f32 f64 bool str i64arr f64arr elements
    required: bool
    choices: tuple[str, ...] = ()  # valid strings of a str attribute


@dataclass(frozen=True)
class Spec:
    name: str
    operands: tuple[OperandSpec, ...]
    attrs: tuple[AttrSpec, ...]
    result: str  # constraint letter; "*" variadic
    family: str


SPECS: dict[str, Spec] = {}


def op(name: str, operands: str, attrs: str = "", result: str = "", family=""):
    """Declares an op: operands "input:F bias:F? inputs:T*", attrs
    "axis:i64! mode:str=a|b" (`!` required), result constraint letter."""
    ops = []
    for o in operands.split():
        n, c = o.split(":")
        k = c[-1] if c[-1] in "?*" else "1"
        ops.append(OperandSpec(n, c.rstrip("?*"), k))
    ats = []
    for a in attrs.split():
        n, rest = a.split(":")
        rest, _, choices = rest.partition("=")
        ats.append(
            AttrSpec(n, rest.rstrip("!"), rest.endswith("!"),
                     tuple(choices.split("|")) if choices else ())
        )  # fmt: skip
    SPECS[name] = Spec(
        name, tuple(ops), tuple(ats), result or (ops[0].cons if ops else "T"),
        family or "unary",
    )  # fmt: skip


for _n, _c in [
    ("relu", "S"), ("sigmoid", "F"), ("tanh", "F"), ("exp", "F"), ("log", "F"),
    ("sqrt", "F"), ("reciprocal", "F"), ("abs", "T"), ("neg", "S"),
    ("sign", "S"), ("erf", "F"), ("ceil", "F"), ("floor", "F"), ("round", "F"),
    ("sin", "F"), ("cos", "F"), ("softplus", "F"), ("softsign", "F"),
    ("hard_swish", "F"), ("not", "B"),
]:  # fmt: skip
    op(_n, f"input:{_c}")
op("leaky_relu", "input:F", "alpha:f32")
op("elu", "input:F", "alpha:f32")
op("selu", "input:F", "alpha:f32 gamma:f32")
op("hard_sigmoid", "input:F", "alpha:f32 beta:f32")
op("gelu", "input:F", "approximate:str=none|tanh")
op("clip", "input:S", "min:f64 max:f64")
op("cast", "input:T", result="T", family="cast")
for _n, _c, _r in [
    ("add", "T", "T"), ("sub", "T", "T"), ("mul", "T", "T"), ("div", "T", "T"),
    ("pow", "F", "F"), ("max", "T", "T"), ("min", "T", "T"), ("equal", "T", "B"),
    ("greater", "T", "B"), ("greater_or_equal", "T", "B"), ("less", "T", "B"),
    ("less_or_equal", "T", "B"), ("and", "B", "B"), ("or", "B", "B"),
    ("xor", "B", "B"),
]:  # fmt: skip
    op(_n, f"lhs:{_c} rhs:{_c}", result=_r, family="binary")
op("mod", "lhs:T rhs:T", "fmod:i64", family="binary")
op("bit_shift", "lhs:I rhs:I", "direction:str!=left|right", family="binary")
op("prelu", "input:F slope:F", family="prelu")
op("where", "condition:B lhs:T rhs:T", result="T", family="where")
for _n, _c in [
    ("reduce_sum", "T"), ("reduce_mean", "T"), ("reduce_max", "T"),
    ("reduce_min", "T"), ("reduce_prod", "T"), ("reduce_l1", "T"),
    ("reduce_l2", "F"), ("reduce_sum_square", "T"), ("reduce_log_sum", "F"),
    ("reduce_log_sum_exp", "F"),
]:  # fmt: skip
    op(_n, f"input:{_c}", "axes:i64arr keepdims:bool", family="reduce")
for _n in ("arg_max", "arg_min"):
    op(_n, "input:T", "axis:i64 keepdims:bool select_last_index:bool",
       result="L", family="argreduce")  # fmt: skip
op("softmax", "input:F", "axis:i64", family="axis")
op("log_softmax", "input:F", "axis:i64", family="axis")
op("cumsum", "input:T", "axis:i64! exclusive:bool reverse:bool", family="axis")
op("batch_norm", "input:F scale:F bias:F mean:F variance:F", "epsilon:f32",
   family="batch_norm")  # fmt: skip
op("instance_norm", "input:F scale:F bias:F", "epsilon:f32", family="batch_norm")
op("layer_norm", "input:F scale:F bias:F?", "axis:i64 epsilon:f32",
   family="layer_norm")  # fmt: skip
op("lrn", "input:F", "size:i64! alpha:f32 beta:f32 bias:f32", family="lrn")
op("matmul", "lhs:T rhs:T", family="matmul")
op("gemm", "a:T b:T c:T?", "alpha:f32 beta:f32 transA:bool transB:bool",
   family="gemm")  # fmt: skip
op("einsum", "inputs:T*", "equation:str!", family="einsum")
op(
    "conv",
    "input:F weight:F bias:F?",
    "strides:i64arr! pads:i64arr! dilations:i64arr! group:i64",
    family="conv",
)
op("conv_transpose", "input:F weight:F bias:F?",
   "strides:i64arr! pads:i64arr! dilations:i64arr! output_padding:i64arr! "
   "group:i64", family="conv")  # fmt: skip
op("max_pool", "input:T", "kernel_shape:i64arr! strides:i64arr! pads:i64arr! "
   "dilations:i64arr! ceil_mode:bool", family="pool")  # fmt: skip
op(
    "average_pool",
    "input:F",
    "kernel_shape:i64arr! strides:i64arr! "
    "pads:i64arr! ceil_mode:bool count_include_pad:bool",
    family="pool",
)
op("global_average_pool", "input:F", family="global_pool")
op("global_max_pool", "input:F", family="global_pool")
op("reshape", "input:T", family="reshape")
op("flatten", "input:T", "axis:i64", family="flatten")
op("squeeze", "input:T", "axes:i64arr!", family="squeeze")
op("unsqueeze", "input:T", "axes:i64arr!", family="unsqueeze")
op("transpose", "input:T", "perm:i64arr!", family="transpose")
op("depth_to_space", "input:T", "blocksize:i64! mode:str=DCR|CRD",
   family="block")  # fmt: skip
op("space_to_depth", "input:T", "blocksize:i64!", family="block")
op("expand", "input:T", family="expand")
op("tile", "input:T", "repeats:i64arr!", family="tile")
op("gather", "input:T indices:X", "axis:i64", family="gather")
op(
    "resize",
    "input:T",
    "mode:str=nearest|linear|cubic coordinate_transformation_mode:str=half_pixel"
    "|half_pixel_symmetric|pytorch_half_pixel|align_corners|asymmetric"
    "|tf_crop_and_resize nearest_mode:str=round_prefer_floor|round_prefer_ceil"
    "|floor|ceil cubic_coeff_a:f32 scales:f64arr",
    family="resize",
)
op("pad", "input:T", "pads:i64arr! mode:str=constant|reflect|edge|wrap value:f64",
   family="pad")  # fmt: skip
op("concat", "inputs:T*", "axis:i64!", family="concat")
op(
    "slice",
    "input:T",
    "starts:i64arr! ends:i64arr! axes:i64arr! steps:i64arr!",
    family="slice",
)
op("split", "input:T", "axis:i64! sizes:i64arr!", result="*", family="split")
op("constant", "", "value:elements!", result="T", family="constant")
op("fused", "inputs:A*", result="*", family="fused")
op("yield", "values:A*", result="*", family="yield")

# Ops without InferTypeOpInterface: their result types are never repaired.
NO_INFER = {
    n for n, s in SPECS.items()
    if s.family in ("unary", "cast", "prelu", "axis", "batch_norm", "layer_norm",
                    "lrn", "einsum", "reshape", "expand", "resize", "constant",
                    "fused", "yield")
}  # fmt: skip


# ---------------------------------------------------------------------------
# Random generation
# ---------------------------------------------------------------------------


@dataclass
class Plan:
    operands: list[Ty]
    props: dict[str, AttrV]
    results: list[Ty]


class Gen:
    def __init__(self, rng: random.Random):
        self.r = rng

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def pick(self, seq):
        return self.r.choice(seq)

    def small(self, lo: int = 0, hi: int = 4) -> int:
        return self.r.randint(lo, hi)

    def int_(self) -> int:
        x = self.r.random()
        if x < 0.55:
            return self.r.randint(-3, 8)
        if x < 0.92:
            return self.pick(EDGE_INTS)
        return self.r.randint(I64_MIN, I64_MAX)

    def maybe_edge(self, v: int, p: float = 0.08) -> int:
        return self.int_() if self.chance(p) else v

    def dim(self) -> Dim:
        x = self.r.random()
        if x < 0.06:
            return 0
        if x < 0.28:
            return 1
        if x < 0.8:
            return self.r.randint(2, 7)
        if x < 0.89:
            return None
        if x < 0.95:
            return self.pick(BIG_DIMS)
        if x < 0.975:
            return self.pick([I64_MAX, I64_MAX - 1, self.r.randint(8, 2**62)])
        return self.r.randint(8, 100)

    def rank(self) -> int:
        return self.pick([0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 6])

    def shape(self, rank: int | None = None) -> list[Dim]:
        return [self.dim() for _ in range(self.rank() if rank is None else rank)]

    def elem(self, cons: str = "T") -> str:
        if self.chance(0.9) and cons in CONSTRAINT_ELEMS:
            return self.pick(CONSTRAINT_ELEMS[cons])
        return self.r.choices(list(ELEM_WEIGHTS), list(ELEM_WEIGHTS.values()))[0]

    def tensor(self, cons: str = "T", rank: int | None = None) -> Ty:
        if self.chance(0.03):
            return odd(self.pick(ODD_TYPES))
        return ty(self.shape(rank), self.elem(cons))

    def bcast(self, shape: list[Dim]) -> list[Dim]:
        """A shape that (usually) broadcasts to `shape`."""
        k = self.r.randint(0, len(shape))
        s = list(shape[len(shape) - k :])
        for i in range(len(s)):
            if self.chance(0.3):
                s[i] = 1
            elif self.chance(0.05):
                s[i] = self.dim()
        return s

    def axis(self, rank: int, inclusive: bool = False) -> int:
        if self.chance(0.1) or rank == 0:
            return self.int_()
        hi = rank if inclusive else rank - 1
        return self.r.randint(-rank, hi)

    def float_lit(self, kind: str = "f32") -> str:
        x = self.r.random()
        if x < 0.5:
            return f"{self.r.uniform(-4, 4):.6e}"
        if x < 0.9:
            return self.pick(FLOAT_LITERALS)
        return self.pick(FLOAT_HEX["f64" if kind == "f64" else "f32"])

    def string(self, choices: tuple[str, ...]) -> str:
        if choices and self.chance(0.85):
            return self.pick(choices)
        return self.pick(JUNK_STRINGS + [c.upper() for c in choices])

    def near(self, target: int) -> int:
        """`target` or a neighbour, clamped to int64."""
        return max(I64_MIN, min(I64_MAX, target + self.pick([-1, 0, 0, 1])))

    def room(self, used: Dim) -> int:
        """About INT64_MAX - used: adding `used` lands at or past INT64_MAX."""
        return self.near(I64_MAX - (used if isinstance(used, int) else 0))

    def share(self, factor: Dim) -> int:
        """About INT64_MAX / factor: multiplying lands at or past INT64_MAX."""
        f = factor if isinstance(factor, int) and factor > 0 else 1
        return self.near(I64_MAX // f + self.pick([0, 1]))

    def i64s(self, n: int, lo: int, hi: int) -> list[int]:
        return [self.maybe_edge(self.r.randint(lo, hi), 0.04) for _ in range(n)]

    # -- attributes ---------------------------------------------------------

    def attr(self, a: AttrSpec) -> AttrV:
        """A random value of `a`'s kind (rarely one of another kind)."""
        if self.chance(0.03):
            return self.wrong_attr()
        k = a.kind
        if k == "i64":
            return ("i64", self.int_())
        if k in ("f32", "f64"):
            return (k, self.float_lit(k))
        if k == "bool":
            return ("bool", self.chance(0.5))
        if k == "str":
            return ("str", self.string(a.choices))
        if k == "i64arr":
            return ("i64arr", [self.int_() for _ in range(self.small(0, 6))])
        if k == "f64arr":
            return ("f64arr", [self.float_lit("f64") for _ in range(self.small(0, 5))])
        assert k == "elements"
        return ("raw", self.elements(self.tensor()))

    def wrong_attr(self) -> AttrV:
        return ("raw", self.pick([
            "1 : i32", "1.5 : f32", '"str"', "array<i64: 1, 2>", "array<i32: 1>",
            "array<f64: 1.0>", "true", "unit", "[1, 2]", "dense<[1, 2]> : tensor<2xi64>",
            "7", "@sym", "#dnnf.mapping<one_to_one>", "{a = 1}", "0 : index",
            "-1 : si64", "3 : ui64", "affine_map<(d0) -> (d0)>", "i64",
            "#dnnf.mapping<bogus>", "2147483648 : i32",
        ]))  # fmt: skip

    def tweak(self, a: AttrV, spec: AttrSpec | None) -> AttrV:
        """A small mutation of an attribute value."""
        kind, v = a
        if kind == "i64arr" and isinstance(v, list) and self.chance(0.85):
            v = list(v)
            x = self.r.random()
            if x < 0.6 and v:
                v[self.r.randrange(len(v))] = self.int_()
            elif x < 0.75:
                v.insert(self.r.randint(0, len(v)), self.int_())
            elif x < 0.9 and v:
                del v[self.r.randrange(len(v))]
            else:
                v = []
            return ("i64arr", v)
        if kind == "i64" and isinstance(v, int) and self.chance(0.3):
            return ("i64", v + self.pick([-1, 1]))
        if spec is not None:
            return self.attr(spec)
        return self.wrong_attr()

    def elements(self, t: Ty) -> str:
        """An elements attribute, usually of type `t`."""
        if self.chance(0.05):
            return self.wrong_attr()[1]  # type: ignore[return-value]
        if self.chance(0.1) or t.shape is None:
            t = self.tensor()
        if "huge-dense" in AVOID and t.shape is not None:
            count = 1
            for d in t.shape:  # MLIR multiplies left to right
                count *= d if d is not None else 1
                if count >= 2**63:
                    t = ty([2], t.elem)
                    break
        e = t.elem
        if e.startswith("f") or e == "bf16":
            lits = ["0.0", "1.0", "-2.5", "1.000000e+30", "0x7FC00000", "3"]
        elif e == "i1":
            lits = ["true", "false", "1", "2"]
        else:
            lits = ["0", "1", "-1", "255", "300", "2147483648", str(I64_MAX)]
        x = self.r.random()
        if x < 0.12:
            return f"dense_resource<r{self.small(0, 2)}> : {t}"
        if x < 0.16:
            return f'dense<"0x{self.r.randbytes(self.small(0, 12)).hex()}"> : {t}'
        if x < 0.45 and t.shape is not None and all(d is not None for d in t.shape):
            count = 1
            for d in t.shape:
                count *= d  # type: ignore[operator]
            if count <= 16:
                if self.chance(0.15):
                    count += self.pick([-1, 1])
                vals = ", ".join(self.pick(lits) for _ in range(max(count, 0)))
                return f"dense<[{vals}]> : {t}"
        return f"dense<{self.pick(lits)}> : {t}"


# -- per-family plausible plans ---------------------------------------------
# Each builds operand types and attributes that (mostly) fit together, from
# an optional given first operand `x`, so that checks deep in the verifiers
# and the shape inference are reached.  The driver then mutates them.

Family = Callable[[Gen, Spec, Ty | None], Plan]
FAMILIES: dict[str, Family] = {}


def family(name: str) -> Callable[[Family], Family]:
    def deco(fn: Family) -> Family:
        FAMILIES[name] = fn
        return fn

    return deco


def main_input(g: Gen, sp: Spec, x: Ty | None, min_rank: int = 0) -> Ty:
    if x is not None and x.shape is not None and x.rank >= min_rank:
        return x
    rank = g.r.randint(min_rank, max(min_rank, 5)) if min_rank else None
    return ty(g.shape(rank), g.elem(sp.operands[0].cons))


def default_attrs(g: Gen, sp: Spec, skip: tuple[str, ...] = ()) -> dict[str, AttrV]:
    out: dict[str, AttrV] = {}
    for a in sp.attrs:
        if a.name in skip or (not a.required and g.chance(0.4)):
            continue
        if a.kind == "str":
            out[a.name] = ("str", g.string(a.choices))
        elif a.kind in ("f32", "f64"):
            out[a.name] = (a.kind, g.float_lit(a.kind))
        else:
            out[a.name] = g.attr(a)
    return out


@family("unary")
def _unary(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    props = default_attrs(g, sp)
    if sp.name == "clip" and g.chance(0.5):
        lo, hi = sorted([g.r.uniform(-5, 5), g.r.uniform(-5, 5)])
        props.update(min=("f64", f"{lo:.6e}"), max=("f64", f"{hi:.6e}"))
    return Plan([t], props, [t])


@family("cast")
def _cast(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    return Plan([t], {}, [Ty(t.shape, g.elem("T"))])


@family("binary")
def _binary(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    assert t.shape is not None
    other = ty(g.bcast(list(t.shape)), t.elem)
    ops = [t, other] if g.chance(0.5) or x is not None else [other, t]
    props = default_attrs(g, sp)
    if sp.name == "mod" and g.chance(0.7):
        props["fmod"] = ("i64", 1 if t.elem.startswith(("f", "bf")) else g.small(0, 1))
    elem = "i1" if sp.result == "B" else t.elem
    return Plan(ops, props, [Ty(t.shape, elem)])


@family("prelu")
def _prelu(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    assert t.shape is not None
    return Plan([t, ty(g.bcast(list(t.shape)), t.elem)], {}, [t])


@family("where")
def _where(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    assert t.shape is not None
    s = list(t.shape)
    ops = [ty(g.bcast(s), "i1"), ty(g.bcast(s), t.elem), ty(g.bcast(s), t.elem)]
    ops[g.r.randint(0, 2)] = t if t.elem == "i1" or x is None else ops[0]
    return Plan(ops, {}, [ty(s, t.elem)])


@family("reduce")
def _reduce(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    r = t.rank
    axes = [a - r if g.chance(0.3) else a for a in range(r) if g.chance(0.4)]
    g.r.shuffle(axes)
    props = default_attrs(g, sp, ("axes",))
    if g.chance(0.85):
        props["axes"] = ("i64arr", [g.maybe_edge(a, 0.05) for a in axes])
    return Plan([t], props, [t])


@family("argreduce")
def _argreduce(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    props = default_attrs(g, sp, ("axis",))
    props["axis"] = ("i64", g.axis(t.rank))
    return Plan([t], props, [Ty(t.shape, "i64")])


@family("axis")
def _axis(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    props = default_attrs(g, sp, ("axis",))
    if g.chance(0.9):
        props["axis"] = ("i64", g.axis(t.rank))
    return Plan([t], props, [t])


@family("batch_norm")
def _batch_norm(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    min_rank = 2 if sp.name == "batch_norm" else 3
    t = main_input(g, sp, x, min_rank if g.chance(0.9) else 0)
    assert t.shape is not None
    c = t.shape[1] if t.rank > 1 else g.dim()
    params = [ty([c], t.elem) for _ in sp.operands[1:]]
    if g.chance(0.2):
        params[g.r.randrange(len(params))] = g.tensor("F", g.pick([0, 1, 2]))
    return Plan([t, *params], default_attrs(g, sp), [t])


@family("layer_norm")
def _layer_norm(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    assert t.shape is not None
    axis = g.axis(t.rank)
    norm = list(t.shape[(axis % t.rank if -t.rank <= axis < t.rank else 0) :])
    ops = [t, ty(g.bcast(norm), t.elem)]
    if g.chance(0.6):
        ops.append(ty(g.bcast(norm), t.elem))
    props = default_attrs(g, sp, ("axis",))
    props["axis"] = ("i64", axis)
    return Plan(ops, props, [t])


@family("lrn")
def _lrn(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x, 3)
    props = default_attrs(g, sp, ("size",))
    props["size"] = ("i64", g.maybe_edge(g.small(1, 5)))
    return Plan([t], props, [t])


@family("matmul")
def _matmul(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    e = g.elem("T")
    batch = g.shape(g.pick([0, 0, 1, 2]))
    m, k, n = g.dim(), g.dim(), g.dim()
    a = [k] if g.chance(0.15) else g.bcast(batch) + [m, k]
    b = [k] if g.chance(0.15) else g.bcast(batch) + [k, n]
    if x is not None and x.shape is not None and x.rank >= 1:
        a = list(x.shape)
        e = x.elem
        b = [a[-1]] if g.chance(0.2) else g.bcast(a[:-2]) + [a[-1], n]
    return Plan([ty(a, e), ty(b, e)], {}, [ty(batch + [m, n], e)])


@family("gemm")
def _gemm(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    e = g.elem("T")
    m, k, n = g.dim(), g.dim(), g.dim()
    ta, tb = g.chance(0.3), g.chance(0.3)
    ops = [ty([k, m] if ta else [m, k], e), ty([n, k] if tb else [k, n], e)]
    if g.chance(0.6):
        ops.append(ty(g.bcast([m, n]), e))
    props = default_attrs(g, sp, ("transA", "transB"))
    if ta or g.chance(0.2):
        props["transA"] = ("bool", ta)
    if tb or g.chance(0.2):
        props["transB"] = ("bool", tb)
    return Plan(ops, props, [ty([m, n], e)])


def broadcast(shapes: list[list[Dim]]) -> list[Dim]:
    """numpy broadcasting as dnnf does it (None: dynamic); mismatches keep
    the first extent."""
    out: list[Dim] = [1] * max((len(s) for s in shapes), default=0)
    for s in shapes:
        for i, d in enumerate(s, len(out) - len(s)):
            if d != 1 and (out[i] == 1 or out[i] is None):
                out[i] = d
    return out


@family("einsum")
def _einsum(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    e = g.elem("T")
    letters = "abcdefgXYZ"
    sizes = {c: g.dim() if g.chance(0.2) else g.small(1, 5) for c in letters}
    ops, terms, parts = [], [], []
    ell = g.shape(g.pick([0, 1, 2]))
    for _ in range(g.pick([0, 1, 1, 2, 2, 3])):
        labels = [g.pick(letters) for _ in range(g.small(0, 4))]
        shape: list[Dim] = [sizes[c] for c in labels]
        term = "".join(labels)
        if g.chance(0.25):
            pos = g.r.randint(0, len(labels))
            parts.append(g.bcast(ell))
            shape[pos:pos] = parts[-1]
            term = term[:pos] + "..." + term[pos:]
        if g.chance(0.05):
            shape.append(g.dim())
        ops.append(ty(shape, e))
        terms.append(term)
    eq = ",".join(terms)
    flat = "".join(terms).replace(".", "")
    if g.chance(0.6):
        out = [c for c in sorted(set(flat)) if g.chance(0.5)]
        g.r.shuffle(out)
        if parts and g.chance(0.7):
            out.insert(g.r.randint(0, len(out)), "...")
        eq += "->" + "".join(out)
    else:  # implicit: ellipsis, then the labels used once, sorted
        out = (["..."] if parts else []) + sorted(
            c for c in set(flat) if flat.count(c) == 1
        )
    result: list[Dim] = []
    for c in out:
        result += broadcast(parts) if c == "..." else [sizes[c]]
    if g.chance(0.1):
        eq = g.pick(JUNK_STRINGS + ["ij,jk", "i->ii", "a...b...", "ab,,c", "A->"])
        eq = g.pick([eq, "->", "ij->k", "i,i->", "...->...", "é", "a-b", "ab->a->b"])
    props: dict[str, AttrV] = {"equation": ("str", eq)}
    return Plan(ops, props, [ty(result, e)])


@family("conv")
def _conv(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    e = g.elem("F")
    n = g.pick([1, 2, 2, 3])
    if x is not None and x.shape is not None and 3 <= x.rank <= 5:
        n, e = x.rank - 2, x.elem
    group = g.pick([1, 1, 1, 2, 3]) if g.chance(0.95) else g.int_()
    wc = g.small(1, 3)
    m = g.small(1, 3) * group
    spatial = [g.small(1, 9) if g.chance(0.7) else g.dim() for _ in range(n)]
    kernel = [g.small(1, 3) if g.chance(0.8) else g.dim() for _ in range(n)]
    transpose = sp.name == "conv_transpose"
    if transpose:
        inp = [g.dim(), wc] + spatial
        weight = [wc, g.small(1, 3)] + kernel
    else:
        inp = [g.dim(), wc * group] + spatial
        weight = [m, wc] + kernel
    if x is not None and x.shape is not None and x.rank == n + 2:
        inp = list(x.shape)
    ops = [ty(inp, e), ty(weight, e)]
    if g.chance(0.4):
        out_c = weight[1] * group if transpose else m  # type: ignore[operator]
        ops.append(ty([out_c if g.chance(0.9) else g.dim()], e))
    strides, dil, pads = g.i64s(n, 1, 3), g.i64s(n, 1, 2), g.i64s(2 * n, 0, 2)
    if n and g.chance(0.2):  # aim at the 64-bit limit of the size formula
        i = g.r.randrange(n)
        k, d = kernel[i], inp[i + 2]
        what = g.pick(["dilation", "pad", "pads", "stride"])
        if what == "dilation":
            dil[i] = g.share(k - 1 if isinstance(k, int) else 1)
        elif what == "pad":
            pads[i + g.pick([0, n])] = g.room(d)
        elif what == "pads":
            pads[i] = pads[i + n] = g.near(I64_MAX // 2 + 1)
        else:
            strides[i] = g.share(d - 1 if transpose and isinstance(d, int) else 1)
    props: dict[str, AttrV] = {
        "strides": ("i64arr", strides),
        "pads": ("i64arr", pads),
        "dilations": ("i64arr", dil),
    }
    if group != 1 or g.chance(0.3):
        props["group"] = ("i64", group)
    if transpose:
        props["output_padding"] = (
            "i64arr",
            [g.maybe_edge(g.r.randint(0, max(s, d, 1) - 1) if g.chance(0.8) else 0)
             for s, d in zip(strides, dil, strict=True)],
        )  # fmt: skip
    return Plan(ops, props, [ty(inp, e)])


@family("pool")
def _pool(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x, 3 if g.chance(0.9) else 0)
    n = max(t.rank - 2, 0) if g.chance(0.95) else g.small(0, 3)
    kernel, strides, dil = g.i64s(n, 1, 3), g.i64s(n, 1, 3), g.i64s(n, 1, 2)
    pads = [g.maybe_edge(g.r.randint(0, max(k - 1, 0)), 0.04) for k in kernel * 2]
    if n and t.shape is not None and t.rank == n + 2 and g.chance(0.2):
        i = g.r.randrange(n)
        d = t.shape[i + 2]
        what = g.pick(["kernel", "dilation", "pad", "stride"])
        if what == "kernel":
            kernel[i] = g.near((d or 0) + pads[i] + pads[i + n])
        elif what == "dilation":
            dil[i] = g.share(kernel[i] - 1)
        elif what == "pad":
            pads[i + g.pick([0, n])] = g.room(d)
        else:
            strides[i] = g.near(I64_MAX)
    props: dict[str, AttrV] = {
        "kernel_shape": ("i64arr", kernel),
        "strides": ("i64arr", strides),
        "pads": ("i64arr", pads),
    }
    if sp.name == "max_pool":
        props["dilations"] = ("i64arr", dil)
    props.update(default_attrs(g, sp, tuple(props)))
    return Plan([t], props, [t])


@family("global_pool")
def _global_pool(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x, 3 if g.chance(0.85) else 0)
    return Plan([t], {}, [t])


def _static_product(shape: list[Dim] | tuple[Dim, ...]) -> int | None:
    p = 1
    for d in shape:
        if d is None:
            return None
        p *= d
    return p


@family("reshape")
def _reshape(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    assert t.shape is not None
    p = _static_product(t.shape)
    if p is not None and 0 < p < 2**63 and g.chance(0.7):
        out: list[Dim] = []
        rest = p
        for f in (2, 3, 5, 7):
            while rest % f == 0 and g.chance(0.5):
                out.append(f)
                rest //= f
        out.append(rest)
        g.r.shuffle(out)
        if g.chance(0.1):
            out[g.r.randrange(len(out))] = None
    else:
        out = g.shape()
    return Plan([t], {}, [ty(out, t.elem)])


@family("flatten")
def _flatten(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    props: dict[str, AttrV] = {}
    if g.chance(0.85):
        props["axis"] = ("i64", g.axis(t.rank, inclusive=True))
    return Plan([t], props, [ty(g.shape(2), t.elem)])


@family("squeeze")
def _squeeze(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    assert t.shape is not None
    axes = [i for i, d in enumerate(t.shape) if (d in (1, None) and g.chance(0.7))]
    axes = [a - t.rank if g.chance(0.3) else a for a in axes]
    if g.chance(0.15):
        axes.append(g.axis(t.rank))
    return Plan([t], {"axes": ("i64arr", axes)}, [t])


@family("unsqueeze")
def _unsqueeze(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    k = g.small(0, 3)
    out_rank = t.rank + k
    axes = g.r.sample(range(out_rank), k) if out_rank >= k else []
    axes = [a - out_rank if g.chance(0.3) else g.maybe_edge(a, 0.05) for a in axes]
    return Plan([t], {"axes": ("i64arr", axes)}, [t])


@family("transpose")
def _transpose(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    perm = list(range(t.rank))
    g.r.shuffle(perm)
    return Plan([t], {"perm": ("i64arr", perm)}, [t])


@family("block")
def _block(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    b = g.maybe_edge(g.pick([1, 2, 2, 3]), 0.1)
    if g.chance(0.05):
        b = g.pick([3037000499, 3037000500, 2**32, g.share(g.small(1, 3))])
    e = g.elem("T")
    t = ty([g.dim(), g.small(1, 3) * b * b, g.small(1, 3) * b, g.small(1, 3) * b], e)
    if g.chance(0.1):
        t = main_input(g, sp, x)
    props = default_attrs(g, sp, ("blocksize",))
    props["blocksize"] = ("i64", b)
    return Plan([t], props, [t])


@family("expand")
def _expand(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    assert t.shape is not None
    out = g.shape(g.small(0, 2)) + [g.dim() if d == 1 else d for d in t.shape]
    return Plan([t], {}, [ty(out, t.elem)])


@family("tile")
def _tile(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    repeats = g.i64s(t.rank, 0, 3)
    if t.shape and g.chance(0.15):
        i = g.r.randrange(t.rank)
        repeats[i] = g.share(t.shape[i])
    return Plan([t], {"repeats": ("i64arr", repeats)}, [t])


@family("gather")
def _gather(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    idx = ty(g.shape(g.pick([0, 1, 1, 2])), g.elem("X"))
    props: dict[str, AttrV] = {}
    if g.chance(0.8):
        props["axis"] = ("i64", g.axis(t.rank))
    return Plan([t, idx], props, [t])


@family("resize")
def _resize(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    props = default_attrs(g, sp, ("scales",))
    if g.chance(0.4):
        n = t.rank if g.chance(0.85) else g.small(0, 5)
        props["scales"] = (
            "f64arr",
            [
                g.pick(["1.0", "2.0", "0.5"]) if g.chance(0.8) else g.float_lit("f64")
                for _ in range(n)
            ],
        )
    out = ty(g.shape(t.rank if g.chance(0.9) else None), t.elem)
    return Plan([t], props, [out])


@family("pad")
def _pad(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    props = default_attrs(g, sp, ("pads",))
    pads = g.i64s(2 * t.rank, -1, 3)
    if t.shape and g.chance(0.15):
        i = g.r.randrange(t.rank)
        d = t.shape[i]
        pads[i + g.pick([0, t.rank])] = g.pick([g.room(d), g.near(-(d or 0))])
    props["pads"] = ("i64arr", pads)
    return Plan([t], props, [t])


@family("concat")
def _concat(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    assert t.shape is not None
    axis = g.axis(t.rank)
    ops = [t]
    for _ in range(g.pick([0, 1, 1, 2, 3])):
        s = list(t.shape)
        if -t.rank <= axis < t.rank:
            s[axis] = g.room(t.shape[axis]) if g.chance(0.05) else g.dim()
        ops.append(ty(s, t.elem))
    if x is None and g.chance(0.05):
        ops = []
    return Plan(ops, {"axis": ("i64", axis)}, [t])


@family("slice")
def _slice(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    axes = g.r.sample(range(t.rank), g.r.randint(0, t.rank))
    axes = [a - t.rank if g.chance(0.3) else a for a in axes]
    k = len(axes)

    def idx() -> int:
        return g.r.randint(-8, 8) if g.chance(0.75) else g.int_()

    props: dict[str, AttrV] = {
        "starts": ("i64arr", [idx() for _ in range(k)]),
        "ends": ("i64arr", [idx() for _ in range(k)]),
        "axes": ("i64arr", axes),
        "steps": ("i64arr", [g.pick([1, 1, 2, -1, -2, 3]) if g.chance(0.85)
                             else g.int_() for _ in range(k)]),
    }  # fmt: skip
    return Plan([t], props, [t])


@family("split")
def _split(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = main_input(g, sp, x)
    assert t.shape is not None
    axis = g.axis(t.rank)
    n = g.pick([1, 2, 2, 3, 4])
    dim = t.shape[axis] if -t.rank <= axis < t.rank else None
    if isinstance(dim, int) and dim < 64:
        cuts = sorted(g.r.randint(0, dim) for _ in range(n - 1))
        sizes = [b - a for a, b in zip([0, *cuts], [*cuts, dim], strict=True)]
    else:
        sizes = [g.small(0, 4) for _ in range(n)]
    sizes = [g.maybe_edge(s, 0.04) for s in sizes]
    if g.chance(0.05):
        sizes = [g.near(I64_MAX), *sizes]
    res = [t] * (len(sizes) if g.chance(0.9) else g.small(0, 4))
    return Plan([t], {"axis": ("i64", axis), "sizes": ("i64arr", sizes)}, res)


@family("constant")
def _constant(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    t = g.tensor("T")
    if t.shape is not None and g.chance(0.7):
        t = ty([d if d is not None else 2 for d in t.shape], t.elem)
    return Plan([], {"value": ("raw", g.elements(t))}, [t])


@family("yield")
def _yield(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    ops = [x] if x is not None else []
    return Plan(ops, {}, [g.tensor()] if g.chance(0.1) else [])


@family("fused")
def _fused(g: Gen, sp: Spec, x: Ty | None) -> Plan:
    ops = [x] if x is not None else []
    ops += [g.tensor() for _ in range(g.pick([0, 1, 1, 2]))]
    return Plan(ops, {}, [])  # results and region: see gen_fused


def random_plan(g: Gen, sp: Spec) -> Plan:
    """Operands, attributes and results drawn independently of each other."""
    ops = []
    for o in sp.operands:
        n = {"1": 1, "?": g.small(0, 1), "*": g.pick([0, 1, 2, 3])}[o.kind]
        ops += [g.tensor(o.cons) for _ in range(n)]
    props = {
        a.name: g.attr(a) for a in sp.attrs if g.chance(0.9 if a.required else 0.5)
    }
    n_res = g.pick([0, 1, 2, 3]) if sp.result == "*" else 1
    res = [g.tensor(sp.result) for _ in range(n_res)]
    if ops and res and ops[0].shape is not None and g.chance(0.5):
        res = [Ty(t.shape, ops[0].elem) if t.shape is not None else t for t in res]
    return Plan(ops, props, res)


def mutate(g: Gen, sp: Spec, plan: Plan) -> None:
    if plan.operands and g.chance(0.1):
        i = g.r.randrange(len(plan.operands))
        t = plan.operands[i]
        if t.shape is not None and g.chance(0.5):
            plan.operands[i] = Ty(t.shape, g.elem("A" if g.chance(0.5) else "T"))
        else:
            plan.operands[i] = g.tensor()
    if g.chance(0.05):
        if plan.operands and g.chance(0.5):
            del plan.operands[g.r.randrange(len(plan.operands))]
        else:
            plan.operands.append(g.tensor())
    specs = {a.name: a for a in sp.attrs}
    for name in list(plan.props):
        x = g.r.random()
        if x < 0.04:
            del plan.props[name]
        elif x < 0.16:
            plan.props[name] = g.tweak(plan.props[name], specs.get(name))
    for a in sp.attrs:
        if a.name not in plan.props and g.chance(0.03):
            plan.props[a.name] = g.attr(a)
    if g.chance(0.02):
        plan.props["bogus"] = g.wrong_attr()
    if sp.name in NO_INFER and plan.results and g.chance(0.15):
        plan.results[0] = g.tensor(sp.result)
    if g.chance(0.04):
        plan.results = [g.tensor() for _ in range(g.pick([0, 2]))]


def gen_op(g: Gen, case: Case, pool: list[Value], depth: int = 0, name: str = "") -> Op:
    name = name or g.pick(list(SPECS))
    if name == "fused" and depth > 0:
        name = "relu"
    sp = SPECS[name]
    ranked = [v for v in pool if v.type.shape is not None]
    x = g.pick(ranked) if ranked and g.chance(0.5) else None
    if g.chance(0.85) or name in ("fused", "yield"):
        plan = FAMILIES[sp.family](g, sp, x.type if x else None)
        mutate(g, sp, plan)
    else:
        plan = random_plan(g, sp)
    props, attrs = plan.props, {}
    if name not in ("constant", "yield") and g.chance(0.3 if name != "fused" else 0.95):
        props["mapping"] = ("mapping", g.pick(MAPPINGS))
        if g.chance(0.04):
            props["mapping"] = g.wrong_attr()
    if props and g.chance(0.12):  # legacy spelling: inherent attrs in attr-dict
        p = 1.0 if "mixed-attrs" in AVOID else 0.7
        keys = [k for k in props if g.chance(p)]
        attrs = {k: props.pop(k) for k in keys}
    if g.chance(0.03):
        attrs[g.pick(["dnnf.foo", "foo", "discardable"])] = g.pick(
            [("raw", "unit"), ("i64", 1), g.wrong_attr()]
        )
    operands = []
    for i, t in enumerate(plan.operands):
        if i == 0 and x is not None and t == x.type:
            operands.append(x)
        elif depth > 0 and pool and g.chance(0.9):
            same = [v for v in pool if v.type == t]
            operands.append(g.pick(same) if same else g.pick(pool))
        elif depth == 0 and t.shape is not None and g.chance(0.06):
            c = constant_op(g, case, t)
            case.ops.append(c)
            operands.append(Value(f"%v{c.id}", op=c))
        else:
            operands.append(case.new_arg(t))
    case.next_id += 1
    o = Op(name, operands, props, plan.results, attrs, id=case.next_id)
    if name == "fused":
        gen_fused(g, case, o)
        if g.chance(0.03):
            o.region = None
    elif g.chance(0.005):
        o.region = Region([], [], "empty")
    return o


def constant_op(g: Gen, case: Case, t: Ty) -> Op:
    case.next_id += 1
    props: dict[str, AttrV] = {"value": ("raw", g.elements(t))}
    return Op("constant", [], props, [t], id=case.next_id)


def gen_fused(g: Gen, case: Case, fused: Op) -> None:
    args = [
        Value(f"%f{fused.id}_{i}", fixed=v.type if g.chance(0.95) else g.tensor())
        for i, v in enumerate(fused.operands)
    ]
    if g.chance(0.05):
        args.append(Value(f"%f{fused.id}_x", fixed=g.tensor()))
    pool = list(args)
    if g.chance(0.03) and case.args:
        pool.append(case.args[0])  # not isolated from above
    inner: list[Op] = []
    for _ in range(g.pick([0, 1, 1, 2])):
        o = gen_op(g, case, pool, depth=1)
        if o.name == "yield":
            continue
        inner.append(o)
        pool += [Value(f"%v{o.id}", op=o, index=i) for i in range(len(o.results))]
        if len(o.results) > 1:
            for j, v in enumerate(pool[-len(o.results) :]):
                v.name = f"%v{o.id}#{j}"
    yielded = [pool[-1]] if pool and g.chance(0.85) else []
    if g.chance(0.1) and pool:
        yielded.append(g.pick(pool))
    case.next_id += 1
    y = Op("yield", yielded, {}, [], id=case.next_id)
    if g.chance(0.95):
        inner.append(y)
    fused.results = [v.type for v in yielded] if g.chance(0.85) else [g.tensor()]
    layout = "normal"
    if g.chance(0.08):
        layout = g.pick(["empty", "two_blocks", "no_args"])
    fused.region = Region(args, inner, layout)


def gen_case(g: Gen) -> Case:
    case = Case()
    pool: list[Value] = []
    name = ""
    for _ in range(1 if g.chance(0.75) else g.pick([2, 3])):
        o = gen_op(g, case, pool, name=name if g.chance(0.3) else "")
        name = o.name
        case.ops.append(o)
        n = len(o.results)
        pool += [
            Value(f"%v{o.id}" if n == 1 else f"%v{o.id}#{i}", op=o, index=i)
            for i in range(n)
        ]
    for i in range(3):
        if f"dense_resource<r{i}>" in case.render()[0] and g.chance(0.7):
            case.resources[f"r{i}"] = "0x04000000" + g.r.randbytes(g.small(0, 16)).hex()
    return case


# ---------------------------------------------------------------------------
# Running dnnf-opt
# ---------------------------------------------------------------------------

SEPARATOR = "\n// -----\n"
_INFERRED_RE = re.compile(
    r":(\d+):\d+: error: '[\w.]+' op inferred type\(s\) (.*) are incompatible "
    r"with return type\(s\) of operation"
)
_MAPPING_RE = re.compile(
    r":(\d+):\d+: error: '[\w.]+' op stored mapping type '\w+' contradicts the "
    r"computed mapping type '(\w+)'"
)


def opt_path() -> str:
    if override := os.environ.get("DNNF_FUZZ_OPT"):
        return override
    # Imported late: in an editable install, importing dnnf may rebuild it.
    import dnnf

    return str(dnnf.opt_path())


@dataclass
class Run:
    returncode: int
    stderr: str
    timed_out: bool = False

    @property
    def crashed(self) -> bool:
        return (
            self.timed_out
            or self.returncode not in (0, 1)
            or any(m in self.stderr for m in CRASH_MARKERS)
        )


def run_opt(texts: list[str], args: list[str], tmp: Path) -> Run:
    path = tmp / "fuzz.mlir"
    path.write_text(SEPARATOR.join(texts) + "\n", encoding="utf-8")
    cmd = [opt_path(), str(path), "-split-input-file", "-o", os.devnull, *args]
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return Run(-1, f"timed out after {TIMEOUT_S} s", timed_out=True)
    return Run(p.returncode, p.stderr.decode("utf-8", "replace"))


def culprit(texts: list[str], args: list[str], tmp: Path) -> tuple[str, Run] | None:
    """Bisects a crashing batch down to one crashing case."""
    while len(texts) > 1:
        half = len(texts) // 2
        first = run_opt(texts[:half], args, tmp)
        texts = texts[:half] if first.crashed else texts[half:]
    run = run_opt(texts, args, tmp)
    return (texts[0], run) if run.crashed else None


def repair(cases: list[Case], stderr: str, starts: list[int]) -> list[Case]:
    """Gives ops rejected for their result types the inferred ones, and ops
    rejected for their stored mapping type the computed one.

    Returns the cases that changed.  `starts` holds the first (1-based) line
    of every case in the file dnnf-opt read.
    """
    changed: dict[int, Case] = {}
    lookup: dict[int, tuple[int, Op]] = {}
    for ci, case in enumerate(cases):
        for line, o in case.render()[1]:
            lookup[starts[ci] + line] = (ci, o)
    for m in _INFERRED_RE.finditer(stderr):
        ci, o = lookup.get(int(m.group(1)), (-1, None))
        if o is None:
            continue
        types = [parse_ty(t) for t in re.findall(r"'([^']*)'", m.group(2))]
        if len(types) != len(o.results) and o.id in _used_ids(cases[ci]):
            continue
        o.results = types
        changed[ci] = cases[ci]
    for m in _MAPPING_RE.finditer(stderr):
        ci, o = lookup.get(int(m.group(1)), (-1, None))
        if o is None:
            continue
        where = o.props if "mapping" in o.props else o.attrs
        where["mapping"] = ("mapping", m.group(2))
        changed[ci] = cases[ci]
    return list(changed.values())


def _used_ids(case: Case) -> set[int]:
    used: set[int] = set()

    def walk(ops: list[Op]) -> None:
        for o in ops:
            used.update(v.op.id for v in o.operands if v.op is not None)
            if o.region is not None:
                walk(o.region.ops)

    walk(case.ops)
    return used


@dataclass
class Crash:
    text: str  # the crashing case, or the whole batch if bisection failed
    run: Run
    args: list[str]
    single: bool = True

    def report(self) -> str:
        lines = self.run.stderr.splitlines()
        hits = [i for i, s in enumerate(lines) if any(m in s for m in CRASH_MARKERS)]
        shown = lines[max(hits[0] - 3, 0) : hits[0] + 25] if hits else lines[:40]
        return (
            f"dnnf-opt {' '.join(self.args)} -split-input-file crashed (exit "
            f"status {self.run.returncode}) on:\n\n{self.text}\n\n--- stderr ---\n"
            + "\n".join(shown)
        )


def run_batch(
    seed: int, index: int, count: int, tmp: Path, skip: frozenset[str] = frozenset()
) -> Crash | None:
    """Generates and runs one batch, then its repaired cases (at most
    REPAIR_ROUNDS times).  Cases whose text is in `skip` are left out."""
    rng = random.Random(f"dnnf-fuzz:{seed}:{index}")
    g = Gen(rng)
    cases = [gen_case(g) for _ in range(count)]
    args = PIPELINES[index % len(PIPELINES)]
    for _ in range(REPAIR_ROUNDS + 1):
        cases = [c for c in cases if c.render()[0] not in skip]
        texts, starts, line = [], [], 1
        for c in cases:
            text = c.render()[0]
            texts.append(text)
            starts.append(line)
            line += text.count("\n") + 2  # the text, then "// -----"
        run = run_opt(texts, args, tmp)
        if run.crashed:
            found = culprit(texts, args, tmp)
            if found is None:
                return Crash(SEPARATOR.join(texts), run, args, single=False)
            return Crash(found[0], found[1], args)
        cases = repair(cases, run.stderr, starts)
        if not cases:
            break
    return None


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------


def td_mnemonics() -> set[str]:
    text = TD_FILE.read_text()
    return set(re.findall(r'^def\s+Dnnf_\w+Op\s*:\s*Dnnf_\w+<\s*"(\w+)"', text, re.M))


@pytest.mark.skipif(not TD_FILE.is_file(), reason="needs the source tree")
def test_fuzzer_covers_every_op():
    missing = td_mnemonics() - set(SPECS)
    assert not missing, f"add these ops to the fuzzer's op table: {sorted(missing)}"
    stale = set(SPECS) - td_mnemonics()
    assert not stale, f"ops no longer in DnnfOps.td: {sorted(stale)}"


def test_generator_spells_valid_ops(tmp_path):
    """Sanity: what the generator prints is valid IR when the op is valid."""
    case = Case()
    t, half = ty([4, 3], "f32"), ty([2, 3], "f32")
    x = case.new_arg(t)
    relu = Op("relu", [x], {}, [t], id=1)
    split = Op(
        "split", [x], {"axis": ("i64", 0), "sizes": ("i64arr", [2, 2])}, [half] * 2
    )
    split.id = 2
    arg = Value("%f3_0", fixed=t)
    inner = Op("relu", [arg], {}, [t], id=4)
    yield_ = Op("yield", [Value("%v4", op=inner)], {}, [], id=5)
    fused = Op("fused", [Value("%v1", op=relu)], {}, [t], id=3)
    fused.props["mapping"] = ("mapping", "one_to_one")
    fused.region = Region([arg], [inner, yield_])
    case.ops = [relu, split, fused]
    text = case.render()[0]
    assert '%v2:2 = "dnnf.split"(%a0)' in text
    run = run_opt([text], ["--verify-roundtrip"], tmp_path)
    assert run.returncode == 0, f"{text}\n{run.stderr}"


# Minimal reproducers of crashes this fuzzer found, kept as regression tests.
KNOWN_CRASHERS = {
    # dilation * (kernel - 1) == INT64_MAX: the window size + 1 overflows.
    "conv-window-overflow": """
func.func @f(%x: tensor<1x1x4xf32>, %w: tensor<1x1x2xf32>) {
  %0 = "dnnf.conv"(%x, %w) <{strides = array<i64: 1>, pads = array<i64: 0, 0>,
      dilations = array<i64: 9223372036854775807>}>
      : (tensor<1x1x4xf32>, tensor<1x1x2xf32>) -> tensor<1x1x4xf32>
  return
}""",
    "max_pool-window-overflow": """
func.func @f(%x: tensor<1x1x4xf32>) {
  %0 = "dnnf.max_pool"(%x) <{kernel_shape = array<i64: 2>, strides = array<i64: 1>,
      pads = array<i64: 0, 0>, dilations = array<i64: 9223372036854775807>}>
      : (tensor<1x1x4xf32>) -> tensor<1x1x4xf32>
  return
}""",
    # A default-valued inherent attribute of the wrong kind in the attr-dict
    # next to a properties dict leaves the property null (no diagnostic).
    "softmax-null-default-attr": """
func.func @f(%x: tensor<2x3xf32>) {
  %0 = "dnnf.softmax"(%x) <{}> {axis = 1.0 : f32}
      : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}""",
    "gelu-null-default-attr": """
func.func @f(%x: tensor<2x3xf32>) {
  %0 = "dnnf.gelu"(%x) <{}> {approximate = 1 : i64}
      : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}""",
    "reduce_sum-null-default-attr": """
func.func @f(%x: tensor<2x3xf32>) {
  %0 = "dnnf.reduce_sum"(%x) <{}> {keepdims = 1 : i64}
      : (tensor<2x3xf32>) -> tensor<1x1xf32>
  return
}""",
}


@pytest.mark.parametrize("name", sorted(KNOWN_CRASHERS))
def test_known_crashers(name, tmp_path):
    run = run_opt([KNOWN_CRASHERS[name]], [], tmp_path)
    if run.crashed:
        crash = Crash(KNOWN_CRASHERS[name].strip(), run, [])
        pytest.fail(crash.report(), pytrace=False)
    assert run.returncode == 1, "expected a diagnostic"


BATCHES = [
    (i, min(BATCH, CASES - i * BATCH)) for i in range((CASES + BATCH - 1) // BATCH)
]


@pytest.mark.parametrize(
    ("index", "count"), BATCHES, ids=[f"batch{i}" for i, _ in BATCHES]
)
def test_random_ops_never_crash(index, count, tmp_path):
    crash = run_batch(SEED, index, count, tmp_path)
    if crash is not None:
        pytest.fail(crash.report(), pytrace=False)


# ---------------------------------------------------------------------------
# Campaign mode: every distinct crash, not just the first
# ---------------------------------------------------------------------------


_NOISE_FRAMES = (
    "PrintStackTrace",
    "SignalHandler",
    "libc.so",
    "pthread_kill",
    "raise",
    "abort",
)


def signature(stderr: str) -> str:
    """A short name for a crash: the assertion, else the faulting function
    and the first dnnf function on the stack."""
    frames = [
        m.group(1)
        for m in re.finditer(r"^ *#\d+ 0x[0-9a-f]+ (.*)$", stderr, re.M)
        if not any(n in m.group(1) for n in _NOISE_FRAMES)
    ]
    names = [re.sub(r"\(.*", "", f) for f in frames]
    dnnf_frames = [f for f in names if "dnnf::" in f]
    where = dnnf_frames[0] if dnnf_frames else "(no dnnf frame)"
    for line in stderr.splitlines():
        if "Assertion" in line:
            return line.split("Assertion", 1)[1].strip() + " in " + where
    if "timed out" in stderr:
        return "timeout"
    return (names[0] if names else "?") + " in " + where


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--cases", type=int, default=CASES)
    ap.add_argument("--first-batch", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path("fuzz-crashes"))
    opts = ap.parse_args()
    opts.out.mkdir(parents=True, exist_ok=True)
    seen: dict[str, int] = {}
    batches = (opts.cases + BATCH - 1) // BATCH
    for index in range(opts.first_batch, opts.first_batch + batches):
        count = min(BATCH, opts.cases - (index - opts.first_batch) * BATCH)
        skip: frozenset[str] = frozenset()
        # A crash stops its batch: rerun the batch without the crashing case.
        while (crash := run_batch(opts.seed, index, count, opts.out, skip)) is not None:
            sig = signature(crash.run.stderr)
            seen[sig] = seen.get(sig, 0) + 1
            if seen[sig] == 1:
                n = len(seen)
                (opts.out / f"crash{n}.mlir").write_text(crash.text + "\n")
                (opts.out / f"crash{n}.txt").write_text(crash.report())
                print(f"[batch {index}] new crash #{n}: {sig}", flush=True)
            if not crash.single:
                break
            skip |= {crash.text}
    print(f"{opts.cases} cases, seed {opts.seed}: {len(seen)} distinct crash(es)")
    for sig, n in seen.items():
        print(f"  {n:6d} x {sig}")
    return 1 if seen else 0


if __name__ == "__main__":
    sys.exit(main())

"""The ONNX importer: models in, verified dnnf modules or precise errors out."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from mlir import ir
from mlir.passmanager import PassManager
from onnx import TensorProto, helper, numpy_helper

import dnnf
from dnnf.frontend.onnx import SUPPORTED_OPSET_RANGE, OnnxImportError, import_model

LIGHT_DIR = Path(onnx.__file__).parent / "backend/test/data/light"
LIGHT = [
    "resnet50",
    "squeezenet",
    "shufflenet",
    "inception_v1",
    "inception_v2",
    "densenet121",
    "vgg19",
    "bvlc_alexnet",
    "zfnet512",
]


def body(module):
    return list(module.body.operations[0].regions[0].blocks[0].operations)


def op_names(module):
    return [op.name for op in body(module)]


def make_model(nodes, inputs, outputs, initializers=(), opset=17, name="g"):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def vi(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


@pytest.mark.parametrize("name", LIGHT)
def test_light_models_import_verify_and_classify(ctx, name):
    module = import_model(LIGHT_DIR / f"light_{name}.onnx")
    assert module.operation.verify()
    main = module.body.operations[0]
    assert main.attributes["sym_name"].value == "main"
    assert main.attributes["sym_visibility"].value == "public"
    PassManager.parse("builtin.module(dnnf-classify)").run(module.operation)
    compute = [op for op in body(module) if dnnf.mapping_type(op) is not None]
    assert compute
    assert all(dnnf.stored_mapping_type(op) is not None for op in compute)
    names = op_names(module)
    assert all(n.startswith("dnnf.") for n in names[:-1]) and names[-1] == "func.return"


def test_text_output_reads_back_in_dnnf_opt(tmp_path):
    out = tmp_path / "resnet50.mlir"
    src = LIGHT_DIR / "light_resnet50.onnx"
    r = subprocess.run(
        [sys.executable, "-m", "dnnf.cli", "import", str(src), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    r = subprocess.run(
        [str(dnnf.opt_path()), str(out), "--dnnf-classify"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert "#dnnf.mapping<many_to_many>" in r.stdout


def test_arguments_and_results_named_after_graph(ctx):
    model = make_model(
        [helper.make_node("Relu", ["image"], ["probs"])],
        [vi("image", [1, 4])],
        [vi("probs", [1, 4])],
    )
    module = import_model(model)
    main = module.body.operations[0]
    assert str(main.attributes["arg_attrs"]) == '[{dnnf.name = "image"}]'
    assert str(main.attributes["res_attrs"]) == '[{dnnf.name = "probs"}]'


def test_weights_are_dense_resources(ctx):
    rng = np.random.default_rng(0)
    w = rng.standard_normal((256, 1024)).astype(np.float32)
    model = make_model(
        [helper.make_node("MatMul", ["x", "fc.weight"], ["y"])],
        [vi("x", [2, 256])],
        [vi("y", [2, 1024])],
        [numpy_helper.from_array(w, "fc.weight")],
    )
    module = import_model(model)
    text = str(module)
    assert "dense_resource<fc_weight> : tensor<256x1024xf32>" in text
    # The op is small; the bytes live once, in the resource section.
    assert text.count("fc_weight") == 2
    assert len(text) < 2 * w.nbytes + 10_000


def test_shape_subgraphs_fold(ctx):
    # x.reshape(x.shape[0], -1), as torch exports it.
    nodes = [
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("Gather", ["s", "zero"], ["n"], axis=0),
        helper.make_node("Unsqueeze", ["n", "axes0"], ["n1"]),
        helper.make_node("Concat", ["n1", "minus1"], ["shape"], axis=0),
        helper.make_node("Identity", ["x"], ["xi"]),
        helper.make_node("Dropout", ["xi"], ["xd"]),
        helper.make_node("Reshape", ["xd", "shape"], ["y"]),
    ]
    inits = [
        numpy_helper.from_array(np.array(0, np.int64), "zero"),
        numpy_helper.from_array(np.array([0], np.int64), "axes0"),
        numpy_helper.from_array(np.array([-1], np.int64), "minus1"),
    ]
    model = make_model(nodes, [vi("x", [2, 3, 4])], [vi("y", [2, 12])], inits)
    module = import_model(model)
    assert op_names(module) == ["dnnf.reshape", "func.return"]


def test_torch_style_masks_fold(ctx):
    # Equal/Where/Expand on constants (attention masks) fold to one constant.
    nodes = [
        helper.make_node(
            "ConstantOfShape",
            ["shape"],
            ["ones"],
            value=numpy_helper.from_array(np.array([1], np.int64)),
        ),
        helper.make_node("Equal", ["ones", "minus1"], ["eq"]),
        helper.make_node("Where", ["eq", "ones", "ones"], ["w"]),
        helper.make_node("Expand", ["minus1", "w"], ["mask"]),
        helper.make_node("Cast", ["mask"], ["maskf"], to=TensorProto.FLOAT),
        helper.make_node("Add", ["x", "maskf"], ["y"]),
    ]
    inits = [
        numpy_helper.from_array(np.array([2], np.int64), "shape"),
        numpy_helper.from_array(np.array([-1], np.int64), "minus1"),
    ]
    model = make_model(nodes, [vi("x", [1, 1])], [vi("y", [1, 1])], inits)
    module = import_model(model)
    assert op_names(module) == ["dnnf.constant", "dnnf.add", "func.return"]


def test_constant_node_becomes_constant(ctx):
    nodes = [
        helper.make_node("Constant", [], ["c"], value_float=2.5),
        helper.make_node("Mul", ["x", "c"], ["y"]),
    ]
    module = import_model(make_model(nodes, [vi("x", [3])], [vi("y", [3])]))
    assert op_names(module) == ["dnnf.constant", "dnnf.mul", "func.return"]
    assert "dense<2.500000e+00> : tensor<f32>" in str(module)


# --- Error classes -----------------------------------------------------------


def test_unsupported_operators_are_all_listed(ctx):
    nodes = [
        helper.make_node("Relu", ["x"], ["a"]),
        helper.make_node("Det", ["a"], ["b"], name="det0"),
        helper.make_node("Relu", ["b"], ["c"]),
        helper.make_node("MyOp", ["c"], ["d"], name="custom", domain="com.example"),
    ]
    model = make_model(nodes, [vi("x", [2, 2])], [vi("d", [2, 2])])
    model.opset_import.append(helper.make_opsetid("com.example", 1))
    with pytest.raises(OnnxImportError) as e:
        import_model(model)
    msg = str(e.value)
    assert "2 node(s) use operators that dnnf does not support" in msg
    assert "<model>:2: node 'det0' (Det, opset 17)" in msg
    assert "<model>:4: node 'custom' (com.example.MyOp, opset 17)" in msg


def test_truncated_file(tmp_path):
    path = tmp_path / "cut.onnx"
    path.write_bytes((LIGHT_DIR / "light_squeezenet.onnx").read_bytes()[:300])
    with pytest.raises(OnnxImportError, match=r"cut.onnx: not a readable ONNX model"):
        import_model(path)


def test_missing_file(tmp_path):
    with pytest.raises(OnnxImportError, match="no such file"):
        import_model(tmp_path / "nope.onnx")


def test_not_an_onnx_file(tmp_path):
    path = tmp_path / "text.onnx"
    path.write_text("this is not protobuf at all\n" * 10)
    with pytest.raises(OnnxImportError, match="text.onnx"):
        import_model(path)


def test_wrong_attribute_names_the_node(ctx):
    nodes = [helper.make_node("Transpose", ["x"], ["y"], name="t0", perm=[0, 0])]
    model = make_model(nodes, [vi("x", [2, 3])], [vi("y", [2, 3])])
    with pytest.raises(OnnxImportError) as e:
        import_model(model)
    assert "node 't0' (Transpose, opset 17)" in str(e.value)
    assert "perm" in str(e.value)


def test_bad_attribute_value_names_the_node(ctx):
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["y"], name="conv", auto_pad="SIDEWAYS")
    ]
    inits = [numpy_helper.from_array(np.ones((2, 1, 3, 3), np.float32), "w")]
    model = make_model(nodes, [vi("x", [1, 1, 5, 5])], [vi("y", [1, 2, 3, 3])], inits)
    with pytest.raises(OnnxImportError) as e:
        import_model(model)
    assert "node 'conv' (Conv" in str(e.value)


def test_type_mismatch_names_the_node(ctx):
    nodes = [helper.make_node("Add", ["x", "i"], ["y"], name="add0")]
    model = make_model(
        nodes,
        [vi("x", [2]), vi("i", [2], TensorProto.INT32)],
        [vi("y", [2])],
    )
    with pytest.raises(OnnxImportError) as e:
        import_model(model)
    assert "add0" in str(e.value)


def test_opset_out_of_range(ctx):
    model = make_model(
        [helper.make_node("Relu", ["x"], ["y"])],
        [vi("x", [2])],
        [vi("y", [2])],
        opset=99,
    )
    with pytest.raises(
        OnnxImportError, match=r"opset 99 is outside the supported range"
    ):
        import_model(model)


def test_old_opset_is_converted(ctx):
    # Opset 9 (the light models) is converted; so is a tiny opset-7 graph.
    model = make_model(
        [helper.make_node("Relu", ["x"], ["y"])],
        [vi("x", [2])],
        [vi("y", [2])],
        opset=7,
    )
    assert op_names(import_model(model)) == ["dnnf.relu", "func.return"]
    assert SUPPORTED_OPSET_RANGE[0] <= 11


def test_dynamic_dimension_needs_input_shapes(ctx):
    model = make_model(
        [helper.make_node("Relu", ["x"], ["y"])],
        [vi("x", ["batch", 3])],
        [vi("y", ["batch", 3])],
    )
    with pytest.raises(
        OnnxImportError, match=r"input 'x' has dynamic dimension 0 'batch'"
    ):
        import_model(model)
    module = import_model(model, input_shapes={"x": [4, 3]})
    assert "tensor<4x3xf32>" in str(module)


def test_input_shapes_errors(ctx):
    model = make_model(
        [helper.make_node("Relu", ["x"], ["y"])], [vi("x", [2, 3])], [vi("y", [2, 3])]
    )
    with pytest.raises(OnnxImportError, match=r"'y', which is not a graph input"):
        import_model(model, input_shapes={"y": [2, 3]})
    with pytest.raises(OnnxImportError, match=r"static dimension 1 = 3"):
        import_model(model, input_shapes={"x": [2, 4]})
    with pytest.raises(OnnxImportError, match=r"has rank 2"):
        import_model(model, input_shapes={"x": [6]})


def test_runtime_value_where_constant_needed(ctx):
    nodes = [helper.make_node("Reshape", ["x", "s"], ["y"], name="r")]
    model = make_model(
        nodes, [vi("x", [6]), vi("s", [2], TensorProto.INT64)], [vi("y", [2, 3])]
    )
    with pytest.raises(OnnxImportError) as e:
        import_model(model)
    assert "node 'r' (Reshape" in str(e.value)
    assert "input #1 's' (shape) must be a constant" in str(e.value)


def test_used_unsupported_output(ctx):
    nodes = [
        helper.make_node("MaxPool", ["x"], ["y", "idx"], kernel_shape=[2, 2]),
        helper.make_node("Cast", ["idx"], ["z"], to=TensorProto.FLOAT),
    ]
    model = make_model(nodes, [vi("x", [1, 1, 4, 4])], [vi("z", [1, 1, 3, 3])])
    with pytest.raises(
        OnnxImportError, match=r"output #1 'idx' is used but not supported"
    ):
        import_model(model)


def test_importer_never_aborts_on_garbage():
    # Random bytes and a corrupted real model, in a child process: it must
    # exit normally with an OnnxImportError, never die on a signal.
    code = """
import os, random, sys
from dnnf.frontend.onnx import OnnxImportError, import_model
data = open(sys.argv[1], 'rb').read()
rng = random.Random(0)
for trial in range(40):
    b = bytearray(data)
    for _ in range(20):
        b[rng.randrange(len(b))] = rng.randrange(256)
    path = sys.argv[2]
    open(path, 'wb').write(bytes(b))
    try:
        import_model(path)
    except OnnxImportError:
        pass
print('survived')
"""
    tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"dnnf-garbage-{os.getpid()}.onnx"
    r = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(LIGHT_DIR / "light_squeezenet.onnx"),
            str(tmp),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    tmp.unlink(missing_ok=True)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "survived" in r.stdout


@pytest.fixture
def ctx():
    with ir.Context() as context, ir.Location.unknown():
        yield context

"""dnnf inside the upstream `mlir` Python bindings."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from mlir import ir
from mlir.passmanager import PassManager

import dnnf
from dnnf.dialects import dnnf as d

MODULE = """
func.func @f(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<3x2xf32> {
  %0 = dnnf.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = dnnf.relu %0 : tensor<2x3xf32>
  %2 = dnnf.transpose %1 {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %2 : tensor<3x2xf32>
}
"""


def body_ops(module):
    return list(module.body.operations[0].regions[0].blocks[0].operations)


def f32_tensor(*shape):
    return ir.RankedTensorType.get(list(shape), ir.F32Type.get())


def test_new_context_has_dialect(ctx):
    module = ir.Module.parse(MODULE)
    assert module.operation.verify()
    assert ctx.dialects["dnnf"] is not None
    assert ctx.is_registered_operation("dnnf.add")


def test_parsed_ops_get_generated_classes(ctx):
    module = ir.Module.parse(MODULE)  # keep the module alive while using its ops
    ops = body_ops(module)
    assert isinstance(ops[0], d.AddOp)
    assert isinstance(ops[1], d.ReluOp)
    assert isinstance(ops[2], d.TransposeOp)
    assert list(ops[2].perm) == [1, 0]


def test_computed_mapping_types(ctx):
    module = ir.Module.parse(MODULE)
    add, relu, transpose, ret = body_ops(module)
    assert dnnf.mapping_type(add) is dnnf.MappingType.OneToMany
    assert dnnf.mapping_type(relu) is dnnf.MappingType.OneToOne
    assert dnnf.mapping_type(transpose) is dnnf.MappingType.Shuffle
    assert dnnf.mapping_type(ret) is None
    assert dnnf.stored_mapping_type(add) is None


def test_classify_pass_from_python(ctx):
    module = ir.Module.parse(MODULE)
    PassManager.parse("builtin.module(dnnf-classify)").run(module.operation)
    add, relu, transpose, _ = body_ops(module)
    assert str(add.mapping) == "#dnnf.mapping<one_to_many>"
    assert dnnf.stored_mapping_type(relu) is dnnf.MappingType.OneToOne
    assert dnnf.stored_mapping_type(transpose) is dnnf.MappingType.Shuffle


def test_build_ops_with_inferred_types(ctx):
    module = ir.Module.create()
    with ir.InsertionPoint(module.body):
        a = d.ConstantOp(
            ir.DenseElementsAttr.get(np.ones((2, 3), dtype=np.float32))
        ).result
        b = d.ConstantOp(ir.DenseElementsAttr.get(np.ones(3, dtype=np.float32))).result
        s = d.AddOp(a, b, mapping=dnnf.MappingType.OneToMany)
        m = d.matmul(s.result, d.transpose(s.result, perm=[1, 0]))
    assert str(s.result.type) == "tensor<2x3xf32>"
    assert str(m.type) == "tensor<2x2xf32>"
    assert dnnf.stored_mapping_type(s) is dnnf.MappingType.OneToMany
    assert module.operation.verify()


def test_verifier_failure_raises(ctx):
    module = ir.Module.create()
    with ir.InsertionPoint(module.body):
        x = d.ConstantOp(ir.DenseElementsAttr.get(np.ones(6, dtype=np.float32))).result
        with pytest.raises(ir.MLIRError, match=r"cannot reshape .* \(6 elements\)"):
            d.ReshapeOp(f32_tensor(7), x)
        with pytest.raises(ir.MLIRError, match="contradicts the computed mapping"):
            d.ReluOp(x, mapping=dnnf.MappingType.Shuffle)
    # The failed ops were not left behind.
    assert [op.name for op in module.body.operations] == ["dnnf.constant"]
    assert module.operation.verify()


def test_inference_failure_raises(ctx):
    module = ir.Module.create()
    with ir.InsertionPoint(module.body):
        a = d.ConstantOp(ir.DenseElementsAttr.get(np.ones((2, 3), np.float32))).result
        b = d.ConstantOp(ir.DenseElementsAttr.get(np.ones(4, np.float32))).result
        with pytest.raises(
            ir.MLIRError, match=r"not broadcast-compatible: \[2, 3\] \[4\]"
        ):
            d.AddOp(a, b)
        with pytest.raises(ir.MLIRError, match="perm is not a permutation"):
            d.TransposeOp(a, perm=[0, 0])


def test_verifier_failure_does_not_abort_process():
    code = textwrap.dedent(
        """
        import dnnf
        from mlir import ir
        with ir.Context(), ir.Location.unknown():
            try:
                ir.Module.parse('''
                func.func @f(%a: tensor<2x3xf32>) {
                  %0 = dnnf.softmax %a {axis = 5 : i64} : tensor<2x3xf32>
                  return
                }''')
            except ir.MLIRError as e:
                print("raised:", e)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "axis 5 is out of range [-2, 2)" in out.stdout


def test_context_created_before_import():
    code = textwrap.dedent(
        """
        from mlir import ir
        ctx = ir.Context()
        import dnnf
        dnnf.register_dialect(ctx)
        with ctx, ir.Location.unknown():
            m = ir.Module.parse('func.func @f(%a: tensor<4xf32>) { '
                                '%0 = dnnf.exp %a : tensor<4xf32> return }')
            print(m.operation.verify())
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"


def test_fused_region_op(ctx):
    module = ir.Module.parse(
        """
        func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
          %0 = dnnf.fused (%x) : (tensor<4xf32>) -> tensor<4xf32>
                 attributes {mapping = #dnnf.mapping<one_to_one>} {
          ^bb0(%a: tensor<4xf32>):
            %e = dnnf.exp %a : tensor<4xf32>
            dnnf.yield %e : tensor<4xf32>
          }
          return %0 : tensor<4xf32>
        }
        """
    )
    fused = body_ops(module)[0]
    assert isinstance(fused, d.FusedOp)
    assert dnnf.mapping_type(fused) is dnnf.MappingType.OneToOne
    inner = list(fused.body.blocks[0].operations)
    assert [op.name for op in inner] == ["dnnf.exp", "dnnf.yield"]


def test_weights_as_dense_resource(ctx):
    weights = np.arange(64 * 3 * 7 * 7, dtype=np.float32).reshape(64, 3, 7, 7)
    attr = ir.DenseResourceElementsAttr.get_from_buffer(
        memoryview(weights), "conv1_w", f32_tensor(64, 3, 7, 7)
    )
    module = ir.Module.create()
    with ir.InsertionPoint(module.body):
        d.ConstantOp(attr)
    text = str(module)
    # The op refers to the blob by name; the bytes sit once in the resource
    # section, not inline in the op.
    assert "dnnf.constant dense_resource<conv1_w> : tensor<64x3x7x7xf32>" in text
    assert text.count("conv1_w") == 2
    roundtrip = ir.Module.parse(text)
    assert roundtrip.operation.verify()


def test_mapping_enum_strings():
    assert [str(m) for m in dnnf.MappingType] == [
        "one_to_one",
        "reorganize",
        "shuffle",
        "one_to_many",
        "many_to_many",
    ]

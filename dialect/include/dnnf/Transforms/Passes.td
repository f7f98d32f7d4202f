//===- Passes.td - dnnf passes -----------------------------*- tablegen -*-===//

#ifndef DNNF_TRANSFORMS_PASSES_TD
#define DNNF_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def DnnfClassify : Pass<"dnnf-classify"> {
  let summary = "Annotate every dnnf compute op with its DNNFusion mapping type";
  let description = [{
    Computes the mapping type of every operation implementing
    `MappingOpInterface` (from its semantics and its operand and result
    shapes) and stores it in the op's `mapping` attribute, as
    `#dnnf.mapping<...>`.  `dnnf.fused` ops keep the type they carry.

    With `remove=true` the pass strips the attribute instead.  With
    `emit-remarks=true` it emits one remark per op naming its type, which is
    convenient in tests.  Statistics count the ops of each type.

    ```mlir
    // dnnf-opt --dnnf-classify
    %0 = dnnf.add %a, %b {mapping = #dnnf.mapping<one_to_many>}
           : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let options = [
    Option<"remove", "remove", "bool", /*default=*/"false",
           "Strip stored mapping attributes instead of setting them">,
    Option<"emitRemarks", "emit-remarks", "bool", /*default=*/"false",
           "Emit a remark with the mapping type of every classified op">,
  ];
  let statistics = [
    Statistic<"numOneToOne", "one-to-one", "Number of one_to_one ops">,
    Statistic<"numOneToMany", "one-to-many", "Number of one_to_many ops">,
    Statistic<"numManyToMany", "many-to-many", "Number of many_to_many ops">,
    Statistic<"numReorganize", "reorganize", "Number of reorganize ops">,
    Statistic<"numShuffle", "shuffle", "Number of shuffle ops">,
  ];
}

#endif // DNNF_TRANSFORMS_PASSES_TD

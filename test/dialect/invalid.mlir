// RUN: dnnf-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// ODS type constraints
//===----------------------------------------------------------------------===//

func.func @sigmoid_integer_operand(%x: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error @+1 {{'dnnf.sigmoid' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<2xi32>'}}
  %0 = dnnf.sigmoid %x : tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @not_float_operand(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.not' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<2xf32>'}}
  %0 = dnnf.not %x : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @relu_unsigned_operand(%x: tensor<2xui8>) -> tensor<2xui8> {
  // expected-error @+1 {{'dnnf.relu' op operand #0 must be ranked tensor of floating-point or signless integer or signed integer values, but got 'tensor<2xui8>'}}
  %0 = dnnf.relu %x : tensor<2xui8>
  return %0 : tensor<2xui8>
}

// -----

func.func @relu_unranked_operand(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'dnnf.relu' op operand #0 must be ranked tensor of floating-point or signless integer or signed integer values, but got 'tensor<*xf32>'}}
  %0 = "dnnf.relu"(%x) : (tensor<*xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @relu_custom_form_unranked(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{custom op 'dnnf.relu' invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %0 = dnnf.relu %x : tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @add_unranked_operand(%x: tensor<*xf32>, %y: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.add' op operand #0 must be ranked tensor of floating-point or integer values, but got 'tensor<*xf32>'}}
  %0 = dnnf.add %x, %y : (tensor<*xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @relu_result_type_differs(%x: tensor<2xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'dnnf.relu' op requires the same type for all operands and results}}
  %0 = "dnnf.relu"(%x) : (tensor<2xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @add_element_types_differ(%x: tensor<2xf32>, %y: tensor<2xi32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.add' op failed to verify that all of {lhs, rhs} have same element type}}
  %0 = dnnf.add %x, %y : (tensor<2xf32>, tensor<2xi32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @bit_shift_float_operand(%x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.bit_shift' op operand #0 must be ranked tensor of integer values, but got 'tensor<2xf32>'}}
  %0 = dnnf.bit_shift %x, %y {direction = "left"} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @bit_shift_missing_direction(%x: tensor<2xi32>, %y: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error @+1 {{'dnnf.bit_shift' op requires attribute 'direction'}}
  %0 = dnnf.bit_shift %x, %y : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @pow_integer_operand(%x: tensor<2xi32>, %y: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error @+1 {{'dnnf.pow' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<2xi32>'}}
  %0 = dnnf.pow %x, %y : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @and_float_operand(%x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.and' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<2xf32>'}}
  %0 = dnnf.and %x, %y : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @equal_float_result(%x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.equal' op result #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<2xf32>'}}
  %0 = dnnf.equal %x, %y : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @where_float_condition(%c: tensor<2xf32>, %x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.where' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<2xf32>'}}
  %0 = dnnf.where %c, %x, %y : (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @where_element_types_differ(%c: tensor<2xi1>, %x: tensor<2xf32>, %y: tensor<2xi32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.where' op failed to verify that all of {lhs, rhs, output} have same element type}}
  %0 = dnnf.where %c, %x, %y : (tensor<2xi1>, tensor<2xf32>, tensor<2xi32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @cast_unranked_operand(%x: tensor<*xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.cast' op operand #0 must be ranked tensor of floating-point or integer values, but got 'tensor<*xf32>'}}
  %0 = "dnnf.cast"(%x) : (tensor<*xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @reduce_l2_integer_operand(%x: tensor<2x3xi32>) -> tensor<1x1xi32> {
  // expected-error @+1 {{'dnnf.reduce_l2' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<2x3xi32>'}}
  %0 = dnnf.reduce_l2 %x : (tensor<2x3xi32>) -> tensor<1x1xi32>
  return %0 : tensor<1x1xi32>
}

// -----

func.func @arg_max_i32_result(%x: tensor<2x3xf32>) -> tensor<1x3xi32> {
  // expected-error @+1 {{'dnnf.arg_max' op result #0 must be ranked tensor of 64-bit signless integer values, but got 'tensor<1x3xi32>'}}
  %0 = dnnf.arg_max %x : (tensor<2x3xf32>) -> tensor<1x3xi32>
  return %0 : tensor<1x3xi32>
}

// -----

func.func @softmax_integer_operand(%x: tensor<2x3xi32>) -> tensor<2x3xi32> {
  // expected-error @+1 {{'dnnf.softmax' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<2x3xi32>'}}
  %0 = dnnf.softmax %x : tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

func.func @batch_norm_result_type_differs(%x: tensor<1x3xf32>, %p: tensor<3xf32>) -> tensor<1x3xf16> {
  // expected-error @+1 {{'dnnf.batch_norm' op failed to verify that all of {input, output} have same type}}
  %0 = dnnf.batch_norm %x, %p, %p, %p, %p : (tensor<1x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3xf16>
  return %0 : tensor<1x3xf16>
}

// -----

func.func @gemm_missing_operand(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'dnnf.gemm' op expected 2 or more operands, but found 1}}
  %0 = "dnnf.gemm"(%a) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @conv_integer_operand(%x: tensor<1x3x8x8xi32>, %w: tensor<4x3x3x3xi32>) -> tensor<1x4x6x6xi32> {
  // expected-error @+1 {{'dnnf.conv' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<1x3x8x8xi32>'}}
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xi32>, tensor<4x3x3x3xi32>) -> tensor<1x4x6x6xi32>
  return %0 : tensor<1x4x6x6xi32>
}

// -----

func.func @conv_missing_dilations(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'dnnf.conv' op requires attribute 'dilations'}}
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @max_pool_element_types_differ(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf16> {
  // expected-error @+1 {{'dnnf.max_pool' op failed to verify that all of {input, output} have same element type}}
  %0 = dnnf.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf16>
  return %0 : tensor<1x3x7x7xf16>
}

// -----

func.func @average_pool_integer_operand(%x: tensor<1x3x8x8xi32>) -> tensor<1x3x7x7xi32> {
  // expected-error @+1 {{'dnnf.average_pool' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<1x3x8x8xi32>'}}
  %0 = dnnf.average_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xi32>) -> tensor<1x3x7x7xi32>
  return %0 : tensor<1x3x7x7xi32>
}

// -----

func.func @reshape_element_types_differ(%x: tensor<2x3xf32>) -> tensor<6xi32> {
  // expected-error @+1 {{'dnnf.reshape' op failed to verify that all of {input, output} have same element type}}
  %0 = dnnf.reshape %x : tensor<2x3xf32> to tensor<6xi32>
  return %0 : tensor<6xi32>
}

// -----

func.func @depth_to_space_element_types_differ(%x: tensor<1x8x2x2xf32>) -> tensor<1x2x4x4xf16> {
  // expected-error @+1 {{'dnnf.depth_to_space' op failed to verify that all of {input, output} have same element type}}
  %0 = dnnf.depth_to_space %x {blocksize = 2 : i64} : (tensor<1x8x2x2xf32>) -> tensor<1x2x4x4xf16>
  return %0 : tensor<1x2x4x4xf16>
}

// -----

func.func @gather_float_indices(%x: tensor<4x3xf32>, %i: tensor<2xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'dnnf.gather' op operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer or 32-bit signed integer or 64-bit signed integer values, but got 'tensor<2xf32>'}}
  %0 = dnnf.gather %x[%i] : (tensor<4x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @resize_element_types_differ(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xi32> {
  // expected-error @+1 {{'dnnf.resize' op failed to verify that all of {input, output} have same element type}}
  %0 = dnnf.resize %x : tensor<1x3x4x4xf32> to tensor<1x3x8x8xi32>
  return %0 : tensor<1x3x8x8xi32>
}

// -----

func.func @constant_type_mismatch() -> tensor<3xf32> {
  // expected-error @+1 {{'dnnf.constant' op failed to verify that all of {value, output} have same type}}
  %0 = "dnnf.constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @constant_non_elements_value() -> tensor<3xf32> {
  // expected-error @+1 {{invalid properties {value = 1.000000e+00 : f32} for op dnnf.constant: Invalid attribute `value` in property conversion}}
  %0 = "dnnf.constant"() <{value = 1.0 : f32}> : () -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @constant_index_element_type() -> tensor<3xindex> {
  // expected-error @+1 {{'dnnf.constant' op result #0 must be ranked tensor of floating-point or integer values, but got 'tensor<3xindex>'}}
  %0 = dnnf.constant dense<1> : tensor<3xindex>
  return %0 : tensor<3xindex>
}

// -----

//===----------------------------------------------------------------------===//
// Mapping attribute
//===----------------------------------------------------------------------===//

func.func @add_broadcast_mapping_contradiction(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'dnnf.add' op stored mapping type 'one_to_one' contradicts the computed mapping type 'one_to_many'}}
  %0 = dnnf.add %x, %y {mapping = #dnnf.mapping<one_to_one>} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @add_same_shape_mapping_contradiction(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.add' op stored mapping type 'one_to_many' contradicts the computed mapping type 'one_to_one'}}
  %0 = dnnf.add %x, %x {mapping = #dnnf.mapping<one_to_many>} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @where_mapping_contradiction(%c: tensor<2xi1>, %x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.where' op stored mapping type 'one_to_many' contradicts the computed mapping type 'one_to_one'}}
  %0 = dnnf.where %c, %x, %y {mapping = #dnnf.mapping<one_to_many>} : (tensor<2xi1>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @relu_mapping_contradiction(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.relu' op stored mapping type 'many_to_many' contradicts the computed mapping type 'one_to_one'}}
  %0 = dnnf.relu %x {mapping = #dnnf.mapping<many_to_many>} : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @mapping_not_a_mapping_attr(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.relu' op attribute 'mapping' failed to satisfy constraint: DNNFusion mapping type}}
  %0 = dnnf.relu %x {mapping = 1 : i32} : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @mapping_not_a_mapping_property(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{invalid properties {mapping = 1 : i32} for op dnnf.relu: Invalid attribute `mapping` in property conversion}}
  %0 = "dnnf.relu"(%x) <{mapping = 1 : i32}> : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @mapping_unknown_case(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{expected ::mlir::dnnf::MappingType to be one of: one_to_one, reorganize, shuffle, one_to_many, many_to_many}}
  // expected-error @+1 {{failed to parse Dnnf_MappingAttr parameter 'value'}}
  %0 = dnnf.relu %x {mapping = #dnnf.mapping<sideways>} : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Unary and elementwise verifiers
//===----------------------------------------------------------------------===//

func.func @gelu_bad_approximate(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.gelu' op approximate must be "none" or "tanh", got "fast"}}
  %0 = dnnf.gelu %x {approximate = "fast"} : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @clip_nan_bound(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.clip' op min and max must not be NaN}}
  %0 = dnnf.clip %x {min = 0x7FF8000000000000 : f64, max = 1.0 : f64} : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @cast_shapes_differ(%x: tensor<2xf32>) -> tensor<3xi32> {
  // expected-error @+1 {{'dnnf.cast' op operand and result shapes differ: 'tensor<2xf32>' vs 'tensor<3xi32>'}}
  %0 = dnnf.cast %x : tensor<2xf32> to tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

func.func @mod_fmod_out_of_range(%x: tensor<2xi32>, %y: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error @+1 {{'dnnf.mod' op fmod must be 0 or 1, got 2}}
  %0 = dnnf.mod %x, %y {fmod = 2 : i64} : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @mod_float_without_fmod(%x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.mod' op fmod must be 1 for floating-point operands}}
  %0 = dnnf.mod %x, %y : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @bit_shift_bad_direction(%x: tensor<2xi32>, %y: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error @+1 {{'dnnf.bit_shift' op direction must be "left" or "right", got "up"}}
  %0 = dnnf.bit_shift %x, %y {direction = "up"} : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @prelu_slope_not_broadcastable(%x: tensor<1x3x4xf32>, %s: tensor<4x1xf32>) -> tensor<1x3x4xf32> {
  // expected-error @+1 {{'dnnf.prelu' op slope of type 'tensor<4x1xf32>' does not broadcast unidirectionally to the input type 'tensor<1x3x4xf32>'}}
  %0 = dnnf.prelu %x, %s : (tensor<1x3x4xf32>, tensor<4x1xf32>) -> tensor<1x3x4xf32>
  return %0 : tensor<1x3x4xf32>
}

// -----

func.func @prelu_slope_higher_rank(%x: tensor<3xf32>, %s: tensor<1x3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'dnnf.prelu' op slope of type 'tensor<1x3xf32>' does not broadcast unidirectionally to the input type 'tensor<3xf32>'}}
  %0 = dnnf.prelu %x, %s : (tensor<3xf32>, tensor<1x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Broadcast inference
//===----------------------------------------------------------------------===//

func.func @add_not_broadcastable(%x: tensor<2x3xf32>, %y: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{operands are not broadcast-compatible: [2, 3] [4]}}
  // expected-error @+1 {{'dnnf.add' op failed to infer returned types}}
  %0 = dnnf.add %x, %y : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @add_wrong_result_shape(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> tensor<2x4xf32> {
  // expected-error @+2 {{'dnnf.add' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<2x4xf32>'}}
  // expected-error @+1 {{'dnnf.add' op failed to infer returned types}}
  %0 = dnnf.add %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @add_wrong_result_element_type(%x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<2xf16> {
  // expected-error @+2 {{'dnnf.add' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<2xf16>'}}
  // expected-error @+1 {{'dnnf.add' op failed to infer returned types}}
  %0 = dnnf.add %x, %y : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf16>
  return %0 : tensor<2xf16>
}

// -----

func.func @less_not_broadcastable(%x: tensor<2xf32>, %y: tensor<3xf32>) -> tensor<2xi1> {
  // expected-error @+2 {{operands are not broadcast-compatible: [2] [3]}}
  // expected-error @+1 {{'dnnf.less' op failed to infer returned types}}
  %0 = dnnf.less %x, %y : (tensor<2xf32>, tensor<3xf32>) -> tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

func.func @where_not_broadcastable(%c: tensor<3xi1>, %x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{operands are not broadcast-compatible: [3] [2] [2]}}
  // expected-error @+1 {{'dnnf.where' op failed to infer returned types}}
  %0 = dnnf.where %c, %x, %y : (tensor<3xi1>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

func.func @reduce_sum_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{reduction axis 2 is out of range [-2, 2)}}
  // expected-error @+1 {{'dnnf.reduce_sum' op failed to infer returned types}}
  %0 = dnnf.reduce_sum %x {axes = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @reduce_mean_repeated_axis(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  // expected-error @+2 {{reduction axis -1 is repeated}}
  // expected-error @+1 {{'dnnf.reduce_mean' op failed to infer returned types}}
  %0 = dnnf.reduce_mean %x {axes = array<i64: 1, -1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @reduce_max_wrong_result_without_keepdims(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  // expected-error @+2 {{'dnnf.reduce_max' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<2x1xf32>'}}
  // expected-error @+1 {{'dnnf.reduce_max' op failed to infer returned types}}
  %0 = dnnf.reduce_max %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @arg_max_rank_zero(%x: tensor<f32>) -> tensor<i64> {
  // expected-error @+2 {{input must have rank >= 1}}
  // expected-error @+1 {{'dnnf.arg_max' op failed to infer returned types}}
  %0 = dnnf.arg_max %x : (tensor<f32>) -> tensor<i64>
  return %0 : tensor<i64>
}

// -----

func.func @arg_min_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  // expected-error @+2 {{reduction axis 2 is out of range [-2, 2)}}
  // expected-error @+1 {{'dnnf.arg_min' op failed to infer returned types}}
  %0 = dnnf.arg_min %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

//===----------------------------------------------------------------------===//
// Softmax family, CumSum
//===----------------------------------------------------------------------===//

func.func @softmax_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'dnnf.softmax' op axis 2 is out of range [-2, 2)}}
  %0 = dnnf.softmax %x {axis = 2 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @log_softmax_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'dnnf.log_softmax' op axis -3 is out of range [-2, 2)}}
  %0 = dnnf.log_softmax %x {axis = -3 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @softmax_rank_zero_default_axis(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'dnnf.softmax' op axis -1 is out of range [0, 0)}}
  %0 = dnnf.softmax %x : tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @cumsum_axis_out_of_range(%x: tensor<2x3xi32>) -> tensor<2x3xi32> {
  // expected-error @+1 {{'dnnf.cumsum' op axis 5 is out of range [-2, 2)}}
  %0 = dnnf.cumsum %x {axis = 5 : i64} : tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

//===----------------------------------------------------------------------===//
// Normalisations
//===----------------------------------------------------------------------===//

func.func @batch_norm_rank_one(%x: tensor<3xf32>, %p: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'dnnf.batch_norm' op input must be N x C x ..., got rank 1}}
  %0 = dnnf.batch_norm %x, %p, %p, %p, %p : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @batch_norm_scale_not_1d(%x: tensor<1x3xf32>, %s: tensor<1x3xf32>, %p: tensor<3xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'dnnf.batch_norm' op scale must be 1-D [C], got rank 2}}
  %0 = dnnf.batch_norm %x, %s, %p, %p, %p : (tensor<1x3xf32>, tensor<1x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @batch_norm_bias_wrong_size(%x: tensor<1x3xf32>, %b: tensor<4xf32>, %p: tensor<3xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'dnnf.batch_norm' op bias has 4 elements but the input has 3 channels}}
  %0 = dnnf.batch_norm %x, %p, %b, %p, %p : (tensor<1x3xf32>, tensor<3xf32>, tensor<4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @batch_norm_mean_wrong_size(%x: tensor<1x3xf32>, %m: tensor<2xf32>, %p: tensor<3xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'dnnf.batch_norm' op mean has 2 elements but the input has 3 channels}}
  %0 = dnnf.batch_norm %x, %p, %p, %m, %p : (tensor<1x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @batch_norm_variance_scalar(%x: tensor<1x3xf32>, %v: tensor<f32>, %p: tensor<3xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'dnnf.batch_norm' op variance must be 1-D [C], got rank 0}}
  %0 = dnnf.batch_norm %x, %p, %p, %p, %v : (tensor<1x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<f32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @batch_norm_negative_epsilon(%x: tensor<1x3xf32>, %p: tensor<3xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'dnnf.batch_norm' op epsilon must be non-negative}}
  %0 = dnnf.batch_norm %x, %p, %p, %p, %p {epsilon = -1.0 : f32} : (tensor<1x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @instance_norm_rank_two(%x: tensor<1x3xf32>, %p: tensor<3xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'dnnf.instance_norm' op input must be N x C x D1 x ..., got rank 2}}
  %0 = dnnf.instance_norm %x, %p, %p : (tensor<1x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @instance_norm_scale_wrong_size(%x: tensor<1x3x4xf32>, %s: tensor<4xf32>, %p: tensor<3xf32>) -> tensor<1x3x4xf32> {
  // expected-error @+1 {{'dnnf.instance_norm' op scale has 4 elements but the input has 3 channels}}
  %0 = dnnf.instance_norm %x, %s, %p : (tensor<1x3x4xf32>, tensor<4xf32>, tensor<3xf32>) -> tensor<1x3x4xf32>
  return %0 : tensor<1x3x4xf32>
}

// -----

func.func @instance_norm_bias_not_1d(%x: tensor<1x3x4xf32>, %b: tensor<3x1xf32>, %p: tensor<3xf32>) -> tensor<1x3x4xf32> {
  // expected-error @+1 {{'dnnf.instance_norm' op bias must be 1-D [C], got rank 2}}
  %0 = dnnf.instance_norm %x, %p, %b : (tensor<1x3x4xf32>, tensor<3xf32>, tensor<3x1xf32>) -> tensor<1x3x4xf32>
  return %0 : tensor<1x3x4xf32>
}

// -----

func.func @layer_norm_axis_out_of_range(%x: tensor<2x3xf32>, %p: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'dnnf.layer_norm' op axis 2 is out of range [-2, 2)}}
  %0 = dnnf.layer_norm %x, %p {axis = 2 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_scale_too_many_dims(%x: tensor<2x3xf32>, %p: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'dnnf.layer_norm' op parameter of type 'tensor<2x3xf32>' does not broadcast to the normalised dimensions of 'tensor<2x3xf32>'}}
  %0 = dnnf.layer_norm %x, %p : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_bias_not_broadcastable(%x: tensor<2x3xf32>, %p: tensor<3xf32>, %b: tensor<2xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'dnnf.layer_norm' op parameter of type 'tensor<2xf32>' does not broadcast to the normalised dimensions of 'tensor<2x3xf32>'}}
  %0 = dnnf.layer_norm %x, %p, %b : (tensor<2x3xf32>, tensor<3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @lrn_rank_two(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'dnnf.lrn' op input must be N x C x D1 x ..., got rank 2}}
  %0 = dnnf.lrn %x {size = 3 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @lrn_size_zero(%x: tensor<1x3x4xf32>) -> tensor<1x3x4xf32> {
  // expected-error @+1 {{'dnnf.lrn' op size must be >= 1, got 0}}
  %0 = dnnf.lrn %x {size = 0 : i64} : tensor<1x3x4xf32>
  return %0 : tensor<1x3x4xf32>
}

// -----

func.func @lrn_size_negative(%x: tensor<1x3x4xf32>) -> tensor<1x3x4xf32> {
  // expected-error @+1 {{'dnnf.lrn' op size must be >= 1, got -2}}
  %0 = dnnf.lrn %x {size = -2 : i64} : tensor<1x3x4xf32>
  return %0 : tensor<1x3x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// MatMul, Gemm, Einsum
//===----------------------------------------------------------------------===//

func.func @matmul_rank_zero_operand(%x: tensor<f32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{matmul operands must have rank >= 1}}
  // expected-error @+1 {{'dnnf.matmul' op failed to infer returned types}}
  %0 = dnnf.matmul %x, %y : (tensor<f32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @matmul_contraction_mismatch(%x: tensor<2x3xf32>, %y: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{matmul contraction dimensions differ: lhs [2, 3] vs rhs [4, 5]}}
  // expected-error @+1 {{'dnnf.matmul' op failed to infer returned types}}
  %0 = dnnf.matmul %x, %y : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @matmul_batch_not_broadcastable(%x: tensor<2x2x3xf32>, %y: tensor<3x3x5xf32>) -> tensor<2x2x5xf32> {
  // expected-error @+2 {{matmul batch dimensions are not broadcast-compatible: [2, 2, 3] vs [3, 3, 5]}}
  // expected-error @+1 {{'dnnf.matmul' op failed to infer returned types}}
  %0 = dnnf.matmul %x, %y : (tensor<2x2x3xf32>, tensor<3x3x5xf32>) -> tensor<2x2x5xf32>
  return %0 : tensor<2x2x5xf32>
}

// -----

func.func @matmul_vector_keeps_promoted_dim(%x: tensor<3xf32>, %y: tensor<3x5xf32>) -> tensor<1x5xf32> {
  // expected-error @+2 {{'dnnf.matmul' op inferred type(s) 'tensor<5xf32>' are incompatible with return type(s) of operation 'tensor<1x5xf32>'}}
  // expected-error @+1 {{'dnnf.matmul' op failed to infer returned types}}
  %0 = dnnf.matmul %x, %y : (tensor<3xf32>, tensor<3x5xf32>) -> tensor<1x5xf32>
  return %0 : tensor<1x5xf32>
}

// -----

func.func @gemm_operand_not_2d(%a: tensor<1x2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+2 {{gemm operands must be 2-D, got ranks 3 and 2}}
  // expected-error @+1 {{'dnnf.gemm' op failed to infer returned types}}
  %0 = dnnf.gemm %a, %b : (tensor<1x2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @gemm_transposed_contraction_mismatch(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+2 {{gemm contraction dimensions differ: 2 vs 3}}
  // expected-error @+1 {{'dnnf.gemm' op failed to infer returned types}}
  %0 = dnnf.gemm %a, %b {transA = true} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @gemm_c_not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<3xf32>) -> tensor<2x4xf32> {
  // expected-error @+2 {{gemm c does not broadcast unidirectionally to M x N}}
  // expected-error @+1 {{'dnnf.gemm' op failed to infer returned types}}
  %0 = dnnf.gemm %a, %b, %c : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @gemm_c_rank_three(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<1x2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+2 {{gemm c does not broadcast unidirectionally to M x N}}
  // expected-error @+1 {{'dnnf.gemm' op failed to infer returned types}}
  %0 = dnnf.gemm %a, %b, %c : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<1x2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @gemm_wrong_result_with_trans_b(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{'dnnf.gemm' op inferred type(s) 'tensor<2x4xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf32>'}}
  // expected-error @+1 {{'dnnf.gemm' op failed to infer returned types}}
  %0 = dnnf.gemm %a, %b {transB = true} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @einsum_term_count_mismatch(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'dnnf.einsum' op equation 'ij,jk->ik' has 2 input terms but 1 operands were given}}
  %0 = dnnf.einsum %x {equation = "ij,jk->ik"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @einsum_bad_character(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'dnnf.einsum' op malformed term 'i1' in equation 'i1->i'}}
  %0 = dnnf.einsum %x {equation = "i1->i"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @einsum_partial_ellipsis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'dnnf.einsum' op malformed term 'i..j' in equation 'i..j->ij'}}
  %0 = dnnf.einsum %x {equation = "i..j->ij"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @einsum_two_ellipses(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'dnnf.einsum' op malformed term '......' in equation '......->...'}}
  %0 = dnnf.einsum %x {equation = "......->..."} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @einsum_term_names_too_many_dims(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.einsum' op operand #0 has rank 2 but term 'ijk' names 3 dimensions}}
  %0 = dnnf.einsum %x {equation = "ijk->i"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @einsum_term_names_too_few_dims(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.einsum' op operand #0 has rank 2 but term 'i' names 1 dimensions}}
  %0 = dnnf.einsum %x {equation = "i->i"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @einsum_ellipsis_longer_than_operand(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'dnnf.einsum' op operand #0 has rank 0 but term '...i' names 1 dimensions}}
  %0 = dnnf.einsum %x {equation = "...i->..."} : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @einsum_ellipsis_not_broadcastable(%x: tensor<2x3x4xf32>, %y: tensor<5x4x6xf32>) -> tensor<2x3x6xf32> {
  // expected-error @+1 {{'dnnf.einsum' op ellipsis dimensions of operand #1 do not broadcast}}
  %0 = dnnf.einsum %x, %y {equation = "...ij,...jk->...ik"} : (tensor<2x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x3x6xf32>
  return %0 : tensor<2x3x6xf32>
}

// -----

func.func @einsum_label_size_mismatch(%x: tensor<2x3xf32>, %y: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'dnnf.einsum' op label 'j' has sizes 3 and 4}}
  %0 = dnnf.einsum %x, %y {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @einsum_malformed_output_term(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.einsum' op malformed output term 'i-'}}
  %0 = dnnf.einsum %x {equation = "ij->i-"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @einsum_two_arrows(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.einsum' op malformed output term 'i->j'}}
  %0 = dnnf.einsum %x {equation = "ij->i->j"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @einsum_output_label_not_in_inputs(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.einsum' op output label 'k' appears in no input}}
  %0 = dnnf.einsum %x {equation = "ij->k"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @einsum_result_rank_mismatch(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'dnnf.einsum' op result has rank 2 but the equation yields rank 1}}
  %0 = dnnf.einsum %x {equation = "ij->i"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @einsum_implicit_output_rank_mismatch(%x: tensor<2x3xf32>, %y: tensor<3x4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'dnnf.einsum' op result has rank 3 but the equation yields rank 2}}
  %0 = dnnf.einsum %x, %y {equation = "ij,jk"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @einsum_result_dim_mismatch(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'dnnf.einsum' op result dimension 0 is 3 but the equation yields 2}}
  %0 = dnnf.einsum %x {equation = "ij->ij"} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Conv, ConvTranspose
//===----------------------------------------------------------------------===//

func.func @conv_rank_two_input(%x: tensor<1x3xf32>, %w: tensor<4x3xf32>) -> tensor<1x4xf32> {
  // expected-error @+2 {{conv input must be N x C x D1 x ..., got rank 2}}
  // expected-error @+1 {{'dnnf.conv' op failed to infer returned types}}
  %0 = dnnf.conv %x, %w {strides = array<i64>, pads = array<i64>, dilations = array<i64>} : (tensor<1x3xf32>, tensor<4x3xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

func.func @conv_weight_rank_mismatch(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+2 {{conv weight has rank 3, expected 4}}
  // expected-error @+1 {{'dnnf.conv' op failed to infer returned types}}
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_strides_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+2 {{strides has 1 entries, expected 2}}
  // expected-error @+1 {{'dnnf.conv' op failed to infer returned types}}
  %0 = dnnf.conv %x, %w {strides = array<i64: 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_dilations_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+2 {{dilations has 3 entries, expected 2}}
  // expected-error @+1 {{'dnnf.conv' op failed to infer returned types}}
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_pads_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+2 {{pads has 2 entries, expected 4}}
  // expected-error @+1 {{'dnnf.conv' op failed to infer returned types}}
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_zero_stride(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+2 {{strides must be >= 1}}
  // expected-error @+1 {{'dnnf.conv' op failed to infer returned types}}
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 0>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_zero_dilation(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+2 {{dilations must be >= 1}}
  // expected-error @+1 {{'dnnf.conv' op failed to infer returned types}}
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 0, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_negative_pad(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+2 {{pads must be >= 0}}
  // expected-error @+1 {{'dnnf.conv' op failed to infer returned types}}
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, -1, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_zero_group(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+2 {{group must be >= 1}}
  // expected-error @+1 {{'dnnf.conv' op failed to infer returned types}}
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 0 : i64} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_channel_mismatch(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+2 {{conv input has 3 channels but weight expects 2 x 1 groups}}
  // expected-error @+1 {{'dnnf.conv' op failed to infer returned types}}
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_output_channels_not_divisible_by_group(%x: tensor<1x4x8x8xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x6x6xf32> {
  // expected-error @+2 {{conv output channels 3 are not divisible by group 2}}
  // expected-error @+1 {{'dnnf.conv' op failed to infer returned types}}
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x6x6xf32>
  return %0 : tensor<1x3x6x6xf32>
}

// -----

func.func @conv_bias_wrong_size(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+2 {{bias must have shape [4], got [3]}}
  // expected-error @+1 {{'dnnf.conv' op failed to infer returned types}}
  %0 = dnnf.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_window_larger_than_input(%x: tensor<1x3x2x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x1x6xf32> {
  // expected-error @+2 {{spatial dimension 0 of size 2 (padded by 0+0) is smaller than the window of 3}}
  // expected-error @+1 {{'dnnf.conv' op failed to infer returned types}}
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x2x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x1x6xf32>
  return %0 : tensor<1x4x1x6xf32>
}

// -----

func.func @conv_wrong_result_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+2 {{'dnnf.conv' op inferred type(s) 'tensor<1x4x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x4x8x8xf32>'}}
  // expected-error @+1 {{'dnnf.conv' op failed to infer returned types}}
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

func.func @conv_transpose_rank_mismatch(%x: tensor<1x3x8xf32>, %w: tensor<3x4x3x3xf32>) -> tensor<1x4x10xf32> {
  // expected-error @+2 {{conv_transpose expects input and weight of equal rank >= 3}}
  // expected-error @+1 {{'dnnf.conv_transpose' op failed to infer returned types}}
  %0 = dnnf.conv_transpose %x, %w {strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, output_padding = array<i64: 0>} : (tensor<1x3x8xf32>, tensor<3x4x3x3xf32>) -> tensor<1x4x10xf32>
  return %0 : tensor<1x4x10xf32>
}

// -----

func.func @conv_transpose_zero_stride(%x: tensor<1x3x8xf32>, %w: tensor<3x4x3xf32>) -> tensor<1x4x10xf32> {
  // expected-error @+2 {{strides must be >= 1}}
  // expected-error @+1 {{'dnnf.conv_transpose' op failed to infer returned types}}
  %0 = dnnf.conv_transpose %x, %w {strides = array<i64: 0>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, output_padding = array<i64: 0>} : (tensor<1x3x8xf32>, tensor<3x4x3xf32>) -> tensor<1x4x10xf32>
  return %0 : tensor<1x4x10xf32>
}

// -----

func.func @conv_transpose_pads_count(%x: tensor<1x3x8xf32>, %w: tensor<3x4x3xf32>) -> tensor<1x4x10xf32> {
  // expected-error @+2 {{pads has 1 entries, expected 2}}
  // expected-error @+1 {{'dnnf.conv_transpose' op failed to infer returned types}}
  %0 = dnnf.conv_transpose %x, %w {strides = array<i64: 1>, pads = array<i64: 0>, dilations = array<i64: 1>, output_padding = array<i64: 0>} : (tensor<1x3x8xf32>, tensor<3x4x3xf32>) -> tensor<1x4x10xf32>
  return %0 : tensor<1x4x10xf32>
}

// -----

func.func @conv_transpose_output_padding_count(%x: tensor<1x3x8xf32>, %w: tensor<3x4x3xf32>) -> tensor<1x4x10xf32> {
  // expected-error @+2 {{output_padding has 2 entries, expected 1}}
  // expected-error @+1 {{'dnnf.conv_transpose' op failed to infer returned types}}
  %0 = dnnf.conv_transpose %x, %w {strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, output_padding = array<i64: 0, 0>} : (tensor<1x3x8xf32>, tensor<3x4x3xf32>) -> tensor<1x4x10xf32>
  return %0 : tensor<1x4x10xf32>
}

// -----

func.func @conv_transpose_zero_group(%x: tensor<1x3x8xf32>, %w: tensor<3x4x3xf32>) -> tensor<1x4x10xf32> {
  // expected-error @+2 {{group must be >= 1}}
  // expected-error @+1 {{'dnnf.conv_transpose' op failed to infer returned types}}
  %0 = dnnf.conv_transpose %x, %w {strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, output_padding = array<i64: 0>, group = 0 : i64} : (tensor<1x3x8xf32>, tensor<3x4x3xf32>) -> tensor<1x4x10xf32>
  return %0 : tensor<1x4x10xf32>
}

// -----

func.func @conv_transpose_channel_mismatch(%x: tensor<1x3x8xf32>, %w: tensor<2x4x3xf32>) -> tensor<1x4x10xf32> {
  // expected-error @+2 {{conv_transpose input has 3 channels but weight expects 2}}
  // expected-error @+1 {{'dnnf.conv_transpose' op failed to infer returned types}}
  %0 = dnnf.conv_transpose %x, %w {strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, output_padding = array<i64: 0>} : (tensor<1x3x8xf32>, tensor<2x4x3xf32>) -> tensor<1x4x10xf32>
  return %0 : tensor<1x4x10xf32>
}

// -----

func.func @conv_transpose_output_padding_negative(%x: tensor<1x3x8xf32>, %w: tensor<3x4x3xf32>) -> tensor<1x4x11xf32> {
  // expected-error @+2 {{output_padding must be non-negative}}
  // expected-error @+1 {{'dnnf.conv_transpose' op failed to infer returned types}}
  %0 = dnnf.conv_transpose %x, %w {strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, output_padding = array<i64: -1>} : (tensor<1x3x8xf32>, tensor<3x4x3xf32>) -> tensor<1x4x11xf32>
  return %0 : tensor<1x4x11xf32>
}

// -----

func.func @conv_transpose_empty_output(%x: tensor<1x3x1xf32>, %w: tensor<3x4x1xf32>) -> tensor<1x4x1xf32> {
  // expected-error @+2 {{conv_transpose output dimension 0 would be 0}}
  // expected-error @+1 {{'dnnf.conv_transpose' op failed to infer returned types}}
  %0 = dnnf.conv_transpose %x, %w {strides = array<i64: 1>, pads = array<i64: 1, 0>, dilations = array<i64: 1>, output_padding = array<i64: 0>} : (tensor<1x3x1xf32>, tensor<3x4x1xf32>) -> tensor<1x4x1xf32>
  return %0 : tensor<1x4x1xf32>
}

// -----

func.func @conv_transpose_wrong_result_channels(%x: tensor<1x3x8xf32>, %w: tensor<3x4x3xf32>) -> tensor<1x8x10xf32> {
  // expected-error @+2 {{'dnnf.conv_transpose' op inferred type(s) 'tensor<1x4x10xf32>' are incompatible with return type(s) of operation 'tensor<1x8x10xf32>'}}
  // expected-error @+1 {{'dnnf.conv_transpose' op failed to infer returned types}}
  %0 = dnnf.conv_transpose %x, %w {strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, output_padding = array<i64: 0>} : (tensor<1x3x8xf32>, tensor<3x4x3xf32>) -> tensor<1x8x10xf32>
  return %0 : tensor<1x8x10xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

func.func @max_pool_rank_two(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  // expected-error @+2 {{pooling input must be N x C x D1 x ..., got rank 2}}
  // expected-error @+1 {{'dnnf.max_pool' op failed to infer returned types}}
  %0 = dnnf.max_pool %x {kernel_shape = array<i64>, strides = array<i64>, pads = array<i64>, dilations = array<i64>} : (tensor<1x3xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @max_pool_kernel_shape_count(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32> {
  // expected-error @+2 {{kernel_shape has 1 entries, expected 2}}
  // expected-error @+1 {{'dnnf.max_pool' op failed to infer returned types}}
  %0 = dnnf.max_pool %x {kernel_shape = array<i64: 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32>
  return %0 : tensor<1x3x7x7xf32>
}

// -----

func.func @max_pool_zero_kernel(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32> {
  // expected-error @+2 {{kernel_shape entries must be >= 1}}
  // expected-error @+1 {{'dnnf.max_pool' op failed to infer returned types}}
  %0 = dnnf.max_pool %x {kernel_shape = array<i64: 2, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32>
  return %0 : tensor<1x3x7x7xf32>
}

// -----

func.func @max_pool_dilations_count(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32> {
  // expected-error @+2 {{dilations has 1 entries, expected 2}}
  // expected-error @+1 {{'dnnf.max_pool' op failed to infer returned types}}
  %0 = dnnf.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32>
  return %0 : tensor<1x3x7x7xf32>
}

// -----

func.func @max_pool_window_larger_than_input(%x: tensor<1x3x8x1xf32>) -> tensor<1x3x7x1xf32> {
  // expected-error @+2 {{spatial dimension 1 of size 1 (padded by 0+0) is smaller than the window of 2}}
  // expected-error @+1 {{'dnnf.max_pool' op failed to infer returned types}}
  %0 = dnnf.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x1xf32>) -> tensor<1x3x7x1xf32>
  return %0 : tensor<1x3x7x1xf32>
}

// -----

func.func @max_pool_ceil_mode_wrong_result(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x3x3xf32> {
  // expected-error @+2 {{'dnnf.max_pool' op inferred type(s) 'tensor<1x3x4x4xf32>' are incompatible with return type(s) of operation 'tensor<1x3x3x3xf32>'}}
  // expected-error @+1 {{'dnnf.max_pool' op failed to infer returned types}}
  %0 = dnnf.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true} : (tensor<1x3x8x8xf32>) -> tensor<1x3x3x3xf32>
  return %0 : tensor<1x3x3x3xf32>
}

// -----

func.func @average_pool_strides_count(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32> {
  // expected-error @+2 {{strides has 3 entries, expected 2}}
  // expected-error @+1 {{'dnnf.average_pool' op failed to infer returned types}}
  %0 = dnnf.average_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32>
  return %0 : tensor<1x3x7x7xf32>
}

// -----

func.func @average_pool_kernel_shape_count(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32> {
  // expected-error @+2 {{kernel_shape has 3 entries, expected 2}}
  // expected-error @+1 {{'dnnf.average_pool' op failed to infer returned types}}
  %0 = dnnf.average_pool %x {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32>
  return %0 : tensor<1x3x7x7xf32>
}

// -----

func.func @global_average_pool_rank_two(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  // expected-error @+2 {{global pooling expects an N x C x D1 x ... input, got rank 2}}
  // expected-error @+1 {{'dnnf.global_average_pool' op failed to infer returned types}}
  %0 = dnnf.global_average_pool %x : (tensor<1x3xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @global_max_pool_drops_spatial_dims(%x: tensor<1x3x4x4xf32>) -> tensor<1x3xf32> {
  // expected-error @+2 {{'dnnf.global_max_pool' op inferred type(s) 'tensor<1x3x1x1xf32>' are incompatible with return type(s) of operation 'tensor<1x3xf32>'}}
  // expected-error @+1 {{'dnnf.global_max_pool' op failed to infer returned types}}
  %0 = dnnf.global_max_pool %x : (tensor<1x3x4x4xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

func.func @reshape_element_count_mismatch(%x: tensor<2x3xf32>) -> tensor<7xf32> {
  // expected-error @+1 {{'dnnf.reshape' op cannot reshape 'tensor<2x3xf32>' (6 elements) to 'tensor<7xf32>' (7 elements)}}
  %0 = dnnf.reshape %x : tensor<2x3xf32> to tensor<7xf32>
  return %0 : tensor<7xf32>
}

// -----

func.func @flatten_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<6x1xf32> {
  // expected-error @+2 {{flatten axis 3 is out of range [-2, 2]}}
  // expected-error @+1 {{'dnnf.flatten' op failed to infer returned types}}
  %0 = dnnf.flatten %x {axis = 3 : i64} : (tensor<2x3xf32>) -> tensor<6x1xf32>
  return %0 : tensor<6x1xf32>
}

// -----

func.func @flatten_wrong_result(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  // expected-error @+2 {{'dnnf.flatten' op inferred type(s) 'tensor<2x12xf32>' are incompatible with return type(s) of operation 'tensor<6x4xf32>'}}
  // expected-error @+1 {{'dnnf.flatten' op failed to infer returned types}}
  %0 = dnnf.flatten %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  return %0 : tensor<6x4xf32>
}

// -----

func.func @squeeze_axis_out_of_range(%x: tensor<1x3xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{squeeze axis 2 is out of range [-2, 2)}}
  // expected-error @+1 {{'dnnf.squeeze' op failed to infer returned types}}
  %0 = dnnf.squeeze %x {axes = array<i64: 2>} : (tensor<1x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @squeeze_repeated_axis(%x: tensor<1x3xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{squeeze axis -2 is repeated}}
  // expected-error @+1 {{'dnnf.squeeze' op failed to infer returned types}}
  %0 = dnnf.squeeze %x {axes = array<i64: 0, -2>} : (tensor<1x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @squeeze_non_unit_dim(%x: tensor<1x3xf32>) -> tensor<1xf32> {
  // expected-error @+2 {{cannot squeeze axis 1 of size 3 in shape [1, 3]}}
  // expected-error @+1 {{'dnnf.squeeze' op failed to infer returned types}}
  %0 = dnnf.squeeze %x {axes = array<i64: 1>} : (tensor<1x3xf32>) -> tensor<1xf32>
  return %0 : tensor<1xf32>
}

// -----

func.func @unsqueeze_axis_out_of_range(%x: tensor<3xf32>) -> tensor<1x3xf32> {
  // expected-error @+2 {{unsqueeze axis 2 is out of range [-2, 2)}}
  // expected-error @+1 {{'dnnf.unsqueeze' op failed to infer returned types}}
  %0 = dnnf.unsqueeze %x {axes = array<i64: 2>} : (tensor<3xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @unsqueeze_repeated_axis(%x: tensor<3xf32>) -> tensor<1x1x3xf32> {
  // expected-error @+2 {{unsqueeze axis -3 is repeated}}
  // expected-error @+1 {{'dnnf.unsqueeze' op failed to infer returned types}}
  %0 = dnnf.unsqueeze %x {axes = array<i64: 0, -3>} : (tensor<3xf32>) -> tensor<1x1x3xf32>
  return %0 : tensor<1x1x3xf32>
}

// -----

func.func @unsqueeze_negative_axis_wrong_result(%x: tensor<3xf32>) -> tensor<1x3xf32> {
  // expected-error @+2 {{'dnnf.unsqueeze' op inferred type(s) 'tensor<3x1xf32>' are incompatible with return type(s) of operation 'tensor<1x3xf32>'}}
  // expected-error @+1 {{'dnnf.unsqueeze' op failed to infer returned types}}
  %0 = dnnf.unsqueeze %x {axes = array<i64: -1>} : (tensor<3xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @transpose_perm_size(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+2 {{perm has 1 entries but the input has rank 2}}
  // expected-error @+1 {{'dnnf.transpose' op failed to infer returned types}}
  %0 = dnnf.transpose %x {perm = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @transpose_perm_repeated(%x: tensor<2x3xf32>) -> tensor<3x3xf32> {
  // expected-error @+2 {{perm is not a permutation of [0, 2)}}
  // expected-error @+1 {{'dnnf.transpose' op failed to infer returned types}}
  %0 = dnnf.transpose %x {perm = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @transpose_perm_out_of_range(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+2 {{perm is not a permutation of [0, 2)}}
  // expected-error @+1 {{'dnnf.transpose' op failed to infer returned types}}
  %0 = dnnf.transpose %x {perm = array<i64: 2, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @transpose_wrong_result(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{'dnnf.transpose' op inferred type(s) 'tensor<3x2xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf32>'}}
  // expected-error @+1 {{'dnnf.transpose' op failed to infer returned types}}
  %0 = dnnf.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @depth_to_space_bad_mode(%x: tensor<1x8x2x2xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+2 {{mode must be "DCR" or "CRD", got "RCD"}}
  // expected-error @+1 {{'dnnf.depth_to_space' op failed to infer returned types}}
  %0 = dnnf.depth_to_space %x {blocksize = 2 : i64, mode = "RCD"} : (tensor<1x8x2x2xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

func.func @depth_to_space_rank_three(%x: tensor<8x2x2xf32>) -> tensor<2x4x4xf32> {
  // expected-error @+2 {{expected a 4-D N x C x H x W input, got rank 3}}
  // expected-error @+1 {{'dnnf.depth_to_space' op failed to infer returned types}}
  %0 = dnnf.depth_to_space %x {blocksize = 2 : i64} : (tensor<8x2x2xf32>) -> tensor<2x4x4xf32>
  return %0 : tensor<2x4x4xf32>
}

// -----

func.func @depth_to_space_zero_blocksize(%x: tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32> {
  // expected-error @+2 {{blocksize must be >= 1}}
  // expected-error @+1 {{'dnnf.depth_to_space' op failed to infer returned types}}
  %0 = dnnf.depth_to_space %x {blocksize = 0 : i64} : (tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  return %0 : tensor<1x8x2x2xf32>
}

// -----

func.func @depth_to_space_channels_not_divisible(%x: tensor<1x6x2x2xf32>) -> tensor<1x1x4x4xf32> {
  // expected-error @+2 {{channel count 6 is not divisible by 4}}
  // expected-error @+1 {{'dnnf.depth_to_space' op failed to infer returned types}}
  %0 = dnnf.depth_to_space %x {blocksize = 2 : i64} : (tensor<1x6x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

func.func @space_to_depth_height_not_divisible(%x: tensor<1x2x3x4xf32>) -> tensor<1x8x1x2xf32> {
  // expected-error @+2 {{height 3 is not divisible by 2}}
  // expected-error @+1 {{'dnnf.space_to_depth' op failed to infer returned types}}
  %0 = dnnf.space_to_depth %x {blocksize = 2 : i64} : (tensor<1x2x3x4xf32>) -> tensor<1x8x1x2xf32>
  return %0 : tensor<1x8x1x2xf32>
}

// -----

func.func @space_to_depth_width_not_divisible(%x: tensor<1x2x4x5xf32>) -> tensor<1x8x2x2xf32> {
  // expected-error @+2 {{width 5 is not divisible by 2}}
  // expected-error @+1 {{'dnnf.space_to_depth' op failed to infer returned types}}
  %0 = dnnf.space_to_depth %x {blocksize = 2 : i64} : (tensor<1x2x4x5xf32>) -> tensor<1x8x2x2xf32>
  return %0 : tensor<1x8x2x2xf32>
}

// -----

func.func @space_to_depth_wrong_result(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+2 {{'dnnf.space_to_depth' op inferred type(s) 'tensor<1x8x2x2xf32>' are incompatible with return type(s) of operation 'tensor<1x2x2x2xf32>'}}
  // expected-error @+1 {{'dnnf.space_to_depth' op failed to infer returned types}}
  %0 = dnnf.space_to_depth %x {blocksize = 2 : i64} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// -----

func.func @expand_not_broadcastable(%x: tensor<3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'dnnf.expand' op input type 'tensor<3xf32>' does not broadcast to result type 'tensor<2x4xf32>'}}
  %0 = dnnf.expand %x : tensor<3xf32> to tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @expand_to_lower_rank(%x: tensor<1x3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'dnnf.expand' op input type 'tensor<1x3xf32>' does not broadcast to result type 'tensor<3xf32>'}}
  %0 = dnnf.expand %x : tensor<1x3xf32> to tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @tile_repeats_count(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+2 {{repeats has 1 entries but the input has rank 2}}
  // expected-error @+1 {{'dnnf.tile' op failed to infer returned types}}
  %0 = dnnf.tile %x {repeats = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @tile_negative_repeat(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+2 {{repeats must be non-negative}}
  // expected-error @+1 {{'dnnf.tile' op failed to infer returned types}}
  %0 = dnnf.tile %x {repeats = array<i64: 2, -1>} : (tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @tile_wrong_result(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+2 {{'dnnf.tile' op inferred type(s) 'tensor<4x6xf32>' are incompatible with return type(s) of operation 'tensor<4x3xf32>'}}
  // expected-error @+1 {{'dnnf.tile' op failed to infer returned types}}
  %0 = dnnf.tile %x {repeats = array<i64: 2, 2>} : (tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @gather_rank_zero_input(%x: tensor<f32>, %i: tensor<2xi64>) -> tensor<2xf32> {
  // expected-error @+2 {{gather input must have rank >= 1}}
  // expected-error @+1 {{'dnnf.gather' op failed to infer returned types}}
  %0 = dnnf.gather %x[%i] : (tensor<f32>, tensor<2xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @gather_axis_out_of_range(%x: tensor<4x3xf32>, %i: tensor<2xi64>) -> tensor<2x3xf32> {
  // expected-error @+2 {{gather axis -3 is out of range [-2, 2)}}
  // expected-error @+1 {{'dnnf.gather' op failed to infer returned types}}
  %0 = dnnf.gather %x[%i] {axis = -3 : i64} : (tensor<4x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @gather_wrong_result(%x: tensor<4x3xf32>, %i: tensor<2xi32>) -> tensor<4x3xf32> {
  // expected-error @+2 {{'dnnf.gather' op inferred type(s) 'tensor<4x2xf32>' are incompatible with return type(s) of operation 'tensor<4x3xf32>'}}
  // expected-error @+1 {{'dnnf.gather' op failed to infer returned types}}
  %0 = dnnf.gather %x[%i] {axis = 1 : i64} : (tensor<4x3xf32>, tensor<2xi32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @resize_rank_mismatch(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x8xf32> {
  // expected-error @+1 {{'dnnf.resize' op input rank 4 differs from result rank 3}}
  %0 = dnnf.resize %x : tensor<1x3x4x4xf32> to tensor<1x3x8xf32>
  return %0 : tensor<1x3x8xf32>
}

// -----

func.func @resize_bad_mode(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32> {
  // expected-error @+1 {{'dnnf.resize' op mode must be nearest, linear or cubic, got "bilinear"}}
  %0 = dnnf.resize %x {mode = "bilinear"} : tensor<1x3x4x4xf32> to tensor<1x3x8x8xf32>
  return %0 : tensor<1x3x8x8xf32>
}

// -----

func.func @resize_bad_coordinate_transformation_mode(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32> {
  // expected-error @+1 {{'dnnf.resize' op unknown coordinate_transformation_mode "corners"}}
  %0 = dnnf.resize %x {coordinate_transformation_mode = "corners"} : tensor<1x3x4x4xf32> to tensor<1x3x8x8xf32>
  return %0 : tensor<1x3x8x8xf32>
}

// -----

func.func @resize_bad_nearest_mode(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32> {
  // expected-error @+1 {{'dnnf.resize' op unknown nearest_mode "round"}}
  %0 = dnnf.resize %x {nearest_mode = "round"} : tensor<1x3x4x4xf32> to tensor<1x3x8x8xf32>
  return %0 : tensor<1x3x8x8xf32>
}

// -----

func.func @resize_scales_count(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32> {
  // expected-error @+1 {{'dnnf.resize' op scales has 2 entries, expected 4}}
  %0 = dnnf.resize %x {scales = array<f64: 2.0, 2.0>} : tensor<1x3x4x4xf32> to tensor<1x3x8x8xf32>
  return %0 : tensor<1x3x8x8xf32>
}

// -----

func.func @resize_zero_scale(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32> {
  // expected-error @+1 {{'dnnf.resize' op scales must be positive}}
  %0 = dnnf.resize %x {scales = array<f64: 1.0, 1.0, 2.0, 0.0>} : tensor<1x3x4x4xf32> to tensor<1x3x8x8xf32>
  return %0 : tensor<1x3x8x8xf32>
}

// -----

func.func @pad_bad_mode(%x: tensor<2x3xf32>) -> tensor<4x5xf32> {
  // expected-error @+1 {{'dnnf.pad' op mode must be constant, reflect, edge or wrap, got "mirror"}}
  %0 = dnnf.pad %x {pads = array<i64: 1, 1, 1, 1>, mode = "mirror"} : (tensor<2x3xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

func.func @pad_pads_count(%x: tensor<2x3xf32>) -> tensor<4x5xf32> {
  // expected-error @+2 {{pads has 2 entries, expected 2 x rank = 4}}
  // expected-error @+1 {{'dnnf.pad' op failed to infer returned types}}
  %0 = dnnf.pad %x {pads = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

func.func @pad_negative_dimension(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{pads make dimension 1 negative}}
  // expected-error @+1 {{'dnnf.pad' op failed to infer returned types}}
  %0 = dnnf.pad %x {pads = array<i64: 0, -2, 0, -2>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @pad_wrong_result(%x: tensor<2x3xf32>) -> tensor<4x5xf32> {
  // expected-error @+2 {{'dnnf.pad' op inferred type(s) 'tensor<4x3xf32>' are incompatible with return type(s) of operation 'tensor<4x5xf32>'}}
  // expected-error @+1 {{'dnnf.pad' op failed to infer returned types}}
  %0 = dnnf.pad %x {pads = array<i64: 1, 0, 1, 0>} : (tensor<2x3xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

func.func @concat_no_inputs() -> tensor<2xf32> {
  // expected-error @+2 {{concat needs at least one input}}
  // expected-error @+1 {{'dnnf.concat' op failed to infer returned types}}
  %0 = dnnf.concat {axis = 0 : i64} : () -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @concat_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{concat axis 2 is out of range [-2, 2)}}
  // expected-error @+1 {{'dnnf.concat' op failed to infer returned types}}
  %0 = dnnf.concat %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @concat_rank_mismatch(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{concat input #1 has rank 1 but input #0 has rank 2}}
  // expected-error @+1 {{'dnnf.concat' op failed to infer returned types}}
  %0 = dnnf.concat %x, %y {axis = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @concat_shape_mismatch_outside_axis(%x: tensor<2x3xf32>, %y: tensor<2x4xf32>) -> tensor<4x3xf32> {
  // expected-error @+2 {{concat input #1 has shape [2, 4], which differs from input #0 [2, 3] outside axis 0}}
  // expected-error @+1 {{'dnnf.concat' op failed to infer returned types}}
  %0 = dnnf.concat %x, %y {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @concat_wrong_result(%x: tensor<2x3xf32>, %y: tensor<2x4xf32>) -> tensor<2x8xf32> {
  // expected-error @+2 {{'dnnf.concat' op inferred type(s) 'tensor<2x7xf32>' are incompatible with return type(s) of operation 'tensor<2x8xf32>'}}
  // expected-error @+1 {{'dnnf.concat' op failed to infer returned types}}
  %0 = dnnf.concat %x, %y {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @slice_length_mismatch(%x: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{starts, ends, axes and steps must have the same length}}
  // expected-error @+1 {{'dnnf.slice' op failed to infer returned types}}
  %0 = dnnf.slice %x {starts = array<i64: 0>, ends = array<i64: 2>, axes = array<i64: 0, 1>, steps = array<i64: 1>} : (tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @slice_axis_out_of_range(%x: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{slice axis 2 is out of range [-2, 2)}}
  // expected-error @+1 {{'dnnf.slice' op failed to infer returned types}}
  %0 = dnnf.slice %x {starts = array<i64: 0>, ends = array<i64: 2>, axes = array<i64: 2>, steps = array<i64: 1>} : (tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @slice_repeated_axis(%x: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{slice axis -2 is repeated}}
  // expected-error @+1 {{'dnnf.slice' op failed to infer returned types}}
  %0 = dnnf.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 2, 2>, axes = array<i64: 0, -2>, steps = array<i64: 1, 1>} : (tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @slice_zero_step(%x: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{slice steps must be non-zero}}
  // expected-error @+1 {{'dnnf.slice' op failed to infer returned types}}
  %0 = dnnf.slice %x {starts = array<i64: 0>, ends = array<i64: 2>, axes = array<i64: 0>, steps = array<i64: 0>} : (tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @slice_negative_step_wrong_result(%x: tensor<4x5xf32>) -> tensor<3x5xf32> {
  // expected-error @+2 {{'dnnf.slice' op inferred type(s) 'tensor<2x5xf32>' are incompatible with return type(s) of operation 'tensor<3x5xf32>'}}
  // expected-error @+1 {{'dnnf.slice' op failed to infer returned types}}
  %0 = dnnf.slice %x {starts = array<i64: -1>, ends = array<i64: -5>, axes = array<i64: 0>, steps = array<i64: -2>} : (tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

func.func @split_axis_out_of_range(%x: tensor<4x5xf32>) -> (tensor<2x5xf32>, tensor<2x5xf32>) {
  // expected-error @+2 {{split axis 2 is out of range [-2, 2)}}
  // expected-error @+1 {{'dnnf.split' op failed to infer returned types}}
  %0:2 = dnnf.split %x {axis = 2 : i64, sizes = array<i64: 2, 2>} : (tensor<4x5xf32>) -> (tensor<2x5xf32>, tensor<2x5xf32>)
  return %0#0, %0#1 : tensor<2x5xf32>, tensor<2x5xf32>
}

// -----

func.func @split_no_sizes(%x: tensor<4x5xf32>) {
  // expected-error @+2 {{split needs at least one size}}
  // expected-error @+1 {{'dnnf.split' op failed to infer returned types}}
  dnnf.split %x {axis = 0 : i64, sizes = array<i64>} : (tensor<4x5xf32>) -> ()
  return
}

// -----

func.func @split_negative_size(%x: tensor<4x5xf32>) -> (tensor<6x5xf32>, tensor<1x5xf32>) {
  // expected-error @+2 {{split sizes must be non-negative}}
  // expected-error @+1 {{'dnnf.split' op failed to infer returned types}}
  %0:2 = "dnnf.split"(%x) <{axis = 0 : i64, sizes = array<i64: 6, -2>}> : (tensor<4x5xf32>) -> (tensor<6x5xf32>, tensor<1x5xf32>)
  return %0#0, %0#1 : tensor<6x5xf32>, tensor<1x5xf32>
}

// -----

func.func @split_sizes_do_not_sum(%x: tensor<4x5xf32>) -> (tensor<2x5xf32>, tensor<1x5xf32>) {
  // expected-error @+2 {{split sizes sum to 3 but axis 0 has size 4}}
  // expected-error @+1 {{'dnnf.split' op failed to infer returned types}}
  %0:2 = dnnf.split %x {axis = 0 : i64, sizes = array<i64: 2, 1>} : (tensor<4x5xf32>) -> (tensor<2x5xf32>, tensor<1x5xf32>)
  return %0#0, %0#1 : tensor<2x5xf32>, tensor<1x5xf32>
}

// -----

func.func @split_result_count_mismatch(%x: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{'dnnf.split' op inferred type(s) 'tensor<2x5xf32>', 'tensor<2x5xf32>' are incompatible with return type(s) of operation 'tensor<2x5xf32>'}}
  // expected-error @+1 {{'dnnf.split' op failed to infer returned types}}
  %0 = dnnf.split %x {axis = 0 : i64, sizes = array<i64: 2, 2>} : (tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

//===----------------------------------------------------------------------===//
// dnnf.fused and dnnf.yield
//===----------------------------------------------------------------------===//

func.func @fused_argument_count_mismatch(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.fused' op body has 2 arguments but the op has 1 inputs}}
  %0 = dnnf.fused (%x) : (tensor<2xf32>) -> tensor<2xf32> attributes {mapping = #dnnf.mapping<one_to_one>} {
  ^bb0(%a: tensor<2xf32>, %b: tensor<2xf32>):
    dnnf.yield %a : tensor<2xf32>
  }
  return %0 : tensor<2xf32>
}

// -----

func.func @fused_argument_type_mismatch(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.fused' op body argument #0 has type 'tensor<3xf32>' but input #0 has type 'tensor<2xf32>'}}
  %0 = dnnf.fused (%x) : (tensor<2xf32>) -> tensor<2xf32> attributes {mapping = #dnnf.mapping<one_to_one>} {
  ^bb0(%a: tensor<3xf32>):
    dnnf.yield %a : tensor<3xf32>
  }
  return %0 : tensor<2xf32>
}

// -----

func.func @fused_yield_type_mismatch(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = dnnf.fused (%x) : (tensor<2xf32>) -> tensor<2xf32> attributes {mapping = #dnnf.mapping<one_to_one>} {
  ^bb0(%a: tensor<2xf32>):
    %c = dnnf.cast %a : tensor<2xf32> to tensor<2xi32>
    // expected-error @+1 {{'dnnf.yield' op yields ('tensor<2xi32>') but the enclosing dnnf.fused returns ('tensor<2xf32>')}}
    dnnf.yield %c : tensor<2xi32>
  }
  return %0 : tensor<2xf32>
}

// -----

func.func @fused_missing_mapping(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.fused' op requires attribute 'mapping'}}
  %0 = dnnf.fused (%x) : (tensor<2xf32>) -> tensor<2xf32> {
  ^bb0(%a: tensor<2xf32>):
    dnnf.yield %a : tensor<2xf32>
  }
  return %0 : tensor<2xf32>
}

// -----

func.func @fused_mapping_not_a_mapping_attr(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.fused' op attribute 'mapping' failed to satisfy constraint: DNNFusion mapping type}}
  %0 = dnnf.fused (%x) : (tensor<2xf32>) -> tensor<2xf32> attributes {mapping = 3 : i32} {
  ^bb0(%a: tensor<2xf32>):
    dnnf.yield %a : tensor<2xf32>
  }
  return %0 : tensor<2xf32>
}

// -----

func.func @fused_foreign_terminator(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.fused' op body must end with dnnf.yield}}
  %0 = dnnf.fused (%x) : (tensor<2xf32>) -> tensor<2xf32> attributes {mapping = #dnnf.mapping<one_to_one>} {
  ^bb0(%a: tensor<2xf32>):
    ub.unreachable
  }
  return %0 : tensor<2xf32>
}

// -----

func.func @fused_two_blocks(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'dnnf.fused' op region #0 ('body') failed to verify constraint: region with 1 blocks}}
  %0 = "dnnf.fused"(%x) <{mapping = #dnnf.mapping<one_to_one>}> ({
  ^bb0(%a: tensor<2xf32>):
    cf.br ^bb1
  ^bb1:
    dnnf.yield %a : tensor<2xf32>
  }) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @fused_uses_value_from_above(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-note @+1 {{required by region isolation constraints}}
  %0 = dnnf.fused (%x) : (tensor<2xf32>) -> tensor<2xf32> attributes {mapping = #dnnf.mapping<one_to_one>} {
  ^bb0(%a: tensor<2xf32>):
    // expected-error @+1 {{'dnnf.yield' op using value defined outside the region}}
    dnnf.yield %x : tensor<2xf32>
  }
  return %0 : tensor<2xf32>
}

// -----

func.func @fused_body_op_mapping_contradiction(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = dnnf.fused (%x) : (tensor<2xf32>) -> tensor<2xf32> attributes {mapping = #dnnf.mapping<one_to_one>} {
  ^bb0(%a: tensor<2xf32>):
    // expected-error @+1 {{'dnnf.relu' op stored mapping type 'shuffle' contradicts the computed mapping type 'one_to_one'}}
    %r = dnnf.relu %a {mapping = #dnnf.mapping<shuffle>} : tensor<2xf32>
    dnnf.yield %r : tensor<2xf32>
  }
  return %0 : tensor<2xf32>
}

// -----

func.func @yield_outside_fused(%x: tensor<2xf32>) {
  // expected-error @+1 {{'dnnf.yield' op expects parent op 'dnnf.fused'}}
  dnnf.yield %x : tensor<2xf32>
}

// -----
// Extents that overflow 64 bits are diagnosed, never wrapped.

func.func @d2s_blocksize_overflow(%x: tensor<1x8x2x2xf32>) {
  // expected-error @+2 {{blocksize squared overflows 64 bits}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.depth_to_space %x {blocksize = 4294967296 : i64} : (tensor<1x8x2x2xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @d2s_height_overflow(%x: tensor<1x9x4611686018427387904x1xf32>) {
  // expected-error @+2 {{height overflows 64 bits}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.depth_to_space %x {blocksize = 3 : i64} : (tensor<1x9x4611686018427387904x1xf32>) -> tensor<1x1x1x3xf32>
  return
}

// -----

func.func @tile_overflow(%x: tensor<3xf32>) {
  // expected-error @+2 {{tiled size overflows 64 bits}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.tile %x {repeats = array<i64: 4611686018427387904>} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @concat_overflow(%x: tensor<5000000000000000000xf32>) {
  // expected-error @+2 {{concatenated size overflows 64 bits}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.concat %x, %x {axis = 0 : i64} : (tensor<5000000000000000000xf32>, tensor<5000000000000000000xf32>) -> tensor<1xf32>
  return
}

// -----

func.func @flatten_overflow(%x: tensor<4611686018427387904x3xf32>) {
  // expected-error @+2 {{flatten size overflows 64 bits}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.flatten %x {axis = 0 : i64} : (tensor<4611686018427387904x3xf32>) -> tensor<1x1xf32>
  return
}

// -----

// A huge step takes one element; it must not wrap to a negative size.
func.func @slice_huge_step(%x: tensor<10xf32>) {
  // expected-error @+2 {{'dnnf.slice' op inferred type(s) 'tensor<1xf32>' are incompatible with return type(s) of operation 'tensor<2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.slice %x {starts = array<i64: 0>, ends = array<i64: 10>, axes = array<i64: 0>, steps = array<i64: 9223372036854775803>} : (tensor<10xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @slice_min_step(%x: tensor<10xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<1xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.slice %x {starts = array<i64: -1>, ends = array<i64: -9223372036854775808>, axes = array<i64: 0>, steps = array<i64: -9223372036854775808>} : (tensor<10xf32>) -> tensor<0xf32>
  return
}

// -----

func.func @max_pool_padding_overflow(%x: tensor<1x1x2xf32>) {
  // expected-error @+2 {{padded size overflows 64 bits}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.max_pool %x {kernel_shape = array<i64: 1>, strides = array<i64: 1>, pads = array<i64: 9223372036854775807, 1>, dilations = array<i64: 1>} : (tensor<1x1x2xf32>) -> tensor<1x1x1xf32>
  return
}

// -----

func.func @max_pool_ceil_huge_stride(%x: tensor<1x1x2xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<1x1x2xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.max_pool %x {kernel_shape = array<i64: 1>, strides = array<i64: 4611686018427387904>, pads = array<i64: 4611686018427387904, 0>, dilations = array<i64: 1>, ceil_mode = true} : (tensor<1x1x2xf32>) -> tensor<1x1x1xf32>
  return
}

// -----

func.func @conv_transpose_channel_overflow(%x: tensor<1x3x1xf32>, %w: tensor<3x4611686018427387904x1xf32>) {
  // expected-error @+2 {{output channel count overflows 64 bits}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.conv_transpose %x, %w {strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, output_padding = array<i64: 0>, group = 3 : i64} : (tensor<1x3x1xf32>, tensor<3x4611686018427387904x1xf32>) -> tensor<1x1x1xf32>
  return
}

// -----

func.func @reshape_count_overflow(%x: tensor<4611686018427387904x4xf32>) {
  // expected-error @+1 {{element count overflows 64 bits}}
  %0 = dnnf.reshape %x : tensor<4611686018427387904x4xf32> to tensor<4xf32>
  return
}

// -----

func.func @pad_overflow(%x: tensor<4xf32>) {
  // expected-error @+2 {{padded size overflows 64 bits}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.pad %x {pads = array<i64: 9223372036854775807, 0>} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @split_overflow(%x: tensor<4xf32>) {
  // expected-error @+2 {{sum of split sizes overflows 64 bits}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = dnnf.split %x {axis = 0 : i64, sizes = array<i64: 9223372036854775807, 9223372036854775807>} : (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return
}

// -----
// Element types and shapes of parameters are checked.

func.func @gemm_c_element_type(%a: tensor<4x8xf32>, %b: tensor<8x5xf32>, %c: tensor<5xf16>) {
  // expected-error @+2 {{gemm c has a different element type from a and b}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x5xf32>, tensor<5xf16>) -> tensor<4x5xf32>
  return
}

// -----

func.func @conv_bias_element_type(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf16>) {
  // expected-error @+2 {{bias has a different element type from the input}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf16>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_bias_dynamic_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<?x3x3x3xf32>, %b: tensor<1x4xf32>) {
  // expected-error @+2 {{bias must have shape [?], got [1, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<?x3x3x3xf32>, tensor<1x4xf32>) -> tensor<1x?x6x6xf32>
  return
}

// -----

func.func @conv_zero_kernel(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x0x3xf32>) {
  // expected-error @+2 {{kernel size of spatial dimension 0 must be >= 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x0x3xf32>) -> tensor<1x4x9x6xf32>
  return
}

// -----

func.func @conv_transpose_bias(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x2x2xf32>, %b: tensor<7x7xf32>) {
  // expected-error @+2 {{bias must have shape [2], got [7, 7]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.conv_transpose %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x4x3x3xf32>, tensor<4x2x2x2xf32>, tensor<7x7xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @conv_transpose_output_padding_dynamic(%x: tensor<1x4x?x3xf32>, %w: tensor<4x2x2x2xf32>) {
  // expected-error @+2 {{output_padding must be non-negative}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: -5, 0>} : (tensor<1x4x?x3xf32>, tensor<4x2x2x2xf32>) -> tensor<1x2x?x4xf32>
  return
}

// -----

func.func @einsum_element_type(%a: tensor<2x3xf32>, %b: tensor<3x4xf16>) {
  // expected-error @+1 {{operand #1 has a different element type from the result}}
  %0 = dnnf.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<3x4xf16>) -> tensor<2x4xf32>
  return
}

// -----

func.func @einsum_repeated_output_label(%a: tensor<3x3xf32>) {
  // expected-error @+1 {{output label 'i' is repeated}}
  %0 = dnnf.einsum %a {equation = "ij->ii"} : (tensor<3x3xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @einsum_output_ellipsis_without_input(%a: tensor<3x3xf32>) {
  // expected-error @+1 {{output term '...ij' has an ellipsis but no input term has one}}
  %0 = dnnf.einsum %a {equation = "ij->...ij"} : (tensor<3x3xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @batch_norm_param_element_type(%x: tensor<1x3x4x4xf32>, %c: tensor<3xf32>, %h: tensor<3xf16>) {
  // expected-error @+1 {{mean has element type 'f16' but the input has 'f32'}}
  %0 = dnnf.batch_norm %x, %c, %c, %h, %c : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf16>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @layer_norm_param_element_type(%x: tensor<2x4xf32>, %s: tensor<4xf16>) {
  // expected-error @+1 {{has a different element type from the input}}
  %0 = dnnf.layer_norm %x, %s : (tensor<2x4xf32>, tensor<4xf16>) -> tensor<2x4xf32>
  return
}

// -----

func.func @mod_negative_fmod(%a: tensor<4xi32>) {
  // expected-error @+1 {{fmod must be 0 or 1, got -1}}
  %0 = dnnf.mod %a, %a {fmod = -1 : i64} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

func.func @concat_element_type(%a: tensor<2x3xf32>, %b: tensor<2x3xi32>) {
  // expected-error @+2 {{concat input #1 has a different element type from input #0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "dnnf.concat"(%a, %b) <{axis = 0 : i64}> : (tensor<2x3xf32>, tensor<2x3xi32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @yield_nothing(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = dnnf.fused (%x) : (tensor<2xf32>) -> tensor<2xf32> attributes {mapping = #dnnf.mapping<one_to_one>} {
  ^bb0(%a: tensor<2xf32>):
    // expected-error @+1 {{'dnnf.yield' op yields () but the enclosing dnnf.fused returns ('tensor<2xf32>')}}
    dnnf.yield
  }
  return %0 : tensor<2xf32>
}

// -----
// A defaulted attribute replaced by a value of the wrong kind through the
// generic syntax is rejected before type inference reads it.

func.func @defaulted_attr_wrong_kind(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'dnnf.softmax' op attribute 'axis' is missing or has a value of the wrong kind}}
  %0 = "dnnf.softmax"(%x) <{}> {axis = 1.0 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @defaulted_attr_wrong_kind_inferred(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'dnnf.reduce_sum' op attribute 'keepdims' is missing or has a value of the wrong kind}}
  %0 = "dnnf.reduce_sum"(%x) <{}> {keepdims = 3 : i64} : (tensor<2x3xf32>) -> tensor<1x3xf32>
  return
}

// -----

func.func @window_overflow(%x: tensor<1x1x4xf32>) {
  // expected-error @+2 {{dilated window overflows 64 bits}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "dnnf.max_pool"(%x) <{kernel_shape = array<i64: 2>, strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 9223372036854775807>}> : (tensor<1x1x4xf32>) -> tensor<1x1x4xf32>
  return
}

// -----

func.func @conv_transpose_channels_not_divisible_by_group(%x: tensor<1x3x4x4xf32>, %w: tensor<3x2x3x3xf32>) {
  // expected-error @+2 {{conv_transpose input channels 3 are not divisible by group 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, group = 2 : i64} : (tensor<1x3x4x4xf32>, tensor<3x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

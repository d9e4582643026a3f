namespace MetaLearn.Tensors.Tests.Autodiff.Properties;

/// <summary>
/// One instruction of a random program: an op, two operand choices (taken modulo the number of values defined so far, so
/// every choice is valid) and a small integer that picks the op's variant (axis, constant, keep-dims).
/// </summary>
internal readonly record struct ProgramStep(GraphOp Op, int First, int Second, int Variant);

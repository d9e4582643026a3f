namespace MetaLearn.Tensors.Kernels;

/// <summary>The elementwise binary functions the broadcasting kernel computes.</summary>
internal enum BinaryKind
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Maximum,
    Minimum,
}

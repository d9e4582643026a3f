namespace MetaLearn.Tensors.Kernels;

/// <summary>Runs an elementwise unary kernel over a tensor's elements in its dtype.</summary>
internal static class Unary
{
    public static void Apply<TKernel>(Tensor input, Tensor result, double parameter)
        where TKernel : struct, IUnaryKernel
    {
        if (input.DType == DType.Float32)
        {
            TKernel.Forward<float>(input.F32, result.F32, (float)parameter);
        }
        else
        {
            TKernel.Forward<double>(input.F64, result.F64, parameter);
        }
    }
}

namespace MetaLearn.Tensors.Kernels;

/// <summary>The geometry of a sliding 2-d window: kernel, stride, zero padding and the spacing of the taps (dilation), per axis.</summary>
internal readonly record struct Window(int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW, int DilationH = 1, int DilationW = 1)
{
    /// <summary>Rows the window spans: dilation·(kernel − 1) + 1.</summary>
    public int ExtentH => (DilationH * (KernelH - 1)) + 1;

    /// <summary>Columns the window spans.</summary>
    public int ExtentW => (DilationW * (KernelW - 1)) + 1;
}

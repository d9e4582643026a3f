namespace MetaLearn.Tensors.Kernels;

/// <summary>A compile-time row count for the GEMM micro-kernel: each implementing struct gives the JIT a constant.</summary>
internal interface IRowCount
{
    static abstract int Count { get; }
}

/// <summary>One row.</summary>
internal readonly struct One : IRowCount
{
    public static int Count => 1;
}

/// <summary>Two rows.</summary>
internal readonly struct Two : IRowCount
{
    public static int Count => 2;
}

/// <summary>Three rows.</summary>
internal readonly struct Three : IRowCount
{
    public static int Count => 3;
}

/// <summary>Four rows.</summary>
internal readonly struct Four : IRowCount
{
    public static int Count => 4;
}

/// <summary>Five rows.</summary>
internal readonly struct Five : IRowCount
{
    public static int Count => 5;
}

/// <summary>Six rows.</summary>
internal readonly struct Six : IRowCount
{
    public static int Count => 6;
}

/// <summary>Seven rows.</summary>
internal readonly struct Seven : IRowCount
{
    public static int Count => 7;
}

/// <summary>Eight rows.</summary>
internal readonly struct Eight : IRowCount
{
    public static int Count => 8;
}

/// <summary>Nine rows.</summary>
internal readonly struct Nine : IRowCount
{
    public static int Count => 9;
}

/// <summary>Ten rows.</summary>
internal readonly struct Ten : IRowCount
{
    public static int Count => 10;
}

/// <summary>Eleven rows.</summary>
internal readonly struct Eleven : IRowCount
{
    public static int Count => 11;
}

/// <summary>Twelve rows.</summary>
internal readonly struct Twelve : IRowCount
{
    public static int Count => 12;
}

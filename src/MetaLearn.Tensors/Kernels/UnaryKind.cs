namespace MetaLearn.Tensors.Kernels;

/// <summary>The elementwise unary functions of <see cref="Unary"/>; some take one scalar parameter.</summary>
internal enum UnaryKind
{
    Exp,
    Log,
    Sqrt,
    Abs,
    Tanh,
    Sigmoid,
    Relu,

    /// <summary>x if x &gt; 0 else parameter·x.</summary>
    LeakyRelu,

    /// <summary>x + parameter.</summary>
    AddScalar,

    /// <summary>x · parameter.</summary>
    MultiplyScalar,

    /// <summary>x ^ parameter.</summary>
    PowScalar,

    /// <summary>−1, 0 or 1.</summary>
    Sign,

    /// <summary>1 where x &gt; 0, else 0 (a constant mask, not differentiable).</summary>
    Positive,

    /// <summary>1 where x &gt;= 0, else 0 (a constant mask).</summary>
    NonNegative,
}

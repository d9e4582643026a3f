namespace MetaLearn.Tensors.Autodiff;

/// <summary>Per-thread switch that decides whether operations record the graph.</summary>
/// <remarks>Thread-static, so each thread of a parallel meta-batch has its own mode; new threads start with recording on.</remarks>
internal static class GradMode
{
    [ThreadStatic]
    private static bool t_disabled;

    public static bool IsEnabled => !t_disabled;

    public static bool Swap(bool enabled)
    {
        bool previous = !t_disabled;
        t_disabled = !enabled;
        return previous;
    }

    public static bool ShouldRecord(Tensor a) => !t_disabled && a.RequiresGrad;

    public static bool ShouldRecord(Tensor a, Tensor b) => !t_disabled && (a.RequiresGrad || b.RequiresGrad);

    /// <summary>Whether an op of three inputs (the last optional, as a bias) should be recorded.</summary>
    public static bool ShouldRecord(Tensor a, Tensor b, Tensor? c) => !t_disabled && (a.RequiresGrad || b.RequiresGrad || (c?.RequiresGrad ?? false));

    /// <summary>Whether an op of any number of inputs should be recorded.</summary>
    public static bool ShouldRecord(IReadOnlyList<Tensor> inputs)
    {
        if (t_disabled)
        {
            return false;
        }

        foreach (var input in inputs)
        {
            if (input.RequiresGrad)
            {
                return true;
            }
        }

        return false;
    }
}

namespace MetaLearn.Tensors.Internal;

/// <summary>
/// Whether the kernels of this thread may split one op across threads. A caller that already keeps every core busy at a
/// coarser grain (one meta-batch task per thread) turns it off, so that no core is handed two ops' halves at once.
/// Results do not depend on it: split kernels round exactly as unsplit ones.
/// </summary>
internal static class IntraOpParallelism
{
    [ThreadStatic]
    private static bool t_disabled;

    /// <summary>True unless turned off on this thread.</summary>
    public static bool Enabled => !t_disabled;

    /// <summary>Turns splitting off on this thread until the returned object is disposed.</summary>
    public static Suspension Suspend()
    {
        bool previous = t_disabled;
        t_disabled = true;
        return new Suspension(previous);
    }

    /// <summary>Restores the previous setting.</summary>
    internal readonly struct Suspension(bool previous) : IDisposable
    {
        public void Dispose() => t_disabled = previous;
    }
}

namespace MetaLearn.Tensors.Autodiff;

/// <summary>
/// Turns graph recording off (or on) for the current thread until disposed, restoring the previous mode.
/// Create one with <see cref="Tensor.NoGrad"/> inside a <c>using</c> statement.
/// </summary>
public readonly struct GradModeScope : IDisposable, IEquatable<GradModeScope>
{
    private readonly bool _previous;

    internal GradModeScope(bool enabled) => _previous = GradMode.Swap(enabled);

    /// <summary>Restores the mode that was in force when the scope was created.</summary>
    public void Dispose() => GradMode.Swap(_previous);

    /// <inheritdoc/>
    public bool Equals(GradModeScope other) => _previous == other._previous;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is GradModeScope other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _previous.GetHashCode();

    /// <summary>Equality of the saved modes.</summary>
    public static bool operator ==(GradModeScope left, GradModeScope right) => left.Equals(right);

    /// <summary>Inequality of the saved modes.</summary>
    public static bool operator !=(GradModeScope left, GradModeScope right) => !left.Equals(right);
}

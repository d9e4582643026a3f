namespace MetaLearn.Data.OneShot;

/// <summary>How <see cref="OneShotRunBuilder.Build"/> draws its runs.</summary>
public sealed class OneShotRunBuildOptions
{
    /// <summary>The number of runs (Lake et al. used 20).</summary>
    public int Runs { get; init; } = 20;

    /// <summary>Classes per run, N of N-way (Lake et al. used 20); each is one character of the run's alphabet.</summary>
    public int Ways { get; init; } = 20;

    /// <summary>Seed of the draw: the same source, options and seed give the same runs.</summary>
    public ulong Seed { get; init; }

    /// <summary>The alphabets to draw from (folder names); every alphabet with enough characters when null.</summary>
    public IReadOnlyList<string>? Alphabets { get; init; }
}

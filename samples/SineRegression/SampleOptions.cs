namespace SineRegression;

/// <summary>The sample's settings, from the command line (see <see cref="Program"/> for the flags and defaults).</summary>
internal sealed record SampleOptions(long Iterations, ulong Seed, string OutputDirectory, bool Reptile, bool FirstOrder, int MetaBatch, int Shots);

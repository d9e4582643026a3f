namespace MetaLearn.Data;

/// <summary>What identifies a task: a name, the generating parameters (e.g. amplitude and phase), or the classes it was drawn from.</summary>
/// <param name="Name">A readable name.</param>
/// <param name="Parameters">Generating parameters of a synthetic task; empty when none.</param>
/// <param name="Classes">The original class ids behind labels 0..N−1 (label i is class Classes[i]); null for regression.</param>
public sealed record TaskMetadata(string Name, IReadOnlyDictionary<string, double> Parameters, IReadOnlyList<int>? Classes = null);

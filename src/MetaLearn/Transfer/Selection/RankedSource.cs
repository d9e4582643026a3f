namespace MetaLearn.Transfer.Selection;

/// <summary>A candidate source task in a ranking: its index among the candidates and its distance to the target.</summary>
/// <param name="Index">The source's position in the list that was ranked.</param>
/// <param name="Distance">Its distance to the target (smaller ranks first).</param>
public sealed record RankedSource(int Index, double Distance);

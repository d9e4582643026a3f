namespace MetaLearn.Orleans.Tests;

/// <summary>The equality and fault tests share one three-silo cluster (they leave it as they found it).</summary>
[CollectionDefinition(nameof(SharedThreeSilos))]
public sealed class SharedThreeSilos : ICollectionFixture<ThreeSilos>;

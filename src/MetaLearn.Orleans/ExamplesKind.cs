namespace MetaLearn.Orleans;

/// <summary>Which kind of examples an <see cref="ExamplesPayload"/> carries.</summary>
[GenerateSerializer]
internal enum ExamplesKind
{
    Regression,
    Classification,
    Pairs,
}

using MetaLearn.Data;

namespace MetaLearn.Orleans;

/// <summary>A support or query set on the wire: regression (inputs, targets), classification (inputs, labels) or pairs.</summary>
[GenerateSerializer]
[Immutable]
internal sealed class ExamplesPayload
{
    [Id(0)]
    public ExamplesKind Kind { get; init; }

    [Id(1)]
    public TensorPayload Inputs { get; init; } = new();

    [Id(2)]
    public TensorPayload? Other { get; init; }

    [Id(3)]
    public int[]? Labels { get; init; }

    [Id(4)]
    public bool[]? Same { get; init; }

    public long ByteCount => Inputs.Data.Length + (Other?.Data.Length ?? 0) + (4L * (Labels?.Length ?? 0)) + (Same?.Length ?? 0);

    public static ExamplesPayload From(Examples examples) => examples switch
    {
        RegressionExamples r => new ExamplesPayload
        {
            Kind = ExamplesKind.Regression,
            Inputs = TensorPayload.From(r.Inputs),
            Other = TensorPayload.From(r.Targets),
        },
        ClassificationExamples c => new ExamplesPayload
        {
            Kind = ExamplesKind.Classification,
            Inputs = TensorPayload.From(c.Inputs),
            Labels = c.LabelArray(),
        },
        PairExamples p => new ExamplesPayload
        {
            Kind = ExamplesKind.Pairs,
            Inputs = TensorPayload.From(p.Inputs),
            Other = TensorPayload.From(p.Second),
            Same = [.. p.Same],
        },
        _ => throw new NotSupportedException(
            $"MetaLearn.Orleans: examples of type {examples.GetType().Name} cannot be shipped; describe the task instead (DescribedTaskSource)."),
    };

    public Examples ToExamples() => Kind switch
    {
        ExamplesKind.Regression => Examples.Regression(Inputs.ToTensor(), Other!.ToTensor()),
        ExamplesKind.Classification => Examples.Classification(Inputs.ToTensor(), Labels!),
        _ => Examples.Pairs(Inputs.ToTensor(), Other!.ToTensor(), Same!),
    };
}

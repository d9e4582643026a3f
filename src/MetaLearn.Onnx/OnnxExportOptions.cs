namespace MetaLearn.Onnx;

/// <summary>How <see cref="OnnxExport"/> writes a model.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>
    /// The shape of one example, without the batch axis ([1, 28, 28] for an Omniglot image, [1] for a sine input). The
    /// graph input is [N, ...this] with a symbolic batch size N.
    /// </summary>
    public required IReadOnlyList<int> InputShape { get; init; }

    /// <summary>The name of the graph input ("input").</summary>
    public string InputName { get; init; } = "input";

    /// <summary>The name of the graph output ("output").</summary>
    public string OutputName { get; init; } = "output";

    /// <summary>The name of the symbolic batch dimension ("N").</summary>
    public string BatchDimension { get; init; } = "N";

    /// <summary>The exporters to use; null for <see cref="OnnxExporterRegistry.CreateDefault"/>'s built-in rows.</summary>
    public OnnxExporterRegistry? Registry { get; init; }

    /// <summary>A description stored in the model's doc_string; null for none.</summary>
    public string? Description { get; init; }
}

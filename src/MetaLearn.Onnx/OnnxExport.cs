using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;
using Onnx;

namespace MetaLearn.Onnx;

/// <summary>
/// Writes a MetaLearn module, with its own weights or with the weights a learner adapted to a task
/// (<see cref="IAdaptedModelLearner.AdaptedModel"/>), as an ONNX model (opset <see cref="Opset"/>, IR version
/// <see cref="IrVersion"/>, float32) that ONNX Runtime, ML.NET's ONNX transformer or any ONNX tool loads. Each module
/// kind is written by its row in an <see cref="OnnxExporterRegistry"/>; a kind with no row fails with a
/// <see cref="NotSupportedException"/> naming it and its path.
/// </summary>
/// <remarks>
/// The graph computes what the module's forward pass computes in its current mode: a batch norm with
/// <see cref="BatchNormStatistics.Batch"/> (MAML's default) normalizes with the statistics of the batch ONNX Runtime is
/// given, as the library does, so feed whole query sets as you would to the library; call <see cref="Module.Eval"/>
/// first for running statistics and to turn dropout off. The file is protobuf written by Google.Protobuf from ONNX's
/// published schema (the OnnxSharp package's generated classes).
/// </remarks>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the graphs use (the default domain's version 17).</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version written (8, read by ONNX Runtime 1.10 and later).</summary>
    public const long IrVersion = 8;

    private static readonly OnnxExporterRegistry s_builtIn = OnnxExporterRegistry.CreateDefault();

    /// <summary>The ONNX model of <paramref name="module"/> run with <paramref name="weights"/> (one per module parameter, in order).</summary>
    /// <exception cref="ArgumentException">The weights do not match the module, or the input shape is empty or not positive.</exception>
    /// <exception cref="NotSupportedException">A module kind has no exporter, or a module cannot be written in its current mode.</exception>
    public static ModelProto ToModel(Module module, IReadOnlyList<Tensor> weights, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var model = new AdaptedModel(module, weights);
        if (options.InputShape is null || options.InputShape.Any(d => d <= 0))
        {
            throw new ArgumentException($"OnnxExport: InputShape {Shapes.Format((options.InputShape ?? []).ToArray())} must list positive sizes "
                + "(one example, no batch axis).", nameof(options));
        }

        ArgumentException.ThrowIfNullOrEmpty(options.InputName);
        ArgumentException.ThrowIfNullOrEmpty(options.OutputName);
        var graph = new GraphProto { Name = module.GetType().Name };
        var builder = new OnnxGraph(graph, options.Registry ?? s_builtIn);
        string input = builder.WithRank(options.InputName, options.InputShape.Count + 1);
        graph.Input.Add(ValueInfo(options.InputName, [options.BatchDimension, .. options.InputShape.Select(d => (object)d)]));
        string output = builder.Export(model.Module, model.Weights, input, string.Empty);
        var rename = new NodeProto { OpType = "Identity", Name = options.OutputName };
        rename.Input.Add(output);
        rename.Output.Add(options.OutputName);
        graph.Node.Add(rename);
        graph.Output.Add(ValueInfo(options.OutputName, null));

        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "MetaLearn",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? string.Empty,
            DocString = options.Description ?? string.Empty,
            Graph = graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        return proto;
    }

    /// <summary>The ONNX model of an adapted model (a learner's <see cref="IAdaptedModelLearner.AdaptedModel"/>).</summary>
    public static ModelProto ToModel(AdaptedModel model, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ToModel(model.Module, model.Weights, options);
    }

    /// <summary>The ONNX file's bytes for <paramref name="module"/> with <paramref name="weights"/>.</summary>
    public static byte[] ToBytes(Module module, IReadOnlyList<Tensor> weights, OnnxExportOptions options)
        => Google.Protobuf.MessageExtensions.ToByteArray(ToModel(module, weights, options));

    /// <summary>The ONNX file's bytes for an adapted model.</summary>
    public static byte[] ToBytes(AdaptedModel model, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ToBytes(model.Module, model.Weights, options);
    }

    /// <summary>Writes <paramref name="module"/> with its own weights to the ONNX file <paramref name="path"/>.</summary>
    public static void Save(Module module, string path, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(module);
        Save(new AdaptedModel(module, module.Parameters()), path, options);
    }

    /// <summary>Writes an adapted model to the ONNX file <paramref name="path"/> (created or replaced).</summary>
    public static void Save(AdaptedModel model, string path, OnnxExportOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllBytes(path, ToBytes(model, options));
    }

    private static ValueInfoProto ValueInfo(string name, IReadOnlyList<object>? dims)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float };
        if (dims is not null)
        {
            tensor.Shape = new TensorShapeProto();
            foreach (var dim in dims)
            {
                tensor.Shape.Dim.Add(dim is int size
                    ? new TensorShapeProto.Types.Dimension { DimValue = size }
                    : new TensorShapeProto.Types.Dimension { DimParam = (string)dim });
            }
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}

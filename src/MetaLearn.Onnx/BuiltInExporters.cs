using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Tensors;
using Onnx;

namespace MetaLearn.Onnx;

/// <summary>
/// The built-in rows of <see cref="OnnxExporterRegistry"/>: one function per module kind, each writing what the module's
/// forward pass computes in its current mode (training or evaluation), with opset-17 operators.
/// </summary>
internal static class BuiltInExporters
{
    public static void RegisterAll(OnnxExporterRegistry registry) => registry
        .Register<Linear>(Linear)
        .Register<Conv2d>(Conv2d)
        .Register<BatchNorm>(BatchNorm)
        .Register<LayerNorm>(LayerNorm)
        .Register<Activation>(Activation)
        .Register<MaxPool2d>(MaxPool2d)
        .Register<AvgPool2d>(AvgPool2d)
        .Register<Flatten>(Flatten)
        .Register<Dropout>(Dropout)
        .Register<Sequential>(Sequential)
        .Register<ConvBlock>(ConvBlock)
        .Register<ConvNet>(ConvNet)
        .Register<PrototypeDistanceHead>(PrototypeDistanceHead);

    /// <summary>y = x·Wᵀ + b as MatMul with the transposed weight stored, then Add.</summary>
    private static string Linear(Module module, IReadOnlyList<Tensor> weights, string x, OnnxGraph graph)
    {
        var linear = (Linear)module;
        var w = weights[0].ToArray();
        var transposed = new float[w.Length];
        for (int o = 0; o < linear.OutFeatures; o++)
        {
            for (int i = 0; i < linear.InFeatures; i++)
            {
                transposed[(i * linear.OutFeatures) + o] = w[(o * linear.InFeatures) + i];
            }
        }

        var y = graph.AddNode("MatMul", [x, graph.AddInitializer("weight", Tensor.FromArray(transposed, linear.InFeatures, linear.OutFeatures))]);
        if (linear.HasBias)
        {
            y = graph.AddNode("Add", [y, graph.AddInitializer("bias", weights[1])]);
        }

        return graph.WithRank(y, graph.RankOf(x));
    }

    private static string Conv2d(Module module, IReadOnlyList<Tensor> weights, string x, OnnxGraph graph)
    {
        var conv = (Conv2d)module;
        var inputs = new List<string> { x, graph.AddInitializer("weight", weights[0]) };
        if (conv.HasBias)
        {
            inputs.Add(graph.AddInitializer("bias", weights[1]));
        }

        return graph.WithRank(
            graph.AddNode(
                "Conv",
                inputs,
                OnnxAttributes.Values("kernel_shape", conv.KernelSize, conv.KernelSize),
                OnnxAttributes.Values("strides", conv.Stride, conv.Stride),
                OnnxAttributes.Values("pads", conv.Padding, conv.Padding, conv.Padding, conv.Padding),
                OnnxAttributes.Values("dilations", conv.Dilation, conv.Dilation),
                OnnxAttributes.Value("group", conv.Groups)),
            4);
    }

    /// <summary>
    /// Running statistics in evaluation mode: BatchNormalization with the running mean and variance. Otherwise (the
    /// <see cref="BatchNormStatistics.Batch"/> policy, or training mode) the batch statistics, computed in the graph from
    /// whatever batch it is given, exactly as the library's forward pass does: ReduceMean over every axis but 1, the biased
    /// variance, then (x − μ)/√(σ² + ε)·γ + β.
    /// </summary>
    private static string BatchNorm(Module module, IReadOnlyList<Tensor> weights, string x, OnnxGraph graph)
    {
        var norm = (BatchNorm)module;
        if (norm.Statistics == BatchNormStatistics.Running && !norm.IsTraining)
        {
            return graph.WithRank(
                graph.AddNode(
                    "BatchNormalization",
                    [
                        x,
                        graph.AddInitializer("weight", weights[0]),
                        graph.AddInitializer("bias", weights[1]),
                        graph.AddInitializer("running_mean", norm.RunningMean!),
                        graph.AddInitializer("running_var", norm.RunningVar!),
                    ],
                    OnnxAttributes.Value("epsilon", norm.Epsilon)),
                graph.RankOf(x));
        }

        int rank = norm is BatchNorm2d ? 4 : graph.RankOf(x) ?? throw new NotSupportedException(
            $"OnnxExport: {module.GetType().Name} at '{graph.ModulePath}' normalizes with batch statistics, which need the input's rank, "
                + "and the layer before it did not record one.");
        var broadcast = Enumerable.Repeat(1, rank).ToArray();
        broadcast[1] = norm.NumFeatures;
        var axes = OnnxAttributes.Values("axes", [0, .. Enumerable.Range(2, rank - 2).Select(a => (long)a)]);
        var mean = graph.AddNode("ReduceMean", [x], axes, OnnxAttributes.Value("keepdims", 1));
        var centered = graph.AddNode("Sub", [x, mean]);
        var variance = graph.AddNode("ReduceMean", [graph.AddNode("Mul", [centered, centered])], axes, OnnxAttributes.Value("keepdims", 1));
        var std = graph.AddNode("Sqrt", [graph.AddNode("Add", [variance, graph.AddInitializer("epsilon", Tensor.FromArray([(float)norm.Epsilon]))])]);
        var scaled = graph.AddNode("Mul", [graph.AddNode("Div", [centered, std]), graph.AddInitializer("weight", weights[0], broadcast)]);
        return graph.WithRank(graph.AddNode("Add", [scaled, graph.AddInitializer("bias", weights[1], broadcast)]), rank);
    }

    private static string LayerNorm(Module module, IReadOnlyList<Tensor> weights, string x, OnnxGraph graph)
    {
        var norm = (LayerNorm)module;
        var shape = norm.NormalizedShape.ToArray();
        var inputs = new List<string>
        {
            x,
            norm.ElementwiseAffine ? graph.AddInitializer("weight", weights[0]) : graph.AddInitializer("weight", Tensor.Ones(shape)),
        };
        if (norm.HasBias)
        {
            inputs.Add(graph.AddInitializer("bias", weights[1]));
        }

        return graph.WithRank(
            graph.AddNode("LayerNormalization", inputs, OnnxAttributes.Value("axis", -shape.Length), OnnxAttributes.Value("epsilon", norm.Epsilon)),
            graph.RankOf(x));
    }

    private static string Activation(Module module, IReadOnlyList<Tensor> weights, string x, OnnxGraph graph)
    {
        var activation = (Activation)module;
        var y = activation.Kind switch
        {
            ActivationKind.Relu => graph.AddNode("Relu", [x]),
            ActivationKind.LeakyRelu => graph.AddNode("LeakyRelu", [x], OnnxAttributes.Value("alpha", activation.Slope)),
            ActivationKind.Tanh => graph.AddNode("Tanh", [x]),
            ActivationKind.Sigmoid => graph.AddNode("Sigmoid", [x]),
            ActivationKind.Elu => graph.AddNode("Elu", [x], OnnxAttributes.Value("alpha", activation.Alpha)),
            _ => throw new NotSupportedException($"OnnxExport: activation {activation.Kind} at '{graph.ModulePath}' has no ONNX operator here."),
        };
        return graph.WithRank(y, graph.RankOf(x));
    }

    private static string MaxPool2d(Module module, IReadOnlyList<Tensor> weights, string x, OnnxGraph graph)
        => Pool("MaxPool", (Pool2d)module, x, graph);

    /// <summary>Padding counts as zeros in the average, as in the library (and PyTorch's default).</summary>
    private static string AvgPool2d(Module module, IReadOnlyList<Tensor> weights, string x, OnnxGraph graph)
        => Pool("AveragePool", (Pool2d)module, x, graph, OnnxAttributes.Value("count_include_pad", 1));

    private static string Pool(string op, Pool2d pool, string x, OnnxGraph graph, params AttributeProto[] extra)
        => graph.WithRank(
            graph.AddNode(
                op,
                [x],
                [
                    OnnxAttributes.Values("kernel_shape", pool.KernelSize, pool.KernelSize),
                    OnnxAttributes.Values("strides", pool.Stride, pool.Stride),
                    OnnxAttributes.Values("pads", pool.Padding, pool.Padding, pool.Padding, pool.Padding),
                    .. extra,
                ]),
            4);

    /// <summary>Keeps the axes before the start axis (Reshape's 0 copies a dimension) and merges the rest (−1).</summary>
    private static string Flatten(Module module, IReadOnlyList<Tensor> weights, string x, OnnxGraph graph)
    {
        int start = ((Flatten)module).StartAxis;
        var shape = graph.AddInt64Initializer("shape", [.. Enumerable.Repeat(0L, start), -1L]);
        return graph.WithRank(graph.AddNode("Reshape", [x, shape]), start + 1);
    }

    /// <summary>Dropout is the identity in evaluation mode; in training mode its masks are random, so it is refused.</summary>
    private static string Dropout(Module module, IReadOnlyList<Tensor> weights, string x, OnnxGraph graph)
    {
        var dropout = (Dropout)module;
        if (dropout.IsTraining && dropout.Probability > 0)
        {
            throw new NotSupportedException(
                $"OnnxExport: Dropout at '{graph.ModulePath}' is in training mode (random masks); call Eval() on the model before exporting.");
        }

        return graph.WithRank(graph.AddNode("Identity", [x]), graph.RankOf(x));
    }

    private static string Sequential(Module module, IReadOnlyList<Tensor> weights, string x, OnnxGraph graph)
    {
        for (int i = 0; i < module.Children.Count; i++)
        {
            x = graph.ExportChild(module, weights, i, x);
        }

        return x;
    }

    /// <summary>Convolution, batch norm, ReLU and (when the block pools) 2×2 max pooling, as separate nodes.</summary>
    private static string ConvBlock(Module module, IReadOnlyList<Tensor> weights, string x, OnnxGraph graph)
    {
        var block = (ConvBlock)module;
        var y = graph.AddNode("Relu", [graph.ExportChild(module, weights, 1, graph.ExportChild(module, weights, 0, x))]);
        return graph.WithRank(block.Pool is { } pool ? Pool("MaxPool", pool, y, graph) : y, 4);
    }

    private static string ConvNet(Module module, IReadOnlyList<Tensor> weights, string x, OnnxGraph graph)
    {
        var features = graph.ExportChild(module, weights, 0, graph.WithRank(x, 4));
        var flat = graph.WithRank(graph.AddNode("Reshape", [features, graph.AddInt64Initializer("shape", 0, -1)]), 2);
        return graph.ExportChild(module, weights, 1, flat);
    }

    /// <summary>−Σ_d (z_d − c_kd)² for each row z (flattened past axis 0) and prototype c_k: the differences, as the library computes them.</summary>
    private static string PrototypeDistanceHead(Module module, IReadOnlyList<Tensor> weights, string x, OnnxGraph graph)
    {
        var head = (PrototypeDistanceHead)module;
        var prototypes = graph.AddInitializer("prototypes", head.Prototypes, [1, .. head.Prototypes.Shape]);
        var flat = graph.AddNode("Reshape", [x, graph.AddInt64Initializer("shape", 0, -1)]);
        var rows = graph.AddNode("Unsqueeze", [flat, graph.AddInt64Initializer("axes", 1)]);
        var difference = graph.AddNode("Sub", [rows, prototypes]);
        var squared = graph.AddNode(
            "ReduceSum",
            [graph.AddNode("Mul", [difference, difference]), graph.AddInt64Initializer("sum_axes", -1)],
            OnnxAttributes.Value("keepdims", 0));
        return graph.WithRank(graph.AddNode("Neg", [squared]), 2);
    }
}

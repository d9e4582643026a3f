using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Onnx.Tests;

/// <summary>One row per module kind and mode the exporter supports: the module (parameters drawn away from their initial values) and one example's shape.</summary>
internal static class ModuleExportCases
{
    public static readonly IReadOnlyDictionary<string, Func<(Module Module, int[] ExampleShape)>> All = new Dictionary<string, Func<(Module, int[])>>
    {
        ["Linear"] = () => (new Linear(6, 4, G(1)), [6]),
        ["Linear without bias"] = () => (new Linear(6, 4, G(2), bias: false), [6]),
        ["Conv2d"] = () => (new Conv2d(3, 5, 3, G(3)), [3, 7, 7]),
        ["Conv2d padding, stride, dilation, groups"] = () => (new Conv2d(4, 6, 3, G(4), stride: 2, padding: 2, dilation: 2, groups: 2), [4, 9, 9]),
        ["Conv2d depthwise without bias"] = () => (new Conv2d(4, 4, 3, G(5), padding: 1, bias: false, groups: 4), [4, 6, 6]),
        ["BatchNorm2d batch statistics"] = () => (Randomized(new BatchNorm2d(3)), [3, 5, 5]),
        ["BatchNorm2d running statistics, eval"] = () => (RunningEval(new BatchNorm2d(3, BatchNormStatistics.Running), [8, 3, 5, 5]), [3, 5, 5]),
        ["BatchNorm2d running statistics, training mode"] = () => (Randomized(new BatchNorm2d(3, BatchNormStatistics.Running)), [3, 5, 5]),
        ["BatchNorm1d batch statistics after Linear"] = () => (new Sequential(new Linear(5, 4, G(6)), Randomized(new BatchNorm1d(4))), [5]),
        ["BatchNorm1d running statistics, eval"] = () => (RunningEval(new BatchNorm1d(4, BatchNormStatistics.Running), [16, 4]), [4]),
        ["ReLU"] = () => (new Activation(ActivationKind.Relu), [7]),
        ["LeakyReLU"] = () => (new Activation(ActivationKind.LeakyRelu, slope: 0.2), [7]),
        ["Tanh"] = () => (new Activation(ActivationKind.Tanh), [7]),
        ["Sigmoid"] = () => (new Activation(ActivationKind.Sigmoid), [7]),
        ["ELU"] = () => (new Activation(ActivationKind.Elu, alpha: 0.7), [7]),
        ["MaxPool2d"] = () => (new MaxPool2d(2), [2, 6, 6]),
        ["MaxPool2d stride and padding"] = () => (new MaxPool2d(3, stride: 2, padding: 1), [2, 7, 7]),
        ["AvgPool2d"] = () => (new AvgPool2d(2), [2, 6, 6]),
        ["AvgPool2d stride and padding"] = () => (new AvgPool2d(3, stride: 2, padding: 1), [2, 7, 7]),
        ["Flatten"] = () => (new Flatten(), [2, 3, 4]),
        ["Flatten from axis 2"] = () => (new Flatten(2), [2, 3, 4]),
        ["LayerNorm"] = () => (Randomized(new LayerNorm(6)), [6]),
        ["LayerNorm over [C, H, W] without affine"] = () => (new LayerNorm([2, 3, 3], elementwiseAffine: false), [2, 3, 3]),
        ["Dropout, eval"] = () => (new Dropout(0.5, G(7)).Eval(), [5]),
        ["Sequential MLP (fused Linear-ReLU)"] = () => (Backbones.Mlp([6, 16, 16, 3], ActivationKind.Relu, G(8)), [6]),
        ["ConvBlock"] = () => (Randomized(new ConvBlock(1, 4, G(9))), [1, 8, 8]),
        ["ConvNet (Omniglot conv-4, running statistics, eval)"] = () => (RunningEval(new ConvNet(5, G(10), hiddenChannels: 8, imageSize: 28, statistics: BatchNormStatistics.Running), [4, 1, 28, 28]), [1, 28, 28]),
        ["ConvNet (batch statistics)"] = () => (new ConvNet(5, G(11), blocks: 2, hiddenChannels: 4, imageSize: 12), [1, 12, 12]),
        ["PrototypeDistanceHead"] = () => (new PrototypeDistanceHead(Tensor.RandomNormal(G(12), [5, 8])), [8]),
        ["Embedding + PrototypeDistanceHead"] = () => (new Sequential(new Conv2d(1, 3, 3, G(13), padding: 1), new Activation(ActivationKind.Relu), new PrototypeDistanceHead(Tensor.RandomNormal(G(14), [4, 48]))), [1, 4, 4]),
    };

    private static Generator G(ulong seed) => new(seed);

    /// <summary>Moves every parameter away from its initial value (batch norm's γ = 1, β = 0 would hide a mix-up).</summary>
    private static T Randomized<T>(T module)
        where T : Module
    {
        var generator = new Generator(99);
        foreach (var p in module.Parameters())
        {
            Init.Assign(p, Tensor.RandomUniform(generator, p.Shape.AsSpan(), 0.5, 1.5, p.DType));
        }

        return module;
    }

    /// <summary>Randomized, then a few training batches to move the running statistics, then evaluation mode.</summary>
    private static T RunningEval<T>(T module, int[] batchShape)
        where T : Module
    {
        Randomized(module);
        var generator = new Generator(98);
        for (int i = 0; i < 3; i++)
        {
            module.Forward((Tensor.RandomNormal(generator, batchShape) * 2.0) + 0.5);
        }

        module.Eval();
        return module;
    }
}

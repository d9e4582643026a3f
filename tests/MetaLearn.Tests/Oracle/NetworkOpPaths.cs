using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Testing.Oracle;

namespace MetaLearn.Tests.Oracle;

/// <summary>
/// Every way the network layer offers to compute a libtorch case: the losses and distances (also through the task losses
/// meta-learners use), and the modules of the engine ops (Linear, Conv2d, BatchNorm1d/2d with the fused ReLU-max-pool form
/// that ConvBlock runs, LayerNorm), each run with the case's inputs as its parameters.
/// </summary>
internal static class NetworkOpPaths
{
    private const DType F64 = DType.Float64;

    public static IReadOnlyList<(string Path, Func<Tensor[], Tensor> Function)> For(OracleCase c) => c.Op switch
    {
        "mse_loss" =>
        [
            P("Losses.MeanSquaredError", x => Losses.MeanSquaredError(x[0], x[1])),
            P("Losses.MeanSquaredError per element, then Mean", x => Losses.MeanSquaredError(x[0], x[1], Reduction.None).Mean()),
            P("TaskLosses.MeanSquaredError", x => TaskLosses.MeanSquaredError(x[0], MetaLearn.Data.Examples.Regression(Rows(x[0]), x[1]))),
        ],
        "cross_entropy" =>
        [
            P("Losses.CrossEntropy", x => Losses.CrossEntropy(x[0], Labels(c))),
            P("TaskLosses.CrossEntropy", x => TaskLosses.CrossEntropy(x[0], MetaLearn.Data.Examples.Classification(Rows(x[0]), Labels(c)))),
            P("NegativeLogLikelihood of LogSoftmax", x => Losses.NegativeLogLikelihood(Functional.LogSoftmax(x[0], 1), Labels(c))),
        ],
        "nll_loss" =>
        [
            P("Losses.NegativeLogLikelihood", x => Losses.NegativeLogLikelihood(x[0], Labels(c))),
            P("Losses.NegativeLogLikelihood summed, over N", x => Losses.NegativeLogLikelihood(x[0], Labels(c), Reduction.Sum) / x[0].Shape[0]),
        ],
        "binary_cross_entropy_with_logits" =>
        [
            P("Losses.BinaryCrossEntropyWithLogits", x => Losses.BinaryCrossEntropyWithLogits(x[0], c.Array("target").ToTensor())),
            P("per element, then Mean", x => Losses.BinaryCrossEntropyWithLogits(x[0], c.Array("target").ToTensor(), Reduction.None).Mean()),
        ],
        "cdist" =>
        [
            P("Distances.PairwiseEuclidean", x => Distances.PairwiseEuclidean(x[0], x[1])),
            P("Sqrt of PairwiseSquaredEuclidean", x => Distances.PairwiseSquaredEuclidean(x[0], x[1]).Sqrt()),
        ],
        "pairwise_distance" =>
        [
            P("Distances.Euclidean", x => Distances.Euclidean(x[0], x[1])),
            P("Sqrt of SquaredEuclidean", x => Distances.SquaredEuclidean(x[0], x[1]).Sqrt()),
        ],
        "cosine_similarity" =>
        [
            P("Distances.CosineSimilarity", x => Distances.CosineSimilarity(x[0], x[1], c.Double("eps"))),
            P("1 - CosineDistance", x => 1.0 - Distances.CosineDistance(x[0], x[1], c.Double("eps"))),
        ],
        "linear" =>
        [
            P("Linear module", x => new Linear(x[1].Shape[1], x[1].Shape[0], new Generator(1), dtype: F64).Forward(x[0], x[1..])),
            P("Sequential(Linear, ReLU) fused, relu(y) - relu(-y)", x =>
            {
                var model = new Sequential(new Linear(x[1].Shape[1], x[1].Shape[0], new Generator(1), dtype: F64), new Activation(ActivationKind.Relu));
                return model.Forward(x[0], x[1..]) - model.Forward(x[0], [-x[1], -x[2]]);
            }),
        ],
        "conv2d" =>
        [
            P("Conv2d module", x => new Conv2d(x[0].Shape[1], x[1].Shape[0], x[1].Shape[2], new Generator(1), c.Int("stride"), c.Int("padding"), dtype: F64, dilation: c.Int("dilation"), groups: c.Int("groups")).Forward(x[0], x[1..])),
        ],
        "batch_norm" => BatchNormPaths(c),
        "layer_norm" =>
        [
            P("LayerNorm module", x => new LayerNorm(c.Ints("normalized_shape"), c.Double("eps"), dtype: F64).Forward(x[0], x[1..])),
        ],
        _ => [],
    };

    private static List<(string, Func<Tensor[], Tensor>)> BatchNormPaths(OracleCase c)
    {
        double epsilon = c.Double("eps");
        BatchNorm Create(Tensor x, BatchNormStatistics statistics) => x.Rank == 4
            ? new BatchNorm2d(x.Shape[1], statistics, epsilon, dtype: F64)
            : new BatchNorm1d(x.Shape[1], statistics, epsilon, dtype: F64);
        var paths = new List<(string, Func<Tensor[], Tensor>)>
        {
            P("BatchNorm module, batch statistics", x => Create(x[0], BatchNormStatistics.Batch).Forward(x[0], x[1..])),
            P("BatchNorm module, running statistics in training", x => Create(x[0], BatchNormStatistics.Running).Forward(x[0], x[1..])),
        };
        if (c.Inputs[0].Shape.Length == 4)
        {
            // ConvBlock's tail: batch norm, ReLU and max pooling in one op (window 1 here, so only the ReLU acts).
            paths.Add(P("BatchNorm2d fused ReLU-max-pool, relu(y) - relu(-y)", x =>
            {
                var norm = new BatchNorm2d(x[0].Shape[1], epsilon: epsilon, dtype: F64);
                return norm.ForwardReluMaxPool(x[0], new ParameterView(x[1..]), new MaxPool2d(1)) - norm.ForwardReluMaxPool(x[0], new ParameterView([-x[1], -x[2]]), new MaxPool2d(1));
            }));
        }

        return paths;
    }

    private static int[] Labels(OracleCase c) => c.Array("target").ToIndices();

    /// <summary>Placeholder inputs with one row per example, for the <see cref="Examples"/> a task loss reads its targets from.</summary>
    private static Tensor Rows(Tensor x) => Tensor.Zeros([x.Shape[0], 1], F64);

    private static (string, Func<Tensor[], Tensor>) P(string path, Func<Tensor[], Tensor> function) => (path, function);
}

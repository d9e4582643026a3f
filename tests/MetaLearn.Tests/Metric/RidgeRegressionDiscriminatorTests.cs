using MathNet.Numerics.LinearAlgebra;
using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Tests.Metric;

/// <summary>
/// R2-D2: the ridge weights against Math.NET's closed form in both of their forms, the learner's logits, the episode loss's
/// gradients against finite differences (to second order on a linear embedding, in both forms), and bad use. Learning on
/// held-out classes is a row of <see cref="SyntheticImageLearningTests"/>.
/// </summary>
public class RidgeRegressionDiscriminatorTests
{
    private const DType F64 = DType.Float64;

    private static TaskMetadata Meta => new("episode", new Dictionary<string, double>());

    [Theory]
    [InlineData(4, 7)]
    [InlineData(6, 3)]
    public void RidgeWeightsAreTheClosedFormSolution(int n, int d)
    {
        var generator = new Generator(4);
        var x = Tensor.RandomNormal(generator, [n, d], dtype: F64);
        var y = Tensor.RandomNormal(generator, [n, 2], dtype: F64);
        var weights = RidgeRegressionDiscriminator.RidgeWeights(x, y, Tensor.Scalar(0.3, F64));

        var xm = Matrix<double>.Build.DenseOfRowMajor(n, d, x.ToDoubleArray());
        var ym = Matrix<double>.Build.DenseOfRowMajor(n, 2, y.ToDoubleArray());
        var expected = (xm.TransposeThisAndMultiply(xm) + (0.3 * Matrix<double>.Build.DenseIdentity(d))).Solve(xm.TransposeThisAndMultiply(ym));
        Assert.Equal([d, 2], weights.Shape.ToArray());
        var actual = weights.ToDoubleArray();
        var reference = expected.ToRowMajorArray();
        for (int i = 0; i < reference.Length; i++)
        {
            Assert.Equal(reference[i], actual[i], 10);
        }
    }

    [Fact]
    public void LogitsAreTheScaledRegressionOutputs()
    {
        // Identity embedding of 3-vectors; three orthonormal support examples of classes 0, 1, 0 and λ = 0.5 give
        // W = Xᵀ(I + 0.5I)⁻¹Y = XᵀY/1.5, so a query q scores α·(q·XᵀY)/1.5 + β.
        var network = Identity(new RidgeRegressionOptions { InitialLambda = 0.5, InitialScale = 4 });
        var support = Examples.Classification(Tensor.FromArray(new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, 3, 3), [0, 1, 0]);
        var queries = Tensor.FromArray(new double[] { 2, 1, 0, 0, -1, 3 }, 2, 3);
        var learner = network.CreateLearner();
        learner.Condition(support);
        var scores = learner.Predict(queries).ToDoubleArray();

        double[] expected = [4 * (2 + 0) / 1.5, 4 * 1 / 1.5, 4 * (0 + 3) / 1.5, 4 * -1 / 1.5];
        Assert.Equal(4, network.Scale, 12);
        Assert.Equal(0.5, network.Lambda, 12);
        Assert.Equal(0, network.Bias);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], scores[i], 12);
        }

        var query = Examples.Classification(queries, [0, 1]);
        double loss = network.Loss(new LearningTask(support, query, Meta)).Item();
        double Nll(double own, double other) => -own + Math.Log(Math.Exp(own) + Math.Exp(other));
        Assert.Equal((Nll(expected[0], expected[1]) + Nll(expected[3], expected[2])) / 2, loss, 12);
    }

    [Fact]
    public void EpisodeLossGradientMatchesFiniteDifferences()
    {
        var generator = new Generator(6);
        var network = new RidgeRegressionDiscriminator(Backbones.ConvEmbedding(new Generator(3), blocks: 1, hiddenChannels: 2, dtype: F64));
        ClassificationExamples Set(int perClass) => Examples.Classification(Tensor.RandomNormal(generator, [3 * perClass, 1, 4, 4], dtype: F64), [.. Enumerable.Range(0, 3 * perClass).Select(i => i % 3)]);
        var task = new LearningTask(Set(2), Set(2), Meta);
        var result = GradientChecker.Check(p => network.Loss(task, p), [.. network.Model.Parameters().Select(p => p.Detach().Clone())], order: 1);
        Assert.True(result.Passed, result.Failure);
    }

    [Theory]
    [InlineData(2, 5)]
    [InlineData(4, 3)]
    public void SecondOrderGradientsMatchFiniteDifferencesInBothForms(int perClass, int features)
    {
        var generator = new Generator(8);
        var network = new RidgeRegressionDiscriminator(new Linear(4, features, new Generator(2), dtype: F64), new RidgeRegressionOptions { InitialScale = 2 });
        ClassificationExamples Set(int count) => Examples.Classification(Tensor.RandomNormal(generator, [2 * count, 4], dtype: F64), [.. Enumerable.Range(0, 2 * count).Select(i => i % 2)]);
        var task = new LearningTask(Set(perClass), Set(2), Meta);
        var result = GradientChecker.Check(p => network.Loss(task, p), [.. network.Model.Parameters().Select(p => p.Detach().Clone())], order: 2);
        Assert.True(result.Passed, result.Failure);
    }

    [Fact]
    public void BadUseThrowsNamingTheProblem()
    {
        Assert.Equal("InitialLambda", Assert.Throws<ArgumentOutOfRangeException>(() => new RidgeRegressionOptions { InitialLambda = 0 }).ParamName);
        Assert.Equal("InitialScale", Assert.Throws<ArgumentOutOfRangeException>(() => new RidgeRegressionOptions { InitialScale = double.NaN }).ParamName);
        var network = Identity(new RidgeRegressionOptions());
        var learner = network.CreateLearner();
        Assert.Throws<InvalidOperationException>(() => learner.Predict(Tensor.Zeros([1, 3], F64)));
        var pairs = Examples.Pairs(Tensor.Zeros([2, 3], F64), Tensor.Zeros([2, 3], F64), [true, false]);
        Assert.Equal("support", Assert.Throws<ArgumentException>(() => learner.Condition(pairs)).ParamName);
        var twoWays = Examples.Classification(Tensor.Ones([2, 3], F64), [0, 1]);
        var threeWays = Examples.Classification(Tensor.Ones([3, 3], F64), [0, 1, 2]);
        Assert.Equal("task", Assert.Throws<ArgumentException>(() => network.Loss(new LearningTask(twoWays, threeWays, Meta))).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => network.Scores(Tensor.Ones([1, 3], F64), Tensor.Ones([2, 3], F64), [0], 1)).ParamName);
        Assert.Equal("queryEmbeddings", Assert.Throws<ArgumentException>(() => network.Scores(Tensor.Ones([1, 2], F64), Tensor.Ones([2, 3], F64), [0, 1], 2)).ParamName);

        var x = Tensor.Ones([3, 2], F64);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => RidgeRegressionDiscriminator.RidgeWeights(Tensor.Ones([3], F64), x, Tensor.Scalar(1, F64))).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => RidgeRegressionDiscriminator.RidgeWeights(x, Tensor.Ones([2, 2], F64), Tensor.Scalar(1, F64))).ParamName);
        Assert.Equal("lambda", Assert.Throws<ArgumentException>(() => RidgeRegressionDiscriminator.RidgeWeights(x, x, Tensor.Scalar(0, F64))).ParamName);
        Assert.Equal("lambda", Assert.Throws<ArgumentException>(() => RidgeRegressionDiscriminator.RidgeWeights(x, x, Tensor.Ones([2], F64))).ParamName);
    }

    /// <summary>An identity embedding of 3-vectors, so the regression can be written by hand.</summary>
    private static RidgeRegressionDiscriminator Identity(RidgeRegressionOptions options)
    {
        var embedding = new Linear(3, 3, new Generator(1), bias: false, dtype: F64);
        embedding.Parameters()[0].CopyFrom(Tensor.FromArray(new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, 3, 3));
        return new RidgeRegressionDiscriminator(embedding, options);
    }
}

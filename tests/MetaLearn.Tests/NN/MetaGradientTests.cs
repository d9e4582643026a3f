using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Tests.NN;

/// <summary>Running modules with swapped (adapted) parameters, the MAML meta-gradient through them, and freezing.</summary>
public class MetaGradientTests
{
    private static ConvNet SmallConvNet(DType dtype = DType.Float64)
        => Backbones.OmniglotConvNet(3, new Generator(21), hiddenChannels: 2, imageSize: 16, dtype: dtype);

    [Fact]
    public void SwappedParametersAreUsedAndDifferentiated()
    {
        var model = SmallConvNet();
        var x = NNTestData.Uniform(1, [2, 1, 16, 16]);
        var other = model.Parameters().Select((p, i) => NNTestData.Uniform((ulong)(100 + i), [.. p.Shape], -0.5, 0.5)).ToArray();

        // The swapped parameters change the output; the module's own are untouched and get no gradient.
        var own = model.Forward(x).ToDoubleArray();
        var swapped = model.Forward(x, other);
        Assert.NotEqual(own, swapped.ToDoubleArray());
        foreach (var t in other)
        {
            t.RequiresGrad = true;
        }

        var grads = Autograd.Grad(model.Forward(x, other).Square().Sum(), [.. other, .. model.Parameters()], allowUnused: true);
        Assert.All(grads.Take(other.Length), g => Assert.NotNull(g));
        Assert.All(grads.Skip(other.Length), g => Assert.Null(g));

        NNTestData.AssertGradients("conv net with swapped parameters", p => model.Forward(x, p), other);
    }

    [Fact]
    public void MetaGradientFlowsBackThroughAdaptedParameters()
    {
        // θ' = θ − α∇L_support(θ) with the inner gradient recorded (createGraph), then L_query(θ') differentiated w.r.t. θ:
        // the second-order MAML gradient, checked against finite differences of the whole two-step computation.
        var model = Backbones.Mlp([2, 5, 1], ActivationKind.Tanh, new Generator(31), DType.Float64);
        var xs = NNTestData.Uniform(2, [6, 2]);
        var ys = NNTestData.Uniform(3, [6, 1]);
        var xq = NNTestData.Uniform(4, [5, 2]);
        var yq = NNTestData.Uniform(5, [5, 1]);
        const double alpha = 0.4;

        Tensor MetaLoss(Tensor[] theta)
        {
            var support = Losses.MeanSquaredError(model.Forward(xs, theta), ys);
            var g = Autograd.Grad(support, theta, createGraph: true);
            var adapted = theta.Select((p, i) => p - (g[i]! * alpha)).ToArray();
            return Losses.MeanSquaredError(model.Forward(xq, adapted), yq);
        }

        NNTestData.AssertGradients("MAML meta-gradient", MetaLoss, model.Parameters(), order: 2);

        // The meta-gradient really contains the second-order term: it differs from the first-order approximation ∇L_q(θ').
        var theta = model.Parameters().ToArray();
        var exact = Autograd.Grad(MetaLoss(theta), theta);
        var support = Losses.MeanSquaredError(model.Forward(xs, theta), ys);
        var g1 = Autograd.Grad(support, theta);
        var adapted = theta.Select((p, i) => (p - (g1[i]! * alpha)).Detach()).ToArray();
        foreach (var a in adapted)
        {
            a.RequiresGrad = true;
        }

        var firstOrder = Autograd.Grad(Losses.MeanSquaredError(model.Forward(xq, adapted), yq), adapted);
        double difference = exact.Zip(firstOrder).Sum(pair => (pair.First! - pair.Second!).Abs().Sum().Item());
        Assert.True(difference > 1e-4, $"second-order term vanished ({difference})");
    }

    [Fact]
    public void ParametersOutsideTheTrainedSelectionStayAsTheyAre()
    {
        // Freezing is the learner's choice of parameters, not a flag on the model's tensors.
        var model = SmallConvNet(DType.Float32);
        var before = model.Parameters().Select(p => p.ToArray()).ToArray();
        var maml = new MetaLearn.MetaLearning.Maml(model, MetaLearn.MetaLearning.TaskLosses.CrossEntropy, new MetaLearn.MetaLearning.MamlOptions
        {
            InnerLearningRate = 0.1,
            Trained = MetaLearn.MetaLearning.ParameterSelection.All.Except(MetaLearn.MetaLearning.ParameterSelection.WithPrefix(ConvNet.FeaturesPrefix)),
        });
        Assert.Equal(model.Parameters().Count - model.HeadParameterStart, maml.MetaParameters.Count);
        var x = NNTestData.Uniform(6, [3, 1, 16, 16], dtype: DType.Float32);
        var task = new MetaLearn.Data.LearningTask(MetaLearn.Data.Examples.Classification(x, [0, 1, 2]), MetaLearn.Data.Examples.Classification(x, [0, 1, 2]), new MetaLearn.Data.TaskMetadata("t", new Dictionary<string, double>()));
        maml.MetaStep([task]);
        var parameters = model.Parameters();
        for (int i = 0; i < parameters.Count; i++)
        {
            Assert.True(parameters[i].RequiresGrad);
            if (i < model.HeadParameterStart)
            {
                Assert.Equal(before[i], parameters[i].ToArray());
            }
            else
            {
                Assert.NotEqual(before[i], parameters[i].ToArray());
            }
        }
    }

    [Fact]
    public void HeadOnlyAdaptationKeepsTheBody()
    {
        // ANIL: adapt only [HeadParameterStart, HeadParameterStart + HeadParameterCount) and reuse the body tensors.
        var model = SmallConvNet(DType.Float32);
        var x = NNTestData.Uniform(7, [3, 1, 16, 16], dtype: DType.Float32);
        var parameters = model.Parameters();
        var head = parameters.Skip(model.HeadParameterStart).Take(model.HeadParameterCount).ToArray();
        var grads = Autograd.Grad(Losses.CrossEntropy(model.Forward(x), [0, 1, 2]), head);
        var adapted = parameters.Take(model.HeadParameterStart).Concat(head.Select((p, i) => p - (grads[i]! * 0.5))).ToArray();
        var before = Losses.CrossEntropy(model.Forward(x), [0, 1, 2]).Item();
        var after = Losses.CrossEntropy(model.Forward(x, adapted), [0, 1, 2]).Item();
        Assert.True(after < before, $"head step did not reduce the loss: {before} → {after}");
        Assert.Equal(2, model.HeadParameterCount);
        Assert.Equal("classifier.weight", model.NamedParameters()[model.HeadParameterStart].Name);
    }
}

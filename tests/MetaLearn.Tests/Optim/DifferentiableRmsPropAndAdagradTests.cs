using MetaLearn.Optim;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Tests.Optim;

/// <summary>
/// RMSprop and Adagrad as differentiable inner steps: second derivatives through two steps against finite differences,
/// and three steps against a scalar transcription of PyTorch's update rules (torch.optim.RMSprop, torch.optim.Adagrad).
/// </summary>
public class DifferentiableRmsPropAndAdagradTests
{
    public static TheoryData<string> Kinds() => ["rmsprop", "rmsprop-momentum", "rmsprop-centered", "adagrad", "adagrad-decay"];

    private static IDifferentiableOptimizer Create(string kind) => kind switch
    {
        "rmsprop" => new DifferentiableRmsProp(0.05, alpha: 0.9, epsilon: 1e-3),
        "rmsprop-momentum" => new DifferentiableRmsProp(0.05, alpha: 0.9, epsilon: 1e-3, weightDecay: 0.02, momentum: 0.8),
        "rmsprop-centered" => new DifferentiableRmsProp(0.05, alpha: 0.9, epsilon: 1e-3, weightDecay: 0.02, momentum: 0.5, centered: true),
        "adagrad" => new DifferentiableAdagrad(0.2, epsilon: 1e-3),
        _ => new DifferentiableAdagrad(0.2, learningRateDecay: 0.3, weightDecay: 0.05, initialAccumulatorValue: 0.1, epsilon: 1e-3),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SecondOrderGradientsThroughTwoStepsMatchFiniteDifferences(string kind)
    {
        var initial = DifferentiableOptimizerTests.InitialParameters();
        var result = GradientChecker.Check(x => DifferentiableOptimizerTests.LossAfterSteps(Create(kind), x, 2), initial, order: 2);
        Assert.True(result.Passed, result.Failure);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void StepsFollowPyTorchsUpdateRule(string kind)
    {
        // Three steps with fixed gradients; parameter 1 has none at the second step, so its counts and buffers pause.
        double[][][] gradients =
        [
            [[0.5, -1.0, 0.2, 0.3, -0.4, 0.9], [0.1, -0.2]],
            [[0.25, 2.0, -0.6, 0.1, 0.7, -0.3], []],
            [[-1.0, 0.5, 0.4, -0.2, 0.3, 0.8], [0.3, 0.6]],
        ];
        var rule = Create(kind);
        Tensor[] theta = DifferentiableOptimizerTests.InitialParameters();
        var expected = theta.Select(t => t.ToDoubleArray()).ToArray();
        var references = expected.Select(e => new ScalarReference(rule, e.Length)).ToArray();
        var state = rule.Init(theta);
        foreach (var step in gradients)
        {
            var g = new Tensor?[2];
            for (int i = 0; i < 2; i++)
            {
                if (step[i].Length > 0)
                {
                    g[i] = Tensor.FromArray(step[i], [.. theta[i].Shape]);
                    references[i].Step(expected[i], step[i]);
                }
            }

            (theta, state) = rule.Step(theta, g, state);
        }

        for (int i = 0; i < 2; i++)
        {
            OptimTestHelpers.Near(expected[i], theta[i].ToDoubleArray(), 1e-12);
        }

        Assert.Equal([3L, 2L], state.Steps);
    }

    [Fact]
    public void GradientFlowsThroughTheRunningAverages()
    {
        // The second step's denominator depends on the first gradient through v (or s): detaching the state between
        // the steps must change dL/dθ₀.
        foreach (var rule in new IDifferentiableOptimizer[] { new DifferentiableRmsProp(0.05, alpha: 0.9), new DifferentiableAdagrad(0.2) })
        {
            var initial = DifferentiableOptimizerTests.InitialParameters();
            foreach (var p in initial)
            {
                p.RequiresGrad = true;
            }

            double[] Run(bool detach)
            {
                IReadOnlyList<Tensor> theta = initial;
                var state = rule.Init(theta);
                for (int k = 0; k < 2; k++)
                {
                    (theta, state) = rule.Step(theta, Autograd.Grad(DifferentiableOptimizerTests.Loss(theta), theta, createGraph: true), state);
                    state = detach ? state.Detach() : state;
                }

                return Autograd.Grad(DifferentiableOptimizerTests.Loss(theta), initial)[0]!.ToDoubleArray();
            }

            Assert.True(Run(false).Zip(Run(true)).Max(pair => Math.Abs(pair.First - pair.Second)) > 1e-5, rule.GetType().Name);
        }
    }

    [Fact]
    public void AZeroMomentGivesTheUpdatesTrueDerivativeNotNaN()
    {
        // L = Σθ², so g = 2θ and element 0 (θ = 0) has g = 0 and a zero moment. Each rule's update there is
        // α·d/(k|d| + ε) for some k, whose derivative at d = 0 is α/ε: dθ'₀/dθ₀ = 1 − 2α/ε. A plain √ gives ∞·0 = NaN.
        const double rate = 0.1, epsilon = 0.5;
        foreach (var rule in new IDifferentiableOptimizer[] { new DifferentiableRmsProp(rate, epsilon: epsilon), new DifferentiableAdagrad(rate, epsilon: epsilon), new DifferentiableAdam(rate, epsilon: epsilon) })
        {
            var theta = Tensor.FromArray([0.0, 0.5]);
            theta.RequiresGrad = true;
            var gradient = Autograd.Grad(theta.Square().Sum(), [theta], createGraph: true);
            var (next, _) = rule.Step([theta], gradient, rule.Init([theta]));
            var slope = Autograd.Grad(next[0].Sum(), [theta])[0]!.ToDoubleArray();
            Assert.Equal(1 - (2 * rate / epsilon), slope[0], 12);
            Assert.True(double.IsFinite(slope[1]), rule.GetType().Name);
        }
    }

    [Fact]
    public void BadSettingsAreRejectedByName()
    {
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new DifferentiableRmsProp(-1)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new DifferentiableRmsProp(alpha: 1)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new DifferentiableRmsProp(epsilon: 0)).ParamName);
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new DifferentiableRmsProp(momentum: double.NaN)).ParamName);
        Assert.Equal("learningRateDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new DifferentiableAdagrad(learningRateDecay: -0.1)).ParamName);
        Assert.Equal("initialAccumulatorValue", Assert.Throws<ArgumentOutOfRangeException>(() => new DifferentiableAdagrad(initialAccumulatorValue: -1)).ParamName);
        var theta = DifferentiableOptimizerTests.InitialParameters();
        var centered = new DifferentiableRmsProp(centered: true);
        Assert.Equal("state", Assert.Throws<ArgumentException>(() => centered.Step(theta, [null, null], new DifferentiableRmsProp().Init(theta))).ParamName);
    }

    /// <summary>PyTorch's loops for one parameter, element by element in double (the _single_tensor_ paths of torch/optim).</summary>
    private sealed class ScalarReference(IDifferentiableOptimizer rule, int size)
    {
        private readonly double[] _square = new double[size];
        private readonly double[] _mean = new double[size];
        private readonly double[] _buffer = new double[size];
        private readonly double[] _sum = Enumerable.Repeat(rule is DifferentiableAdagrad a ? a.InitialAccumulatorValue : 0, size).ToArray();
        private long _step;

        public void Step(double[] theta, double[] gradient)
        {
            _step++;
            for (int j = 0; j < theta.Length; j++)
            {
                switch (rule)
                {
                    case DifferentiableRmsProp r:
                        double d = gradient[j] + (r.WeightDecay * theta[j]);
                        _square[j] = (r.Alpha * _square[j]) + ((1 - r.Alpha) * d * d);
                        double average;
                        if (r.Centered)
                        {
                            _mean[j] = (r.Alpha * _mean[j]) + ((1 - r.Alpha) * d);
                            average = Math.Sqrt(_square[j] - (_mean[j] * _mean[j])) + r.Epsilon;
                        }
                        else
                        {
                            average = Math.Sqrt(_square[j]) + r.Epsilon;
                        }

                        if (r.Momentum > 0)
                        {
                            _buffer[j] = (r.Momentum * _buffer[j]) + (d / average);
                            theta[j] -= r.LearningRate * _buffer[j];
                        }
                        else
                        {
                            theta[j] -= r.LearningRate * d / average;
                        }

                        break;
                    case DifferentiableAdagrad a:
                        double e = gradient[j] + (a.WeightDecay * theta[j]);
                        double rate = a.LearningRate / (1 + ((_step - 1) * a.LearningRateDecay));
                        _sum[j] += e * e;
                        theta[j] -= rate * e / (Math.Sqrt(_sum[j]) + a.Epsilon);
                        break;
                }
            }
        }
    }
}

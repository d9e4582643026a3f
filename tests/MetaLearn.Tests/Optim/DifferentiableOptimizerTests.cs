using MetaLearn.Optim;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Tests.Optim;

public class DifferentiableOptimizerTests
{
    private static readonly Tensor Input = Tensor.FromArray([0.5, -1.0, 0.8], 3, 1);
    private static readonly Tensor Target = Tensor.FromArray([0.3, -0.6], 2, 1);

    /// <summary>A small regression loss L(W, b) = Σ(tanh(Wx + b) − y)² + 0.05‖W‖², non-quadratic so every derivative order is non-trivial.</summary>
    internal static Tensor Loss(IReadOnlyList<Tensor> p) =>
        ((Tensor.MatMul(p[0], Input) + p[1]).Tanh() - Target).Square().Sum() + (p[0].Square().Sum() * 0.05);

    internal static Tensor[] InitialParameters() =>
    [
        Tensor.FromArray([0.4, -0.3, 0.2, 0.1, 0.6, -0.5], 2, 3),
        Tensor.FromArray([0.05, -0.1], 2, 1),
    ];

    /// <summary>
    /// The MAML inner loop: k differentiable steps from θ₀ with gradients recorded (createGraph), returning the loss at θₖ
    /// as a function of θ₀.
    /// </summary>
    internal static Tensor LossAfterSteps(IDifferentiableOptimizer optimizer, Tensor[] initial, int steps)
    {
        IReadOnlyList<Tensor> theta = initial;
        var state = optimizer.Init(initial);
        for (int k = 0; k < steps; k++)
        {
            var gradients = Autograd.Grad(Loss(theta), theta, createGraph: true);
            (theta, state) = optimizer.Step(theta, gradients, state);
        }

        return Loss(theta);
    }

    public static TheoryData<string> Kinds() => ["sgd", "nesterov", "adam", "adamw"];

    /// <summary>The differentiable rule and the in-place optimizer with the same update.</summary>
    private static (IDifferentiableOptimizer Rule, Optimizer InPlace) Create(string kind, IReadOnlyList<Tensor> parameters) => kind switch
    {
        "sgd" => (new DifferentiableSgd(0.3, momentum: 0.9, weightDecay: 0.01), new Sgd(parameters, 0.3, momentum: 0.9, weightDecay: 0.01)),
        "nesterov" => (new DifferentiableSgd(0.3, momentum: 0.9, nesterov: true, weightDecay: 0.02), new Sgd(parameters, 0.3, momentum: 0.9, nesterov: true, weightDecay: 0.02)),
        "adam" => (new DifferentiableAdam(0.1, beta1: 0.8, beta2: 0.9, epsilon: 1e-3, weightDecay: 0.05), new Adam(parameters, 0.1, beta1: 0.8, beta2: 0.9, epsilon: 1e-3, weightDecay: 0.05)),
        _ => (new DifferentiableAdam(0.1, beta1: 0.8, beta2: 0.9, epsilon: 1e-3, weightDecay: 0.1, decoupledWeightDecay: true), new AdamW(parameters, 0.1, beta1: 0.8, beta2: 0.9, epsilon: 1e-3, weightDecay: 0.1)),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SecondOrderGradientsThroughTwoStepsMatchFiniteDifferences(string kind)
    {
        var initial = InitialParameters();
        var (rule, _) = Create(kind, initial);
        var result = GradientChecker.Check(x => LossAfterSteps(rule, x, 2), initial, order: 2);
        Assert.True(result.Passed, result.Failure);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void DifferentiableStepsMatchInPlaceSteps(string kind)
    {
        // Three steps with fixed gradients; parameter 1 has no gradient at the second step.
        double[][][] gradients =
        [
            [[0.5, -1.0, 0.2, 0.3, -0.4, 0.9], [0.1, -0.2]],
            [[0.25, 2.0, -0.6, 0.1, 0.7, -0.3], []],
            [[-1.0, 0.5, 0.4, -0.2, 0.3, 0.8], [0.3, 0.6]],
        ];
        var live = InitialParameters();
        foreach (var p in live)
        {
            p.RequiresGrad = true;
        }

        var (functional, inPlace) = Create(kind, live);
        Tensor[] theta = InitialParameters();
        var state = functional.Init(theta);
        foreach (var step in gradients)
        {
            var g = new Tensor?[2];
            for (int i = 0; i < 2; i++)
            {
                g[i] = step[i].Length == 0 ? null : Tensor.FromArray(step[i], [.. live[i].Shape]);
            }

            inPlace.Step(g);
            (theta, state) = functional.Step(theta, g, state);
        }

        for (int i = 0; i < 2; i++)
        {
            OptimTestHelpers.Near(live[i].ToDoubleArray(), theta[i].ToDoubleArray(), 1e-12);
            Assert.Equal(inPlace.ParameterStepCount(i), state.Steps[i]);
        }
    }

    [Fact]
    public void GradientFlowsThroughMomentumHistory()
    {
        // With momentum, θ₂ depends on g₁ through the buffer; detaching the state cuts that path and changes dL/dθ₀.
        var initial = InitialParameters();
        foreach (var p in initial)
        {
            p.RequiresGrad = true;
        }

        var sgd = new DifferentiableSgd(0.3, momentum: 0.9);
        Tensor[] Run(bool detach)
        {
            IReadOnlyList<Tensor> theta = initial;
            var state = sgd.Init(theta);
            for (int k = 0; k < 2; k++)
            {
                (theta, state) = sgd.Step(theta, Autograd.Grad(Loss(theta), theta, createGraph: true), state);
                state = detach ? state.Detach() : state;
            }

            return [.. Autograd.Grad(Loss(theta), initial).Select(g => g!)];
        }

        var full = Run(detach: false)[0].ToDoubleArray();
        var truncated = Run(detach: true)[0].ToDoubleArray();
        Assert.True(full.Zip(truncated).Max(pair => Math.Abs(pair.First - pair.Second)) > 1e-4);
    }

    [Fact]
    public void NullGradientKeepsParameterAndState()
    {
        var theta = InitialParameters();
        var adam = new DifferentiableAdam(0.1);
        var state = adam.Init(theta);
        var (next, nextState) = adam.Step(theta, [Tensor.Ones([2, 3], DType.Float64), null], state);

        Assert.Same(theta[1], next[1]);
        Assert.NotSame(theta[0], next[0]);
        Assert.Equal([1L, 0L], nextState.Steps);
        Assert.Null(nextState.Buffer(Adam.FirstMomentName)[1]);
        Assert.NotNull(nextState.Buffer(Adam.SecondMomentName)[0]);
        Assert.Equal([0L, 0L], state.Steps);
    }

    [Fact]
    public void PlainStepIsBitIdenticalToTheComposition()
    {
        var theta = InitialParameters();
        var g = new Tensor?[] { Tensor.FromArray([0.3, -0.7, 1.1, 0.01, 5.5, -2.25], 2, 3), null };
        var sgd = new DifferentiableSgd(0.25);
        var (stepped, state) = sgd.Step(theta, g, sgd.Init(theta));

        Assert.Empty(state.BufferNames);
        Assert.Same(theta[1], stepped[1]);
        Assert.Equal((theta[0] - (g[0]! * 0.25)).ToDoubleArray(), stepped[0].ToDoubleArray());
    }

    [Fact]
    public void StepLearningRatesFollowEachParametersStepCount()
    {
        // Step k uses rate k; past the end the last rate repeats; a state carried over continues the schedule.
        var theta = new[] { Tensor.FromArray([1.0]) };
        var g = new Tensor?[] { Tensor.FromArray([1.0]) };
        var sgd = new DifferentiableSgd(99).WithStepLearningRates([0.5, 0.25]);
        var state = sgd.Init(theta);
        double[] expected = [0.5, 0.25, 0.25];
        double value = 1;
        foreach (double rate in expected)
        {
            (var next, state) = sgd.Step(theta, g, state);
            value -= rate;
            Assert.Equal(value, next[0].Item(), 15);
            theta = next;
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.WithStepLearningRates([0.1, -0.1]));
        Assert.Throws<ArgumentException>(() => sgd.WithStepLearningRates([]));
    }

    [Fact]
    public void LearnedRatesAreDifferentiable()
    {
        // Meta-SGD: θ' = θ − α⊙g; d(Σθ')/dα = −g.
        var theta = new[] { Tensor.FromArray([1.0, 2.0]) };
        var rate = Tensor.FromArray([0.1, 0.2]);
        rate.RequiresGrad = true;
        var g = Tensor.FromArray([3.0, -4.0]);
        var sgd = new DifferentiableSgd(0).WithLearnedLearningRates([rate]);
        var (next, _) = sgd.Step(theta, [g], sgd.Init(theta));
        Assert.Equal([1 - 0.3, 2 + 0.8], next[0].ToDoubleArray());
        Assert.Equal([-3.0, 4.0], Autograd.Grad(next[0].Sum(), [rate])[0]!.ToDoubleArray());
    }

    [Fact]
    public void MismatchedArgumentsAreRejected()
    {
        var theta = InitialParameters();
        var adam = new DifferentiableAdam();
        var sgd = new DifferentiableSgd(0.1, momentum: 0.9);
        var state = adam.Init(theta);

        Assert.Equal("gradients", Assert.Throws<ArgumentException>(() => adam.Step(theta, [null], state)).ParamName);
        Assert.Equal("gradients", Assert.Throws<ArgumentException>(() => adam.Step(theta, [Tensor.Ones([3, 2], DType.Float64), null], state)).ParamName);
        Assert.Equal("gradients", Assert.Throws<ArgumentException>(() => adam.Step(theta, [Tensor.Ones(2, 3), null], state)).ParamName);
        Assert.Equal("state", Assert.Throws<ArgumentException>(() => adam.Step(theta, [null, null], sgd.Init(theta))).ParamName);
        Assert.Equal("state", Assert.Throws<ArgumentException>(() => sgd.Step(theta, [null, null], sgd.Init([theta[0]]))).ParamName);
        Assert.Throws<KeyNotFoundException>(() => state.Buffer("momentum_buffer"));
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new DifferentiableSgd(double.NaN)).ParamName);
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new DifferentiableSgd(0.1, momentum: -1)).ParamName);
        Assert.Equal("nesterov", Assert.Throws<ArgumentException>(() => new DifferentiableSgd(0.1, nesterov: true)).ParamName);
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new DifferentiableAdam(beta1: 1)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new DifferentiableAdam(epsilon: 0)).ParamName);
    }
}

using MetaLearn.Optim;
using MetaLearn.Tensors;
using static MetaLearn.Tests.Optim.OptimTestHelpers;

namespace MetaLearn.Tests.Optim;

public class SgdTests
{
    private const double Lr = 0.1;

    // Three fixed gradients for a two-element parameter starting at (1, −2).
    private static readonly double[][] Gradients = [[0.5, -1.0], [0.25, 2.0], [-1.0, 0.5]];
    private static readonly double[] Start = [1.0, -2.0];

    /// <summary>
    /// The PyTorch SGD update written out per element: d = g + λθ; b = d on the first step, else b = μb + (1−τ)d;
    /// d = d + μb (Nesterov) or b; θ ← θ − αd.
    /// </summary>
    private static double[] Reference(int steps, double momentum, double dampening, bool nesterov, double weightDecay)
    {
        double[] theta = [.. Start];
        double[] buffer = new double[theta.Length];
        for (int t = 0; t < steps; t++)
        {
            for (int j = 0; j < theta.Length; j++)
            {
                double d = Gradients[t][j] + (weightDecay * theta[j]);
                if (momentum != 0)
                {
                    buffer[j] = t == 0 ? d : (momentum * buffer[j]) + ((1 - dampening) * d);
                    d = nesterov ? d + (momentum * buffer[j]) : buffer[j];
                }

                theta[j] -= Lr * d;
            }
        }

        return theta;
    }

    private static double[] Run(int steps, double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
    {
        var p = Parameter(Start);
        var sgd = new Sgd([p], Lr, momentum, nesterov, weightDecay, dampening);
        for (int t = 0; t < steps; t++)
        {
            p.Grad = Grad(Gradients[t]);
            sgd.Step();
        }

        Assert.Equal(steps, sgd.StepCount);
        return p.ToDoubleArray();
    }

    [Fact]
    public void PlainSgdMatchesHandComputedValues()
    {
        // θ₁ = (1 − 0.05, −2 + 0.1) = (0.95, −1.9); θ₂ = (0.925, −2.1); θ₃ = (1.025, −2.15).
        Near([0.95, -1.9], Run(1));
        Near([1.025, -2.15], Run(3));
        Near(Reference(3, 0, 0, false, 0), Run(3));
    }

    [Fact]
    public void MomentumMatchesHandComputedValues()
    {
        // b₁ = g₁ = (0.5, −1); b₂ = 0.9·b₁ + g₂ = (0.7, 1.1); θ₂ = θ₀ − 0.1(b₁ + b₂) = (0.88, −2.01).
        Near([0.88, -2.01], Run(2, momentum: 0.9));
        Near(Reference(3, 0.9, 0, false, 0), Run(3, momentum: 0.9));
    }

    [Fact]
    public void DampeningScalesNewGradientsButNotTheFirst()
    {
        // b₁ = g₁ (no dampening on the first step); b₂ = 0.9·b₁ + 0.5·g₂ = (0.575, 0.1).
        Near([1 - (0.1 * 0.5) - (0.1 * 0.575), -2 + 0.1 - (0.1 * 0.1)], Run(2, momentum: 0.9, dampening: 0.5));
        Near(Reference(3, 0.9, 0.5, false, 0), Run(3, momentum: 0.9, dampening: 0.5));
    }

    [Fact]
    public void NesterovMatchesHandComputedValues()
    {
        // Step 1: b = g₁, d = g₁ + 0.9g₁ = 1.9g₁ → θ₁ = (0.905, −1.81).
        Near([0.905, -1.81], Run(1, momentum: 0.9, nesterov: true));
        Near(Reference(3, 0.9, 0, true, 0), Run(3, momentum: 0.9, nesterov: true));
    }

    [Fact]
    public void WeightDecayAddsL2TermToGradient()
    {
        // d = g₁ + 0.01θ₀ = (0.51, −1.02) → θ₁ = (0.949, −1.898).
        Near([0.949, -1.898], Run(1, weightDecay: 0.01));
        Near(Reference(3, 0.9, 0, true, 0.01), Run(3, momentum: 0.9, nesterov: true, weightDecay: 0.01));
    }

    [Fact]
    public void Float32ParametersAreUpdatedLikeFloat64()
    {
        var p = Parameter32(1f, -2f);
        var sgd = new Sgd([p], Lr, momentum: 0.9);
        for (int t = 0; t < 3; t++)
        {
            p.Grad = Tensor.FromArray(Array.ConvertAll(Gradients[t], x => (float)x), 2);
            sgd.Step();
        }

        Near(Reference(3, 0.9, 0, false, 0), p.ToDoubleArray(), 1e-6);
    }

    [Fact]
    public void FrozenAndGradientlessParametersAreUntouched()
    {
        var trained = Parameter(Start);
        var frozen = Parameter(3.0, 4.0);
        frozen.RequiresGrad = false;
        var unused = Parameter(5.0, 6.0);
        var sgd = new Sgd([trained, frozen, unused], Lr, momentum: 0.9);
        trained.Grad = Grad(Gradients[0]);
        frozen.Grad = Grad(1.0, 1.0);
        sgd.Step();

        Assert.Equal([3.0, 4.0], frozen.ToDoubleArray());
        Assert.Equal([5.0, 6.0], unused.ToDoubleArray());
        Assert.Equal(0, sgd.ParameterStepCount(1));
        Assert.Equal(0, sgd.ParameterStepCount(2));
        Assert.Equal(1, sgd.ParameterStepCount(0));
        Assert.Equal(new double[2], sgd.MomentumBuffers[2]);
    }

    [Fact]
    public void MomentumBufferStartsAtTheParametersOwnFirstUpdate()
    {
        // The second parameter first gets a gradient at global step 2: its buffer must be initialised to that gradient
        // (PyTorch's lazy state), not decayed from zero.
        var a = Parameter(0.0);
        var b = Parameter(1.0);
        var sgd = new Sgd([a, b], Lr, momentum: 0.9, dampening: 0.5);
        a.Grad = Grad(1.0);
        sgd.Step();
        b.Grad = Grad(2.0);
        sgd.Step();

        Assert.Equal(1.0 - (0.1 * 2.0), b.ToDoubleArray()[0], 12);
        Assert.Equal(1, sgd.ParameterStepCount(1));
    }

    [Fact]
    public void ZeroGradClearsGradients()
    {
        var p = Parameter(Start);
        var sgd = new Sgd([p], Lr);
        p.Grad = Grad(Gradients[0]);
        sgd.ZeroGrad();
        sgd.Step();
        Assert.Null(p.Grad);
        Assert.Equal(Start, p.ToDoubleArray());
    }

    [Fact]
    public void StepAllocatesNothing()
    {
        var p = Parameter32(new float[256]);
        var sgd = new Sgd([p], Lr, momentum: 0.9, nesterov: true, weightDecay: 0.01);
        p.Grad = Tensor.Ones(256);
        sgd.Step();
        sgd.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        sgd.Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Only the no-grad scope may box; the per-element update itself must not allocate.
        Assert.True(allocated < 256, $"Step allocated {allocated} bytes.");
    }

    [Fact]
    public void InvalidArgumentsNameTheArgument()
    {
        var p = Parameter(Start);
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], -0.1)).ParamName);
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], double.NaN)).ParamName);
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], Lr, momentum: -0.5)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], Lr, weightDecay: -1)).ParamName);
        Assert.Equal("dampening", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], Lr, momentum: 0.9, dampening: 1.5)).ParamName);
        Assert.Equal("nesterov", Assert.Throws<ArgumentException>(() => new Sgd([p], Lr, nesterov: true)).ParamName);
        Assert.Equal("nesterov", Assert.Throws<ArgumentException>(() => new Sgd([p], Lr, momentum: 0.9, nesterov: true, dampening: 0.1)).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => new Sgd(Array.Empty<Tensor>(), Lr)).ParamName);
        var sgd = new Sgd([p], Lr);
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = -1).ParamName);
    }
}

using MetaLearn.Optim;
using MetaLearn.Tensors;
using static MetaLearn.Tests.Optim.OptimTestHelpers;

namespace MetaLearn.Tests.Optim;

public class AdamTests
{
    private const double Lr = 0.01;
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Eps = 1e-8;

    private static readonly double[][] Gradients = [[0.5, -1.0], [0.25, 2.0], [-1.0, 0.5]];
    private static readonly double[] Start = [1.0, -2.0];

    /// <summary>
    /// Algorithm 1 of Kingma &amp; Ba (2015), with PyTorch's L2 decay (g + λθ) or AdamW's decoupled decay
    /// (θ ← θ − αλθ first, Loshchilov &amp; Hutter 2019, Algorithm 2 with schedule multiplier 1).
    /// </summary>
    private static double[] Reference(int steps, double weightDecay, bool decoupled)
    {
        double[] theta = [.. Start];
        double[] m = new double[2];
        double[] v = new double[2];
        for (int t = 1; t <= steps; t++)
        {
            for (int j = 0; j < 2; j++)
            {
                double g = Gradients[t - 1][j];
                if (decoupled)
                {
                    theta[j] *= 1 - (Lr * weightDecay);
                }
                else
                {
                    g += weightDecay * theta[j];
                }

                m[j] = (Beta1 * m[j]) + ((1 - Beta1) * g);
                v[j] = (Beta2 * v[j]) + ((1 - Beta2) * g * g);
                double mHat = m[j] / (1 - Math.Pow(Beta1, t));
                double vHat = v[j] / (1 - Math.Pow(Beta2, t));
                theta[j] -= Lr * mHat / (Math.Sqrt(vHat) + Eps);
            }
        }

        return theta;
    }

    private static double[] Run(Optimizer optimizer, Tensor p, int steps)
    {
        for (int t = 0; t < steps; t++)
        {
            p.Grad = Grad(Gradients[t]);
            optimizer.Step();
        }

        return p.ToDoubleArray();
    }

    [Fact]
    public void FirstAdamStepMovesEachElementByTheLearningRate()
    {
        // m̂₁ = g, v̂₁ = g², so θ₁ = θ₀ − α·g/(|g| + ε) ≈ θ₀ − α·sign(g).
        var p = Parameter(Start);
        var actual = Run(new Adam([p], Lr, Beta1, Beta2, Eps), p, 1);
        Near([1.0 - (Lr * 0.5 / (0.5 + Eps)), -2.0 + (Lr * 1.0 / (1.0 + Eps))], actual);
    }

    [Fact]
    public void AdamMatchesPublishedAlgorithmOverThreeSteps()
    {
        var p = Parameter(Start);
        Near(Reference(3, 0, decoupled: false), Run(new Adam([p], Lr, Beta1, Beta2, Eps), p, 3));
    }

    [Fact]
    public void AdamWithL2WeightDecayMatchesReference()
    {
        var p = Parameter(Start);
        Near(Reference(3, 0.1, decoupled: false), Run(new Adam([p], Lr, Beta1, Beta2, Eps, weightDecay: 0.1), p, 3));
    }

    [Fact]
    public void AdamWDecouplesWeightDecay()
    {
        var p = Parameter(Start);
        var actual = Run(new AdamW([p], Lr, Beta1, Beta2, Eps, weightDecay: 0.1), p, 3);
        Near(Reference(3, 0.1, decoupled: true), actual);

        // Decoupled and L2 decay really differ.
        Assert.True(Math.Abs(Reference(3, 0.1, decoupled: false)[0] - actual[0]) > 1e-6);
    }

    [Fact]
    public void AdamWWithZeroGradientOnlyShrinksTheWeights()
    {
        // g = 0 keeps m = v = 0, so the only change is θ ← (1 − αλ)θ.
        var p = Parameter(Start);
        var adamW = new AdamW([p], Lr, weightDecay: 0.5);
        p.Grad = Grad(0.0, 0.0);
        adamW.Step();
        Near([1.0 * (1 - (Lr * 0.5)), -2.0 * (1 - (Lr * 0.5))], p.ToDoubleArray());
    }

    [Fact]
    public void Float32ParametersMatchReference()
    {
        var p = Parameter32(1f, -2f);
        var adam = new Adam([p], Lr, Beta1, Beta2, Eps);
        for (int t = 0; t < 3; t++)
        {
            p.Grad = Tensor.FromArray(Array.ConvertAll(Gradients[t], x => (float)x), 2);
            adam.Step();
        }

        Near(Reference(3, 0, decoupled: false), p.ToDoubleArray(), 1e-6);
    }

    /// <summary>
    /// Parameters long enough for the vector path (several blocks, and a remainder for the scalar loop) get, element by element,
    /// exactly the bits of the scalar formula in the documented operation order, in both precisions and both kinds of decay.
    /// </summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void VectorUpdateMatchesTheScalarFormulaBitForBit(bool singlePrecision, bool decoupled)
    {
        const int Length = 1003;
        const double Decay = 0.05;
        var random = new Random(11);
        double[] start = [.. Enumerable.Range(0, Length).Select(_ => (random.NextDouble() * 2) - 1)];
        double[][] gradients = [.. Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, Length).Select(_ => (random.NextDouble() * 2) - 1).ToArray())];
        var p = singlePrecision ? Parameter32([.. start.Select(x => (float)x)]) : Parameter([.. start]);
        Adam adam = decoupled ? new AdamW([p], Lr, Beta1, Beta2, Eps, Decay) : new Adam([p], Lr, Beta1, Beta2, Eps, Decay);
        double[] theta = singlePrecision ? [.. start.Select(x => (double)(float)x)] : [.. start];
        double[] m = new double[Length];
        double[] v = new double[Length];
        for (int t = 1; t <= gradients.Length; t++)
        {
            double[] g = singlePrecision ? [.. gradients[t - 1].Select(x => (double)(float)x)] : gradients[t - 1];
            p.Grad = singlePrecision ? Tensor.FromArray(gradients[t - 1].Select(x => (float)x).ToArray(), Length) : Grad(gradients[t - 1]);
            adam.Step();
            double stepSize = Lr / (1 - Math.Pow(Beta1, t));
            double correction2 = 1 - Math.Pow(Beta2, t);
            for (int j = 0; j < Length; j++)
            {
                double gj = g[j];
                if (decoupled)
                {
                    theta[j] -= Lr * Decay * theta[j];
                }
                else
                {
                    gj += Decay * theta[j];
                }

                m[j] = (Beta1 * m[j]) + ((1 - Beta1) * gj);
                v[j] = (Beta2 * v[j]) + ((1 - Beta2) * gj * gj);
                theta[j] -= stepSize * m[j] / (Math.Sqrt(v[j] / correction2) + Eps);
                theta[j] = singlePrecision ? (float)theta[j] : theta[j];
            }
        }

        Assert.Equal(theta, p.ToDoubleArray());
    }

    [Fact]
    public void BiasCorrectionCountsEachParametersOwnUpdates()
    {
        // A parameter first updated at global step 3 still takes a full first Adam step of size ≈ α.
        var a = Parameter(0.0);
        var late = Parameter(1.0);
        var adam = new Adam([a, late], Lr);
        a.Grad = Grad(1.0);
        adam.Step();
        adam.Step();
        late.Grad = Grad(0.3);
        adam.Step();

        Assert.Equal(1.0 - (Lr * 0.3 / (0.3 + 1e-8)), late.ToDoubleArray()[0], 12);
        Assert.Equal(3, adam.ParameterStepCount(0));
        Assert.Equal(1, adam.ParameterStepCount(1));
    }

    [Fact]
    public void FrozenAndGradientlessParametersAreUntouched()
    {
        var trained = Parameter(Start);
        var frozen = Parameter(3.0);
        frozen.RequiresGrad = false;
        frozen.Grad = Grad(1.0);
        var unused = Parameter(4.0);
        var adam = new AdamW([trained, frozen, unused], Lr);
        trained.Grad = Grad(Gradients[0]);
        adam.Step();

        Assert.Equal([3.0], frozen.ToDoubleArray());
        Assert.Equal([4.0], unused.ToDoubleArray());
        Assert.Equal([0.0], adam.FirstMoments[1]);
        Assert.Equal([0.0], adam.SecondMoments[2]);
    }

    [Fact]
    public void InvalidArgumentsNameTheArgument()
    {
        var p = Parameter(Start);
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], -1)).ParamName);
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], beta1: 1.0)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], beta2: -0.1)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], epsilon: 0)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([p], weightDecay: -0.01)).ParamName);
    }
}

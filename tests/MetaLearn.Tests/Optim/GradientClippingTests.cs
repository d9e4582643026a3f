using MetaLearn.Optim;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;
using static MetaLearn.Tests.Optim.OptimTestHelpers;

namespace MetaLearn.Tests.Optim;

public class GradientClippingTests
{
    private static Tensor[] WithGradients(out Tensor unused)
    {
        // Joint 2-norm of (3, 4) and (12) is 13; max norm 12; 1-norm 19.
        var a = Parameter(0.0, 0.0);
        var b = Parameter(0.0);
        unused = Parameter(0.0);
        a.Grad = Grad(3.0, 4.0);
        b.Grad = Tensor.FromArray([12f], 1);
        return [a, b, unused];
    }

    private static double Norm(IEnumerable<Tensor?> gradients) =>
        Math.Sqrt(gradients.Where(g => g is not null).SelectMany(g => g!.ToDoubleArray()).Sum(x => x * x));

    [Fact]
    public void ClipByNormScalesToMaxNormWhenAbove()
    {
        var parameters = WithGradients(out var unused);
        double total = GradientClipping.ClipByNorm(parameters, maxNorm: 6.5);

        Assert.Equal(13.0, total, 12);
        Assert.Equal(6.5, Norm(parameters.Select(p => p.Grad)), 5);
        double scale = 6.5 / (13 + 1e-6);
        Near([3 * scale, 4 * scale], parameters[0].Grad!.ToDoubleArray());
        Near([12 * scale], parameters[1].Grad!.ToDoubleArray(), 1e-6);
        Assert.Null(unused.Grad);
    }

    [Fact]
    public void ClipByNormLeavesGradientsBelowTheBound()
    {
        var parameters = WithGradients(out _);
        Assert.Equal(13.0, GradientClipping.ClipByNorm(parameters, maxNorm: 20), 12);
        Assert.Equal([3.0, 4.0], parameters[0].Grad!.ToDoubleArray());
        Assert.Equal([12.0], parameters[1].Grad!.ToDoubleArray());
    }

    [Fact]
    public void ClipByNormSupportsOtherNorms()
    {
        var parameters = WithGradients(out _);
        Assert.Equal(12.0, GradientClipping.ClipByNorm(parameters, maxNorm: 6, normType: double.PositiveInfinity), 12);
        Assert.Equal(6.0, parameters[1].Grad!.ToDoubleArray()[0], 5);

        parameters = WithGradients(out _);
        Assert.Equal(19.0, GradientClipping.ClipByNorm(parameters, maxNorm: 100, normType: 1), 12);
    }

    [Fact]
    public void ClipGradientsByNormReturnsNewTensors()
    {
        Tensor?[] gradients = [Grad(3.0, 4.0), null, Grad(12.0)];
        var (clipped, total) = GradientClipping.ClipGradientsByNorm(gradients, maxNorm: 1.0);

        Assert.Equal(13.0, total, 12);
        Assert.Null(clipped[1]);
        Assert.Equal(1.0, Norm(clipped), 5);
        Assert.Equal([3.0, 4.0], gradients[0]!.ToDoubleArray());

        var (unchanged, _) = GradientClipping.ClipGradientsByNorm(gradients, maxNorm: 50.0);
        Near([3.0, 4.0], unchanged[0]!.ToDoubleArray());
    }

    [Fact]
    public void ClipGradientsByNormIsDifferentiable()
    {
        // x ↦ clip(x) = x·min(1, c/(‖x‖ + δ)), checked where clipping is active (‖x‖ ≈ 2.3 > 1), to second order.
        var x = Tensor.FromArray([1.2, -0.7, 1.5, 0.9], 2, 2);
        GradientChecker.Verify(inputs => GradientClipping.ClipGradientsByNorm([inputs[0]], 1.0).Gradients[0]!, [x], order: 2);
    }

    [Fact]
    public void ClipByValueClampsEachElement()
    {
        var parameters = WithGradients(out _);
        GradientClipping.ClipByValue(parameters, 3.5);
        Assert.Equal([3.0, 3.5], parameters[0].Grad!.ToDoubleArray());
        Assert.Equal([3.5], parameters[1].Grad!.ToDoubleArray());

        var clipped = GradientClipping.ClipGradientsByValue([Grad(-5.0, 0.5), null], 1.0);
        Assert.Equal([-1.0, 0.5], clipped[0]!.ToDoubleArray());
        Assert.Null(clipped[1]);
    }

    [Fact]
    public void InvalidArgumentsNameTheArgument()
    {
        var parameters = WithGradients(out _);
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByNorm(parameters, -1)).ParamName);
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByNorm(parameters, double.NaN)).ParamName);
        Assert.Equal("normType", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByNorm(parameters, 1, 0)).ParamName);
        Assert.Equal("normType", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradientsByNorm([], 1, -2)).ParamName);
        Assert.Equal("clipValue", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByValue(parameters, -0.1)).ParamName);
        Assert.Equal([3.0, 4.0], parameters[0].Grad!.ToDoubleArray());
    }
}

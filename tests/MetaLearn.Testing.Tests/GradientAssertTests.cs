using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Testing;

namespace MetaLearn.Testing.Tests;

public class GradientAssertTests
{
    [Fact]
    public void ACorrectModuleGradientPassesToSecondOrder()
    {
        var model = Backbones.Mlp([3, 4, 2], ActivationKind.Tanh, new Generator(1), DType.Float64);
        var x = Tensor.RandomNormal(new Generator(2), [5, 3], dtype: DType.Float64);
        var y = Tensor.RandomNormal(new Generator(3), [5, 2], dtype: DType.Float64);
        GradientAssert.ModuleGradients(model, p => ((model.Forward(x, p) - y).Square()).Mean(), order: 2);
    }

    [Fact]
    public void AWrongGradientFailsNamingTheInputElementAndBothValues()
    {
        // x · stop_gradient(x) has the value x² but the gradient x instead of 2x: a planted mistake.
        var x = Tensor.FromArray(new double[] { 0.5, -1.5, 2.0, 1.0 }, 2, 2);
        var failure = Assert.Throws<MetaLearnAssertionException>(
            () => GradientAssert.Correct(v => (v[0] * v[0].Detach()).Sum(), [("weights", x)]));
        Assert.Contains("Gradient with respect to weights is wrong at element [0, 0]", failure.Message);
        Assert.Contains("expected 1 ", failure.Message);
        Assert.Contains("actual 0.5 ", failure.Message);
    }

    [Fact]
    public void AWrongModuleGradientNamesTheParameter()
    {
        var model = new Sequential(new Linear(2, 3, new Generator(1), dtype: DType.Float64));
        var x = Tensor.RandomNormal(new Generator(2), [4, 2], dtype: DType.Float64);
        var failure = Assert.Throws<MetaLearnAssertionException>(
            () => GradientAssert.ModuleGradients(model, p => (model.Forward(x, [p[0], p[1].Detach()]).Square()).Sum()));
        Assert.Contains("parameter '0.bias'", failure.Message);
        Assert.Contains("no gradient reached this input", failure.Message);
    }

    [Fact]
    public void AWrongSecondDerivativeIsCaughtAtOrderTwoOnly()
    {
        // f(x) = 3·x̄²·x − 2·x̄³ with x̄ = stop_gradient(x): the value is x³ and the gradient 3x² is right, but the gradient
        // is a constant to the engine, so its derivative (6x) is lost: a mistake only an order-2 check can see.
        var x = Tensor.FromArray(new double[] { 0.7, -0.3 }, 2);
        Func<Tensor, Tensor> f = v => (v.Detach() * v.Detach() * v * 3.0).Sum() - (v.Detach() * v.Detach() * v.Detach() * 2.0).Sum();
        GradientAssert.Correct(f, x, order: 1);
        var failure = Assert.Throws<MetaLearnAssertionException>(() => GradientAssert.Correct(f, x, order: 2));
        Assert.StartsWith("Second derivative", failure.Message);
    }
}

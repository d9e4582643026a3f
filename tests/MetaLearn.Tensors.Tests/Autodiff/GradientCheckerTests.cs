using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Ops;

namespace MetaLearn.Tensors.Tests.Autodiff;

public class GradientCheckerTests
{
    /// <summary>x² whose backward is deliberately wrong at first order (3x instead of 2x).</summary>
    private sealed class WrongSquare(Tensor x) : Node("wrong_square", [x])
    {
        public static Tensor Apply(Tensor x)
        {
            Tensor y;
            using (Tensor.NoGrad())
            {
                y = x * x;
            }

            return GradMode.ShouldRecord(x) ? y.WithNode(new WrongSquare(x)) : y;
        }

        public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = g * Inputs[0] * 3.0;
    }

    /// <summary>x² whose first derivative is right but computed from a detached input, so its second derivative is lost.</summary>
    private sealed class FirstOrderOnlySquare(Tensor x) : Node("first_order_only_square", [x])
    {
        public static Tensor Apply(Tensor x)
        {
            Tensor y;
            using (Tensor.NoGrad())
            {
                y = x * x;
            }

            return GradMode.ShouldRecord(x) ? y.WithNode(new FirstOrderOnlySquare(x)) : y;
        }

        public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = g * Inputs[0].Detach() * 2.0;
    }

    private static Tensor[] Point() => [TestData.Uniform(3, [4], -2, 2)];

    [Fact]
    public void RejectsAWrongFirstDerivative()
    {
        var result = GradientChecker.Check(x => WrongSquare.Apply(x[0]), Point(), order: 1);
        Assert.False(result.Passed);
        Assert.Contains("Order 1", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsAWrongSecondDerivativeOnlyAtOrderTwo()
    {
        Assert.True(GradientChecker.Check(x => FirstOrderOnlySquare.Apply(x[0]), Point(), order: 1).Passed);
        var result = GradientChecker.Check(x => FirstOrderOnlySquare.Apply(x[0]), Point(), order: 2);
        Assert.False(result.Passed);
        Assert.Contains("Order 2", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptsACorrectThirdOrder()
    {
        var result = GradientChecker.Check(x => (x[0] * x[1]).Tanh().Sum(), [TestData.Uniform(1, [3], -1, 1), TestData.Uniform(2, [3], -1, 1)], order: 3);
        Assert.True(result.Passed, result.Failure);
        Assert.True(result.MaxAbsoluteError < 1e-5);
    }

    [Fact]
    public void VerifyThrowsWithTheMismatch()
    {
        var error = Assert.Throws<InvalidOperationException>(() => GradientChecker.Verify(x => WrongSquare.Apply(x[0]), Point(), order: 1));
        Assert.Contains("analytic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequiresDoublePrecision()
    {
        var error = Assert.Throws<ArgumentException>(() => GradientChecker.Check(x => x[0].Sum(), [Tensor.Ones(3)]));
        Assert.Contains("Float64", error.Message, StringComparison.Ordinal);
    }
}

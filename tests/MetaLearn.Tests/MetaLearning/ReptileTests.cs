using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.MetaLearning;

public class ReptileTests
{
    private static LearningTask LinearTask(double[] xs, double[] ys) => new(
        Examples.Regression(Tensor.FromArray(xs, xs.Length, 1), Tensor.FromArray(ys, ys.Length, 1)),
        Examples.Regression(Tensor.FromArray(xs, xs.Length, 1), Tensor.FromArray(ys, ys.Length, 1)),
        new TaskMetadata("linear", new Dictionary<string, double>()));

    /// <summary>k SGD steps on f(x) = w·x with MSE: w ← w − lr·2·mean(x(wx − y)), done by hand.</summary>
    private static double HandSgd(double w, double[] xs, double[] ys, double lr, int steps)
    {
        for (int s = 0; s < steps; s++)
        {
            double g = 2 * xs.Zip(ys).Average(p => p.First * ((w * p.First) - p.Second));
            w -= lr * g;
        }

        return w;
    }

    [Fact]
    public void BatchedUpdateEqualsTheFormula()
    {
        double[] x1 = [1.0, 2.0], y1 = [2.0, 3.0], x2 = [-1.0, 0.5], y2 = [0.5, -2.0];
        var model = new Linear(1, 1, new Generator(4), bias: false, dtype: DType.Float64);
        double theta = model.Parameters()[0].Item();
        var reptile = new Reptile(model, TaskLosses.MeanSquaredError, new ReptileOptions { InnerSteps = 3, InnerLearningRate = 0.05, OuterStepSize = 0.5 });
        reptile.MetaStep([LinearTask(x1, y1), LinearTask(x2, y2)]);

        double phi1 = HandSgd(theta, x1, y1, 0.05, 3);
        double phi2 = HandSgd(theta, x2, y2, 0.05, 3);
        double expected = theta + (0.5 * (((phi1 - theta) + (phi2 - theta)) / 2));
        Assert.Equal(expected, model.Parameters()[0].Item(), 12);
    }

    [Fact]
    public void OnlyTheTrainedSelectionMoves()
    {
        double[] x1 = [1.0, 2.0], y1 = [2.0, 3.0];
        var model = new Linear(1, 1, new Generator(4), bias: true, dtype: DType.Float64);
        double weight = model.Parameters()[0].Item();
        double bias = model.Parameters()[1].Item();
        var reptile = new Reptile(model, TaskLosses.MeanSquaredError, new ReptileOptions { InnerSteps = 2, InnerLearningRate = 0.1, Trained = ParameterSelection.Named("bias") });
        Assert.Single(reptile.MetaParameters);
        reptile.MetaStep([LinearTask(x1, y1)]);
        Assert.Equal(weight, model.Parameters()[0].Item());
        Assert.NotEqual(bias, model.Parameters()[1].Item());
        Assert.True(model.Parameters()[0].RequiresGrad);
        Assert.Throws<ArgumentException>(() => new Reptile(model, TaskLosses.MeanSquaredError, new ReptileOptions { Trained = ParameterSelection.None }));
    }

    [Fact]
    public void OuterStepSizeAnnealsLinearly()
    {
        var model = new Linear(1, 1, new Generator(4), bias: false, dtype: DType.Float64);
        var reptile = new Reptile(model, TaskLosses.MeanSquaredError, new ReptileOptions { OuterStepSize = 1.0, Outer = new OuterLoopOptions { Schedule = new LinearDecay(1.0, 0.0, 4) } });
        var task = LinearTask([1.0], [1.0]);
        reptile.MetaStep([task]);
        Assert.Equal(1.0, reptile.OuterOptimizer.LearningRate, 12);
        reptile.MetaStep([task]);
        Assert.Equal(0.75, reptile.OuterOptimizer.LearningRate, 12);
        for (int i = 0; i < 5; i++)
        {
            reptile.MetaStep([task]);
        }

        Assert.Equal(0.0, reptile.OuterOptimizer.LearningRate, 12);
    }
}

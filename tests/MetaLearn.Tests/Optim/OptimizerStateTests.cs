using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.Optim;

public class OptimizerStateTests
{
    private static readonly int[] TransposedShape = [3, 2];
    private static readonly int[] OneElement = [1];
    private static readonly double[] FractionalStep = [1.5];

    private static Tensor[] MakeParameters(DType dtype)
    {
        var a = Tensor.FromArray([0.3, -1.2, 2.0, 0.7, -0.4, 1.1], 2, 3).AsType(dtype).Detach();
        var b = Tensor.FromArray([0.5, -0.25], 2).AsType(dtype).Detach();
        a.RequiresGrad = true;
        b.RequiresGrad = true;
        return [a, b];
    }

    /// <summary>A deterministic gradient that depends on the parameters and the step: 2(θ − 0.1) + sin(t + j).</summary>
    private static void SetGradients(Tensor[] parameters, long step)
    {
        foreach (var p in parameters)
        {
            var theta = p.ToDoubleArray();
            var g = new double[theta.Length];
            for (int j = 0; j < g.Length; j++)
            {
                g[j] = (2 * (theta[j] - 0.1)) + Math.Sin(step + j);
            }

            p.Grad = Tensor.FromArray(g, [.. p.Shape]).AsType(p.DType).Detach();
        }
    }

    private static void Train(Optimizer optimizer, Tensor[] parameters, int steps)
    {
        var schedule = new CosineAnnealing(0.05, 5);
        for (int i = 0; i < steps; i++)
        {
            schedule.Apply(optimizer);
            SetGradients(parameters, optimizer.StepCount);
            optimizer.Step();
        }
    }

    public static TheoryData<string, DType> Kinds() => new()
    {
        { "sgd", DType.Float64 },
        { "nesterov", DType.Float32 },
        { "adam", DType.Float64 },
        { "adamw", DType.Float32 },
    };

    private static Optimizer Create(string kind, Tensor[] parameters) => kind switch
    {
        "sgd" => new Sgd(parameters, 0.05, momentum: 0.9, dampening: 0.2, weightDecay: 0.01),
        "nesterov" => new Sgd(parameters, 0.05, momentum: 0.8, nesterov: true),
        "adam" => new Adam(parameters, 0.05, weightDecay: 0.01),
        _ => new AdamW(parameters, 0.05, beta1: 0.8, beta2: 0.99),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ResumingFromExportedStateIsBitForBitIdentical(string kind, DType dtype)
    {
        var straight = MakeParameters(dtype);
        Train(Create(kind, straight), straight, 5);

        var first = MakeParameters(dtype);
        var before = Create(kind, first);
        Train(before, first, 3);
        var state = before.ExportState();

        // A fresh optimizer over copies of the parameters, as after loading a checkpoint.
        var resumed = first.Select(p =>
        {
            var copy = p.Clone();
            copy.RequiresGrad = true;
            return copy;
        }).ToArray();
        var after = Create(kind, resumed);
        after.LearningRate = 0.5;
        after.ImportState(state);
        Assert.Equal(3, after.StepCount);
        Assert.Equal(before.LearningRate, after.LearningRate);
        Train(after, resumed, 2);

        for (int i = 0; i < straight.Length; i++)
        {
            Assert.Equal(straight[i].ToDoubleArray(), resumed[i].ToDoubleArray());
        }
    }

    [Fact]
    public void ExportUsesPyTorchStyleNamesAndParameterShapes()
    {
        var parameters = MakeParameters(DType.Float64);
        var adam = new Adam(parameters);
        var names = adam.ExportState().Select(e => e.Name).ToArray();
        Assert.Equal(
            ["step", "learning_rate", "state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq"],
            names);
        var entry = adam.ExportState().Single(e => e.Name == "state.0.exp_avg");
        Assert.Equal([2, 3], entry.Shape);
        Assert.Equal(6, entry.Data.Length);

        Assert.DoesNotContain(new Sgd(parameters, 0.1).ExportState(), e => e.Name.Contains("momentum", StringComparison.Ordinal));
        Assert.Contains(new Sgd(parameters, 0.1, momentum: 0.9).ExportState(), e => e.Name == "state.1.momentum_buffer");
    }

    [Fact]
    public void ExportedStateIsACopy()
    {
        var parameters = MakeParameters(DType.Float64);
        var sgd = new Sgd(parameters, 0.1, momentum: 0.9);
        SetGradients(parameters, 0);
        sgd.Step();
        var state = sgd.ExportState();
        var buffer = state.Single(e => e.Name == "state.1.momentum_buffer").Data;
        double saved = buffer[0];
        buffer[0] = 1e9;
        Assert.Equal(saved, sgd.MomentumBuffers[1][0]);
    }

    [Fact]
    public void ImportRejectsMismatchesNamingTheEntry()
    {
        var parameters = MakeParameters(DType.Float64);
        var adam = new Adam(parameters);
        var good = adam.ExportState();

        var missing = good.Where(e => e.Name != "state.1.exp_avg_sq").ToList();
        Assert.Contains("state.1.exp_avg_sq", Throws(adam, missing).Message, StringComparison.Ordinal);

        var wrongShape = good.Select(e => e.Name == "state.0.exp_avg" ? (e.Name, TransposedShape, e.Data) : e).ToList();
        Assert.Contains("state.0.exp_avg", Throws(adam, wrongShape).Message, StringComparison.Ordinal);

        var wrongLength = good.Select(e => e.Name == "state.1.exp_avg" ? (e.Name, e.Shape, new double[3]) : e).ToList();
        Assert.Contains("state.1.exp_avg", Throws(adam, wrongLength).Message, StringComparison.Ordinal);

        var extra = good.Append(("state.2.exp_avg", OneElement, new double[1])).ToList();
        Assert.Contains("state.2.exp_avg", Throws(adam, extra).Message, StringComparison.Ordinal);

        var duplicate = good.Append(good[0]).ToList();
        Assert.Contains("step", Throws(adam, duplicate).Message, StringComparison.Ordinal);

        var badStep = good.Select(e => e.Name == "state.0.step" ? (e.Name, e.Shape, FractionalStep) : e).ToList();
        Assert.Contains("state.0.step", Throws(adam, badStep).Message, StringComparison.Ordinal);

        var nanMoment = good.Select(e => e.Name == "state.1.exp_avg" ? (e.Name, e.Shape, [0.0, double.NaN]) : e).ToList();
        var nanError = Throws(adam, nanMoment).Message;
        Assert.Contains("state.1.exp_avg", nanError, StringComparison.Ordinal);
        Assert.Contains("NaN at element 1", nanError, StringComparison.Ordinal);

        var infiniteMoment = good.Select(e => e.Name == "state.0.exp_avg_sq" ? (e.Name, e.Shape, e.Data.Select(_ => double.PositiveInfinity).ToArray()) : e).ToList();
        Assert.Contains("state.0.exp_avg_sq", Throws(adam, infiniteMoment).Message, StringComparison.Ordinal);

        // SGD momentum state does not fit Adam.
        var sgdState = new Sgd(parameters, 0.1, momentum: 0.9).ExportState();
        Assert.Contains("exp_avg", Throws(adam, sgdState).Message, StringComparison.Ordinal);

        // Nothing was applied by the failed imports.
        Assert.Equal(0, adam.StepCount);
        Assert.All(adam.FirstMoments, m => Assert.All(m, x => Assert.Equal(0.0, x)));
    }

    private static ArgumentException Throws(Optimizer optimizer, IReadOnlyList<(string Name, int[] Shape, double[] Data)> state)
    {
        var error = Assert.Throws<ArgumentException>(() => optimizer.ImportState(state));
        Assert.Equal("state", error.ParamName);
        return error;
    }
}

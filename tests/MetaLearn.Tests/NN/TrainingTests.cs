using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.NN;

/// <summary>End-to-end: the layers, losses and Adam fit small problems quickly.</summary>
public class TrainingTests
{
    [Fact]
    public void MlpFitsSine()
    {
        const int n = 64;
        var xs = new float[n];
        var ys = new float[n];
        for (int i = 0; i < n; i++)
        {
            xs[i] = -2f + (4f * i / (n - 1));
            ys[i] = MathF.Sin(2 * xs[i]);
        }

        var x = Tensor.FromArray(xs, n, 1);
        var y = Tensor.FromArray(ys, n, 1);
        var model = Backbones.Mlp([1, 40, 40, 1], ActivationKind.Relu, new Generator(1));
        var opt = new Adam(model.Parameters(), 0.01);
        double initial = Losses.MeanSquaredError(model.Forward(x), y).Item();
        for (int step = 0; step < 200; step++)
        {
            opt.ZeroGrad();
            Losses.MeanSquaredError(model.Forward(x), y).Backward();
            opt.Step();
        }

        double final = Losses.MeanSquaredError(model.Forward(x), y).Item();
        Assert.True(initial > 0.3, $"initial MSE {initial}");
        Assert.True(final < 0.01, $"MSE {final}");
    }

    [Fact]
    public void OmniglotConvNetSeparatesSyntheticClasses()
    {
        const int classes = 3;
        const int perClass = 6;
        const int size = 28;
        var generator = new Generator(3);
        var templates = new double[classes][];
        for (int c = 0; c < classes; c++)
        {
            templates[c] = [.. Enumerable.Range(0, size * size).Select(_ => generator.NextDouble() < 0.5 ? 1.0 : 0.0)];
        }

        // Each image is its class's random binary template plus N(0, 0.5²) pixel noise.
        Tensor Sample(int[] classOf)
        {
            var images = new float[classOf.Length * size * size];
            for (int i = 0; i < classOf.Length; i++)
            {
                for (int p = 0; p < size * size; p++)
                {
                    images[(i * size * size) + p] = (float)(templates[classOf[i]][p] + (0.5 * generator.NextNormal()));
                }
            }

            return Tensor.FromArray(images, classOf.Length, 1, size, size);
        }

        var labels = Enumerable.Range(0, classes * perClass).Select(i => i % classes).ToArray();
        var x = Sample(labels);
        var model = Backbones.OmniglotConvNet(classes, new Generator(4));
        var opt = new Adam(model.Parameters(), 0.003);
        double initialAccuracy = Metrics.Accuracy(model.Forward(x), labels);
        double accuracy = 0;
        for (int step = 0; step < 15 && accuracy < 1; step++)
        {
            opt.ZeroGrad();
            var logits = model.Forward(x);
            accuracy = Metrics.Accuracy(logits, labels);
            Losses.CrossEntropy(logits, labels).Backward();
            opt.Step();
        }

        accuracy = Metrics.Accuracy(model.Forward(x), labels);
        Assert.True(initialAccuracy < 0.9, $"untrained accuracy {initialAccuracy}");
        Assert.True(accuracy >= 0.9, $"training accuracy {accuracy}");

        // Fresh noise on the same templates (a held-out query set, normalized with its own batch statistics).
        model.Eval();
        double heldOut = Metrics.Accuracy(model.Forward(Sample(labels)), labels);
        Assert.True(heldOut >= 0.9, $"held-out accuracy {heldOut}");
    }
}

using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tests.Shared;
using SineRegression;
using StbImageSharp;

namespace MetaLearn.Samples.Tests;

/// <summary>SineRegression as a user runs it; in the console-capturing collection, so no two samples run at once.</summary>
[Collection(nameof(ConsoleCapture))]
public class SineRegressionTests
{
    [Fact]
    public void TheFigureRendersHeadlessWithItsLinesAndText()
    {
        using var scratch = new ScratchFolder("metalearn-plot-");
        string folder = scratch.Root;
        var model = Backbones.Mlp([1, 40, 40, 1], ActivationKind.Relu, new Generator(1));
        string path = SineFigure.Write(Path.Combine(folder, "figure.png"), "untrained", new Maml(model, TaskLosses.MeanSquaredError), seed: 8, shots: 10);

        var image = ImageResult.FromMemory(File.ReadAllBytes(path), ColorComponents.RedGreenBlue);
        Assert.Equal((800, 500), (image.Width, image.Height));
        int Count(Func<byte, byte, byte, bool> predicate, int fromRow, int toRow)
        {
            int count = 0;
            for (int row = fromRow; row < toRow; row++)
            {
                for (int column = 0; column < image.Width; column++)
                {
                    int i = 3 * ((row * image.Width) + column);
                    count += predicate(image.Data[i], image.Data[i + 1], image.Data[i + 2]) ? 1 : 0;
                }
            }

            return count;
        }

        // The red ground-truth curve, and dark glyphs in the title band (fonts render on a bare machine too).
        Assert.True(Count((r, g, b) => r > 180 && g < 90 && b < 90, 0, image.Height) > 300, "no red ground-truth curve in the figure");
        Assert.True(Count((r, g, b) => r < 90 && g < 90 && b < 90, 0, 40) > 100, "no title text in the figure's top band");
    }

    [Fact]
    public void HelpListsEveryOptionAndAShortRunEndsWithTheResultLine()
    {
        var (help, helpExit) = RunSample("--help");
        Assert.Equal(0, helpExit);
        foreach (var option in new[] { "--iterations", "--seed", "--out", "--reptile", "--first-order", "--meta-batch" })
        {
            Assert.Contains(option, help, StringComparison.Ordinal);
        }

        using var scratch = new ScratchFolder("metalearn-sine-");
        string folder = scratch.Root;
        var (run, exit) = RunSample("--iterations", "5", "--meta-batch", "2", "--out", folder);
        Assert.True(exit == 0, run);
        Assert.Matches(@"RESULT k=10 mse_step1=[0-9.]+ mse_step10=[0-9.]+ baseline_step1=[0-9.]+", run);
        foreach (var figure in new[] { "sine_meta_learned.png", "sine_baseline.png", "sine_learning_curve.png" })
        {
            Assert.True(File.Exists(Path.Combine(folder, figure)), $"{figure} was not written:\n{run}");
        }
    }

    [Fact]
    public void BadOptionsAreRefusedWithAMessage()
    {
        var (output, exit) = RunSample("--iterations", "0");
        Assert.Equal(1, exit);
        Assert.Contains("--iterations must be positive", output, StringComparison.Ordinal);
    }

    private static (string Output, int ExitCode) RunSample(params string[] args) => SampleRunner.Run("SineRegression", args);
}

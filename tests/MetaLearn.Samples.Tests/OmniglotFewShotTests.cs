using MetaLearn.Tests.Shared;

namespace MetaLearn.Samples.Tests;

/// <summary>
/// samples/OmniglotFewShot, the source of every published Omniglot figure, as a user runs it: a few iterations of
/// <c>train</c> on the committed two-alphabet fixture (Greek trains, Latin validates and is held out), then
/// <c>evaluate</c> on the checkpoint it wrote, with the figures read from both RESULT lines.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public class OmniglotFewShotTests
{
    private static string Fixture => Path.Combine(RepositoryRoot.Path, "tests", "fixtures", "omniglot", "images_background.zip");

    [Fact]
    public void TrainsOnATinySliceAndItsCheckpointEvaluatesToTheSameFigures()
    {
        using var scratch = new ScratchFolder("metalearn-omniglot-sample-");
        string folder = scratch.Root;
        var (trained, trainExit) = SampleRunner.Run("OmniglotFewShot", "train", "--data", Fixture, "--method", "protonet", "--iterations", "4", "--ways", "5",
            "--hidden", "8", "--episodes", "10", "--test-alphabets", "Latin", "--validation-alphabets", "Latin", "--threads", "2", "--out", folder);
        Assert.True(trainExit == 0, trained);
        Assert.Contains("96 training classes (1 alphabets × 4 rotations), 26 validation and 26 held-out characters", trained, StringComparison.Ordinal);
        var training = ResultLine.Last(trained);
        Assert.Equal("protonet", training["method"]);
        string checkpoint = Path.Combine(folder, "protonet.safetensors");
        Assert.True(File.Exists(checkpoint) && File.Exists(Path.ChangeExtension(checkpoint, ".json")), trained);

        var (evaluated, evaluateExit) = SampleRunner.Run("OmniglotFewShot", "evaluate", "--checkpoint", checkpoint, "--data", Fixture, "--alphabets", "Latin",
            "--episodes", "10", "--threads", "2", "--out", folder);
        Assert.True(evaluateExit == 0, evaluated);
        var evaluation = ResultLine.Last(evaluated);

        // Every figure is an accuracy in percent with its interval; the 20-way tasks are well above chance (5%) even
        // after 4 episodes, and the checkpoint reproduces the trained learner's figures exactly (same episodes, same runs).
        foreach (var key in new[] { "5w1s", "5w5s", "20w1s", "runs" })
        {
            var (trainMean, _) = ResultLine.Figure(training[key]);
            var (evaluateMean, halfWidth) = ResultLine.Figure(evaluation[key]);
            Assert.InRange(evaluateMean, 0, 100);
            Assert.True(halfWidth >= 0, key);
            Assert.Equal(trainMean, evaluateMean);
        }

        Assert.True(ResultLine.Figure(evaluation["runs"]).Mean > 10, evaluated);
        Assert.True(ResultLine.Figure(evaluation["20w1s"]).Mean > 10, evaluated);
    }

    [Fact]
    public void TrainRefusesASplitThatLeavesNothingToTrainOn()
    {
        using var scratch = new ScratchFolder("metalearn-omniglot-sample-");
        string folder = scratch.Root;
        var (output, exit) = SampleRunner.Run("OmniglotFewShot", "train", "--data", Fixture, "--test-alphabets", "Latin", "--validation-alphabets", "Greek", "--out", folder);
        Assert.Equal(1, exit);
        Assert.Contains("no alphabet is left to train on", output, StringComparison.Ordinal);

        var (defaults, code) = SampleRunner.Run("OmniglotFewShot", "train", "--data", Fixture, "--out", folder);
        Assert.Equal(1, code);
        Assert.Contains("has no alphabet 'Balinese'", defaults, StringComparison.Ordinal);
    }
}

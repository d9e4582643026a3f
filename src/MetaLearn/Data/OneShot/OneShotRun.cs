using MetaLearn.Tensors;

namespace MetaLearn.Data.OneShot;

/// <summary>
/// One run of the one-shot classification benchmark of Lake et al. (2015): one training image of each of N classes,
/// and test images to be matched to them, with the answer key.
/// </summary>
public sealed class OneShotRun
{
    /// <summary>Creates the run, checking that images, files and answers agree.</summary>
    /// <param name="name">The run's folder name, e.g. "run01".</param>
    /// <param name="trainingFiles">The training images' paths as the answer key names them, one per class.</param>
    /// <param name="trainingImages">The training images, [N, C, H, W].</param>
    /// <param name="testFiles">The test images' paths as the answer key names them.</param>
    /// <param name="testImages">The test images, [M, C, H, W].</param>
    /// <param name="answers">For each test image, the index of its class's training image.</param>
    public OneShotRun(string name, IReadOnlyList<string> trainingFiles, Tensor trainingImages, IReadOnlyList<string> testFiles, Tensor testImages,
        IReadOnlyList<int> answers)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(trainingFiles);
        ArgumentNullException.ThrowIfNull(trainingImages);
        ArgumentNullException.ThrowIfNull(testFiles);
        ArgumentNullException.ThrowIfNull(testImages);
        ArgumentNullException.ThrowIfNull(answers);
        if (trainingImages.Rank < 2 || trainingImages.Shape[0] != trainingFiles.Count || testImages.Rank != trainingImages.Rank
            || testImages.Shape[0] != testFiles.Count || answers.Count != testFiles.Count)
        {
            throw new ArgumentException($"OneShotRun '{name}': {trainingFiles.Count} training files for images "
                + $"{Shapes.Format(trainingImages.Shape)}, {testFiles.Count} test files and {answers.Count} answers for images "
                    + $"{Shapes.Format(testImages.Shape)} do not agree.", nameof(answers));
        }

        if (answers.Any(a => (uint)a >= (uint)trainingFiles.Count))
        {
            throw new ArgumentException($"OneShotRun '{name}': an answer is outside 0..{trainingFiles.Count - 1}.", nameof(answers));
        }

        Name = name;
        TrainingFiles = [.. trainingFiles];
        TrainingImages = trainingImages;
        TestFiles = [.. testFiles];
        TestImages = testImages;
        Answers = [.. answers];
    }

    /// <summary>The run's folder name, e.g. "run01".</summary>
    public string Name { get; }

    /// <summary>The training images' paths as the answer key names them (e.g. "run01/training/class07.png"); image i is class i.</summary>
    public IReadOnlyList<string> TrainingFiles { get; }

    /// <summary>The training images, [N, C, H, W], one per class.</summary>
    public Tensor TrainingImages { get; }

    /// <summary>The test images' paths as the answer key names them.</summary>
    public IReadOnlyList<string> TestFiles { get; }

    /// <summary>The test images, [M, C, H, W].</summary>
    public Tensor TestImages { get; }

    /// <summary>For each test image, the class (index into the training images) it belongs to.</summary>
    public IReadOnlyList<int> Answers { get; }

    /// <summary>N, the number of classes.</summary>
    public int Ways => TrainingFiles.Count;

    /// <summary>The run as a classification task: support = the training images labelled 0..N−1, query = the test images labelled by the answers.</summary>
    public ITask ToTask()
        => new LearningTask(
            Examples.Classification(TrainingImages, [.. Enumerable.Range(0, Ways)]),
            Examples.Classification(TestImages, [.. Answers]),
            new TaskMetadata(Name, new Dictionary<string, double>()));
}

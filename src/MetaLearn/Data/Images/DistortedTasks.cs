using MetaLearn.Tensors;

namespace MetaLearn.Data.Images;

/// <summary>
/// A task source whose images are randomly distorted (<see cref="AffineDistortion"/>) as they are drawn: Koch et al.'s
/// augmentation, for training any method (Siamese pairs, prototypical episodes, MAML tasks). Support and query images of
/// classification tasks, and both sides of pairs, are each distorted with their own map, drawn from the sampling
/// generator, so a seeded run (and a resumed one) sees the same distortions.
/// </summary>
/// <param name="inner">The source of undistorted tasks (a <see cref="FewShotSampler"/> or <see cref="PairSampler"/> over images).</param>
/// <param name="distortion">The distortions to apply.</param>
public sealed class DistortedTasks(ITaskSource inner, AffineDistortion distortion) : ITaskSource
{
    private readonly ITaskSource _inner = inner ?? throw new ArgumentNullException(nameof(inner));
    private readonly AffineDistortion _distortion = distortion ?? throw new ArgumentNullException(nameof(distortion));

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The inner source gave regression tasks, or inputs that are not float32 images.</exception>
    public ITask Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var task = _inner.Sample(generator);
        return new LearningTask(Distort(task.Support, generator), Distort(task.Query, generator), task.Metadata);
    }

    private Examples Distort(Examples examples, Generator generator) => examples switch
    {
        ClassificationExamples c => Examples.Classification(_distortion.Apply(c.Inputs, generator), c.Labels),
        PairExamples p => Examples.Pairs(_distortion.Apply(p.Inputs, generator), _distortion.Apply(p.Second, generator), p.Same),
        _ => throw new ArgumentException($"DistortedTasks: distorts images of classification or pair tasks, got {examples.GetType().Name}.", nameof(examples)),
    };
}

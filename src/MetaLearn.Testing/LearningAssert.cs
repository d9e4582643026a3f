using System.Globalization;
using MetaLearn.Data;
using MetaLearn.Evaluation;
using MetaLearn.MetaLearning;

namespace MetaLearn.Testing;

/// <summary>
/// "Meta-training lifts accuracy well above the untrained start and above chance within N iterations" as assertions:
/// meta-train a learner with fixed seeds, measure it on the same test tasks before and after, and throw a
/// <see cref="MetaLearnAssertionException"/> that gives both measurements when it did not learn enough.
/// </summary>
/// <remarks>
/// The check is deterministic for a given learner and <see cref="LearningCheck"/> (MetaLearn's meta-batches are
/// bit-identical for any thread count), so a threshold that passes once passes every time on every machine with the same
/// floating-point behaviour.
/// </remarks>
public static class LearningAssert
{
    /// <summary>
    /// Asserts that meta-training taught a learner something: its accuracy on <paramref name="ways"/>-way test tasks after
    /// meta-training beats the untrained learner's on the same tasks by at least <paramref name="minimumGain"/>, and is at
    /// least chance (1 / ways) plus <paramref name="margin"/>.
    /// </summary>
    /// <remarks>
    /// The gain is what shows learning: an untrained metric learner (a random embedding and a nearest prototype) is often
    /// far above chance already, so a bar on the level alone passes for a learner whose meta-training does nothing. Both
    /// measurements use the same test tasks (seed <c>check.Seed + 1</c>) and the same adaptation steps.
    /// </remarks>
    /// <param name="metaLearner">The meta-learner to train (it is trained in place).</param>
    /// <param name="trainTasks">Where training tasks come from.</param>
    /// <param name="testTasks">Where test tasks come from (ideally classes never seen in training).</param>
    /// <param name="ways">Classes per task; chance accuracy is 1 / ways.</param>
    /// <param name="margin">How far above chance the mean accuracy after meta-training must be: 0.25 by default.</param>
    /// <param name="check">Iterations, batch size, seeds; <see cref="LearningCheck"/>'s defaults when null.</param>
    /// <param name="minimumGain">How much higher the accuracy after meta-training must be than before it: 0.1 (ten points) by default; more than 0.</param>
    /// <returns>The measurements, for further assertions.</returns>
    /// <exception cref="MetaLearnAssertionException">
    /// The accuracy after meta-training is below chance + margin, or less than <paramref name="minimumGain"/> above the untrained
    /// learner's.
    /// </exception>
    public static LearningReport AboveChance(
        IMetaLearner metaLearner, ITaskSource trainTasks, ITaskSource testTasks, int ways, double margin = 0.25, LearningCheck? check = null,
        double minimumGain = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ways, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(margin);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minimumGain);
        check ??= new LearningCheck();
        var report = Measure(metaLearner, trainTasks, testTasks, check);
        double chance = 1.0 / ways;
        double required = chance + margin;
        double after = report.After.MeanAccuracy
            ?? throw new MetaLearnAssertionException("LearningAssert.AboveChance: the test tasks are not classification tasks, so there is no "
                + "accuracy; use LossFalls.");
        double before = report.Before.MeanAccuracy ?? double.NaN;
        string measured = string.Create(CultureInfo.InvariantCulture,
            $"after {report.Training.Iterations} meta-iterations and {check.AdaptationSteps} adaptation step(s) (seed {check.Seed}), " +
            $"but it was {after:F3} ± {report.After.AccuracyConfidence95 ?? 0:F3} over {report.After.Tasks} test tasks " +
            $"({before:F3} before meta-training; final meta-loss {report.Training.FinalMetaLoss:G4}).");
        if (!(after >= required))
        {
            throw new MetaLearnAssertionException(string.Create(CultureInfo.InvariantCulture,
                $"Expected {ways}-way accuracy of at least {required:F3} (chance {chance:F3} + margin {margin:F3}) ") + measured);
        }

        if (!(after - before >= minimumGain))
        {
            throw new MetaLearnAssertionException(string.Create(CultureInfo.InvariantCulture,
                $"Expected {ways}-way accuracy at least {minimumGain:F3} above the untrained learner's {before:F3} on the same test tasks "
                    + $"(at least {before + minimumGain:F3}) ") + measured);
        }

        return report;
    }

    /// <summary>
    /// Asserts that meta-training brings the test loss after adaptation down to at most <paramref name="fraction"/> of
    /// what it was before meta-training.
    /// </summary>
    /// <param name="metaLearner">The meta-learner to train (it is trained in place).</param>
    /// <param name="trainTasks">Where training tasks come from.</param>
    /// <param name="testTasks">Where test tasks come from.</param>
    /// <param name="fraction">The largest allowed ratio of the loss after meta-training to the loss before: 0.5 by default.</param>
    /// <param name="check">Iterations, batch size, seeds; <see cref="LearningCheck"/>'s defaults when null.</param>
    /// <returns>The measurements, for further assertions.</returns>
    /// <exception cref="MetaLearnAssertionException">The loss did not fall far enough.</exception>
    public static LearningReport LossFalls(IMetaLearner metaLearner, ITaskSource trainTasks, ITaskSource testTasks, double fraction = 0.5,
        LearningCheck? check = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fraction);
        check ??= new LearningCheck();
        var report = Measure(metaLearner, trainTasks, testTasks, check);
        double limit = fraction * report.Before.MeanLoss;
        if (!(report.After.MeanLoss <= limit))
        {
            throw new MetaLearnAssertionException(string.Create(CultureInfo.InvariantCulture,
                $"Expected the test loss after {check.AdaptationSteps} adaptation step(s) to fall to at most {limit:G4} ({fraction:P0} of "
                    + $"{report.Before.MeanLoss:G4} before meta-training) " +
                $"within {report.Training.Iterations} meta-iterations (seed {check.Seed}), but it was {report.After.MeanLoss:G4} ± "
                    + $"{report.After.LossConfidence95:G3} over {report.After.Tasks} test tasks " +
                $"(final meta-loss {report.Training.FinalMetaLoss:G4})."));
        }

        return report;
    }

    /// <summary>Measures, meta-trains and measures again, without asserting anything.</summary>
    /// <param name="metaLearner">The meta-learner to train (it is trained in place).</param>
    /// <param name="trainTasks">Where training tasks come from.</param>
    /// <param name="testTasks">Where test tasks come from.</param>
    /// <param name="check">Iterations, batch size, seeds; <see cref="LearningCheck"/>'s defaults when null.</param>
    /// <returns>The test measurements before and after, and the training summary.</returns>
    public static LearningReport Measure(IMetaLearner metaLearner, ITaskSource trainTasks, ITaskSource testTasks, LearningCheck? check = null)
    {
        ArgumentNullException.ThrowIfNull(metaLearner);
        ArgumentNullException.ThrowIfNull(trainTasks);
        ArgumentNullException.ThrowIfNull(testTasks);
        check ??= new LearningCheck();
        int[] steps = [check.AdaptationSteps];
        var before = MetaEvaluator.Evaluate(metaLearner.CreateLearner, testTasks, check.EvaluationTasks, steps, check.Seed + 1)[0];
        var training = MetaTrainer.Train(metaLearner, trainTasks,
            new MetaTrainingOptions { Iterations = check.Iterations, MetaBatchSize = check.MetaBatchSize, Seed = check.Seed });
        var after = MetaEvaluator.Evaluate(metaLearner.CreateLearner, testTasks, check.EvaluationTasks, steps, check.Seed + 1)[0];
        return new LearningReport(before, after, training);
    }
}

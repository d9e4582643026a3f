namespace MetaLearn.Optim;

/// <summary>A schedule of an optimizer's learning rate, indexed by the optimizer's <see cref="Optimizer.StepCount"/>.</summary>
/// <remarks>
/// Call <see cref="Apply"/> before each <see cref="Optimizer.Step()"/>: the step after t completed steps then uses
/// <see cref="ScalarSchedule.Value"/>(t). Because the rate is a pure function of the step count, a run restored with
/// <see cref="Optimizer.ImportState"/> continues on the same schedule.
/// </remarks>
public abstract class LearningRateSchedule : ScalarSchedule
{
    /// <summary>Sets <paramref name="optimizer"/>'s learning rate to the value for its current step count.</summary>
    /// <returns>The learning rate set.</returns>
    public double Apply(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        double rate = Value(optimizer.StepCount);
        optimizer.LearningRate = rate;
        return rate;
    }
}

namespace MetaLearn.MetaLearning;

/// <summary>
/// Runs a meta-batch's units and combines them into one mean loss and gradient: the seam between a
/// <see cref="GradientMetaLearner"/> and where its tasks are computed. <see cref="MetaBatchExecutor"/> runs them on this
/// machine's threads; another implementation may run them on other hosts (the MetaLearn.Orleans package does), and the
/// learners run unchanged on either (<see cref="OuterLoopOptions.Executor"/>).
/// </summary>
/// <remarks>
/// An implementation must give the same bits as <see cref="MetaBatchExecutor"/>: compute each unit as
/// <see cref="MetaBatchWork.Units"/> describes it (<see cref="GradientMetaLearner.ComputeMetaBatchUnit"/> on a replica, for
/// a remote one), then combine the units in unit order with <see cref="MetaBatchExecutor.Combine"/>.
/// </remarks>
public interface IMetaBatchExecutor
{
    /// <summary>Runs every unit of <paramref name="work"/> and returns the mean over the tasks used.</summary>
    /// <exception cref="NonFiniteTaskException">A value is not finite under <see cref="NonFiniteTaskPolicy.Throw"/>.</exception>
    MetaBatchResult Run(MetaBatchWork work);
}

namespace MetaLearn.Orleans;

/// <summary>A worker: holds a replica of a registered learner and computes units of meta-batches on it.</summary>
internal interface IMetaBatchWorkerGrain : IGrainWithStringKey
{
    /// <summary>Computes one unit (a task, or consecutive tasks computed as one).</summary>
    Task<UnitReply> RunUnit(UnitRequest request);
}

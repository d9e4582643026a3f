namespace MetaLearn.Serialization;

/// <summary>
/// What <see cref="ModuleCheckpoint.Load(NN.Module, string, ModuleLoadOptions?)"/> does with the integer and boolean
/// tensors of a file, such as the <c>num_batches_tracked</c> (I64) that PyTorch stores for every batch-norm layer. Neither
/// policy ever rejects a file because of them.
/// </summary>
public enum IntegerBufferPolicy
{
    /// <summary>
    /// An integer tensor named like one of the module's counters (<see cref="NN.Module.NamedCounters"/>) sets that counter;
    /// one named like a float parameter or buffer is a dtype mismatch unless <see cref="ModuleLoadOptions.ConvertDTypes"/>
    /// is set; any other is skipped and listed in <see cref="LoadReport.SkippedIntegerTensors"/>.
    /// </summary>
    MapToCounters,

    /// <summary>
    /// Integer tensors named like a counter, or like nothing in the module, are skipped and listed in
    /// <see cref="LoadReport.SkippedIntegerTensors"/>; the module's counters keep their values. (One named like a float
    /// parameter or buffer is still governed by <see cref="ModuleLoadOptions.ConvertDTypes"/>.)
    /// </summary>
    Skip,
}

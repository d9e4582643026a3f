namespace MetaLearn.NN;

/// <summary>
/// Which statistics a batch-norm layer normalizes with: the policy matters for meta-learning, where a "batch" is one
/// task's support or query set and the same weights are adapted and evaluated on many tasks.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Batch"/> is what MAML (Finn et al., 2017) and learn2learn's benchmark models effectively do: every call
/// normalizes with the statistics of the tensor it is given, in training and in evaluation. This is transductive (a
/// query example's output depends on the other query examples of its batch, so accuracy depends on how the query set is
/// batched; evaluate whole query sets, as the papers do) but needs no state, so the layer is pure: thread-safe, and the
/// output is a function of the input and the parameters only, which is what inner-loop adaptation and gradient checks assume.
/// </para>
/// <para>
/// <see cref="Running"/> is PyTorch's <c>track_running_stats=True</c>: training calls normalize with the batch's
/// statistics and blend them into running_mean/running_var buffers (momentum 0.1, unbiased variance); evaluation calls
/// use the buffers, so each example is processed on its own. For meta-learning this is usually worse: the running
/// averages mix statistics of many different tasks (and of adapted and unadapted weights), so at meta-test time the
/// buffers match no task, and the buffers are mutated during Forward (not thread-safe, and a second-order MAML graph does
/// not see them). Use it for ordinary pre-training / transfer learning, or when evaluating one example at a time.
/// </para>
/// </remarks>
public enum BatchNormStatistics
{
    /// <summary>Always normalize with the current batch's statistics (train and eval); no buffers. The default, as in MAML.</summary>
    Batch,

    /// <summary>PyTorch semantics: batch statistics and running-buffer updates in training, running buffers in evaluation.</summary>
    Running,
}

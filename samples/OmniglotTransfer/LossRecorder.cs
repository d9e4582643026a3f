using MetaLearn.MetaLearning;

namespace OmniglotTransfer;

/// <summary>Keeps the loss of every reported meta-training step, synchronously.</summary>
internal sealed class LossRecorder(List<double> losses) : IProgress<MetaTrainingProgress>
{
    public void Report(MetaTrainingProgress value) => losses.Add(value.MetaLoss);
}

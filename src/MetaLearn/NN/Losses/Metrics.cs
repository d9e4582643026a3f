using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>Evaluation metrics (plain numbers, not differentiable).</summary>
public static class Metrics
{
    /// <summary>The fraction of examples whose highest logit (first on ties) is the label; logits [N, C].</summary>
    /// <exception cref="ArgumentException">The logits are not [N, C] with N ≥ 1, or a label is missing or out of range.</exception>
    public static double Accuracy(Tensor logits, int[] labels)
    {
        const string op = "Accuracy";
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        LossChecks.Rank(op, logits, 2, "logits [N, C]", nameof(logits));
        LossChecks.NonEmpty(op, logits, nameof(logits));
        LossChecks.Labels(op, labels, logits.Shape[0], logits.Shape[1], logits, nameof(labels));
        var predictions = logits.ArgMax(1);
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (predictions[i] == labels[i])
            {
                correct++;
            }
        }

        return (double)correct / labels.Length;
    }
}

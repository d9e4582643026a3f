using MetaLearn.Data;
using MetaLearn.NN;
using MetaLearn.Transfer.Features;

namespace MetaLearn.TextEmbeddings;

/// <summary>
/// Few-shot text classification on a frozen sentence encoder: a handful of labelled examples per label (3–5 phrasings of
/// each intent) condition a <see cref="FeatureTransferLearner"/> on their embeddings, and new texts get the label whose
/// examples they are nearest to (prototype head), or a linear head started from the prototypes and trained a few steps.
/// </summary>
public sealed class FewShotTextClassifier
{
    private readonly TextEmbedder _embedder;
    private readonly FeatureTransferLearner _learner;
    private string[] _labels = [];

    /// <summary>Creates the classifier.</summary>
    /// <param name="embedder">The frozen text backbone.</param>
    /// <param name="options">The head; the prototype head by default.</param>
    public FewShotTextClassifier(TextEmbedder embedder, FeatureTransferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        _embedder = embedder;
        _learner = new FeatureTransferLearner(new Sequential(), options ?? new FeatureTransferOptions { Head = FeatureHead.Prototype });
    }

    /// <summary>The labels learned by the last <see cref="Learn"/>, in class-id order.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Learns the labels of <paramref name="examples"/> (every label needs at least one), training the head for <paramref name="steps"/>
    /// steps.</summary>
    /// <exception cref="ArgumentException">No examples.</exception>
    public void Learn(IReadOnlyList<LabeledText> examples, int steps = 0)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var data = new TextDataset(examples);
        _labels = [.. data.Labels];
        _learner.Condition(Examples.Classification(_embedder.Embed([.. examples.Select(e => e.Text)]), data.ClassIds()));
        _learner.Adapt(steps);
    }

    /// <summary>The most likely label of each text.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Learn"/> has not been called.</exception>
    public string[] Classify(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (_labels.Length == 0)
        {
            throw new InvalidOperationException("FewShotTextClassifier: call Learn with labelled examples first.");
        }

        var scores = _learner.Predict(_embedder.Embed(texts));
        return [.. scores.ArgMax(1).Select(k => _labels[k])];
    }
}

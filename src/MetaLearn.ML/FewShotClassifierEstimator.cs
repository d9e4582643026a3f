using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MetaLearn.ML;

/// <summary>
/// An ML.NET estimator for few-shot classification: <see cref="Fit"/> reads a handful of labelled rows (a feature-vector
/// column and a text label column), conditions a fresh MetaLearn learner on them (a prototypical network's prototypes,
/// MAML's adaptation steps, a fine-tuned transfer learner) and returns a <see cref="FewShotClassifierTransformer"/> that
/// adds the predicted label and class probabilities to every row. Create it with
/// <see cref="FewShotCatalog.FewShotClassifier"/>; it composes with ML.NET's own transforms (<c>Concatenate</c>,
/// <c>NormalizeMinMax</c>, ...) through <c>Append</c>.
/// </summary>
public sealed class FewShotClassifierEstimator : IEstimator<FewShotClassifierTransformer>
{
    private readonly MLContext _context;
    private readonly Func<ILearner> _createLearner;

    internal FewShotClassifierEstimator(MLContext context, Func<ILearner> createLearner, FewShotClassifierOptions options)
    {
        _context = context;
        _createLearner = createLearner;
        Options = options;
    }

    /// <summary>The columns and adaptation.</summary>
    public FewShotClassifierOptions Options { get; }

    /// <summary>Conditions a new learner on every row of <paramref name="input"/> (the support set: a few rows per class).</summary>
    /// <exception cref="ArgumentException">
    /// A column is missing or of the wrong type, a feature vector does not fit
    /// <see cref="FewShotClassifierOptions.ExampleShape"/>, or there are fewer than two classes.
    /// </exception>
    public FewShotClassifierTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int featureCount = FeatureCount(input.Schema);
        var labelColumn = input.Schema.GetColumnOrNull(Options.LabelColumnName)
            ?? throw new ArgumentException($"FewShotClassifier: no label column '{Options.LabelColumnName}' in the data.", nameof(input));
        if (labelColumn.Type is not TextDataViewType)
        {
            throw new ArgumentException($"FewShotClassifier: the label column '{Options.LabelColumnName}' must be text, it is {labelColumn.Type} "
                + "(map keys back with MapKeyToValue).", nameof(input));
        }

        var labels = input.GetColumn<ReadOnlyMemory<char>>(labelColumn).Select(l => l.ToString()).ToArray();
        var features = input.GetColumn<float[]>(input.Schema[Options.FeatureColumnName]).ToArray();
        var classes = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (classes.Length < 2)
        {
            throw new ArgumentException(
                $"FewShotClassifier: the labelled rows hold {classes.Length} class(es); a classifier needs at least two.", nameof(input));
        }

        var shape = ExampleShape(featureCount, nameof(input));
        var data = new float[features.Length * featureCount];
        for (int i = 0; i < features.Length; i++)
        {
            features[i].CopyTo(data, i * featureCount);
        }

        var ids = labels.Select(l => Array.BinarySearch(classes, l, StringComparer.Ordinal)).ToArray();
        var learner = _createLearner() ?? throw new InvalidOperationException("FewShotClassifier: the learner factory returned null.");
        learner.Condition(Examples.Classification(Tensor.FromArray(data, [features.Length, .. shape]), ids));
        learner.Adapt(Options.AdaptationSteps);
        return new FewShotClassifierTransformer(_context, learner, classes, featureCount, shape, Options);
    }

    /// <summary>The input schema with the predicted-label (text) and score (vector of float) columns added.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var features = inputSchema.Where(c => c.Name == Options.FeatureColumnName).ToArray();
        if (features.Length != 1 || features[0].Kind != SchemaShape.Column.VectorKind.Vector || features[0].ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentException(
                $"FewShotClassifier: the feature column '{Options.FeatureColumnName}' must be a known-size vector of float.", nameof(inputSchema));
        }

        return FewShotClassifierTransformer.Mapping(_context, null, 0, 0, Options).GetOutputSchema(inputSchema);
    }

    private int FeatureCount(DataViewSchema schema)
    {
        var column = schema.GetColumnOrNull(Options.FeatureColumnName);
        if (column?.Type is not VectorDataViewType { ItemType: var item, Size: > 0 and var size } || item != NumberDataViewType.Single)
        {
            throw new ArgumentException($"FewShotClassifier: the feature column '{Options.FeatureColumnName}' must be a known-size vector of float, "
                + $"it is {column?.Type.ToString() ?? "missing"}.", nameof(schema));
        }

        return size;
    }

    private int[] ExampleShape(int featureCount, string parameterName)
    {
        var shape = Options.ExampleShape?.ToArray() ?? [featureCount];
        if (shape.Length == 0 || shape.Any(d => d <= 0) || shape.Aggregate(1L, (a, d) => a * d) != featureCount)
        {
            throw new ArgumentException(
                $"FewShotClassifier: ExampleShape {Shapes.Format(shape)} does not hold the {featureCount} features of a row.", parameterName);
        }

        return shape;
    }
}

using MetaLearn.MetaLearning;
using MetaLearn.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MetaLearn.ML;

/// <summary>
/// A conditioned few-shot classifier in an ML.NET pipeline: adds the predicted label (text) and the class probabilities
/// (softmax of the learner's scores, a vector in <see cref="Classes"/> order) to every row, each row predicted on its own
/// (so a model with batch statistics in a 1-d batch norm cannot be used here; convolutional batch norm and running
/// statistics can). Made by <see cref="FewShotClassifierEstimator.Fit"/>.
/// </summary>
/// <remarks>
/// The transformer holds a live MetaLearn learner, so ML.NET cannot save it (<c>mlContext.Model.Save</c> throws
/// <see cref="NotSupportedException"/>): keep the trained MetaLearn model (a safetensors checkpoint, or ONNX for
/// ML.NET's ONNX transformer) and fit again on the labelled rows.
/// </remarks>
public sealed class FewShotClassifierTransformer : ITransformer
{
    private readonly ITransformer _mapping;

    internal FewShotClassifierTransformer(
        MLContext context,
        ILearner learner,
        string[] classes,
        int featureCount,
        int[] exampleShape,
        FewShotClassifierOptions options)
    {
        Learner = learner;
        Classes = classes;
        var predict = Predictor(learner, classes, exampleShape);
        _mapping = Mapping(context, predict, featureCount, classes.Length, options).Fit(Empty(context, options.FeatureColumnName, featureCount));
    }

    /// <summary>The class names, in score order (the labels of the fitted rows, sorted ordinally).</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The conditioned learner that predicts.</summary>
    public ILearner Learner { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => _mapping.IsRowToRowMapper;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _mapping.GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _mapping.GetRowToRowMapper(inputSchema);

    /// <inheritdoc/>
    public IDataView Transform(IDataView input) => _mapping.Transform(input);

    /// <summary>Not supported: the transformer holds a live learner (see the remarks).</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException("FewShotClassifierTransformer cannot be saved by ML.NET: save the MetaLearn model (safetensors, or ONNX via "
            + "MetaLearn.Onnx) and fit again on the labelled rows.");

    /// <summary>
    /// The custom mapping from the feature column to the two output columns (a score vector of
    /// <paramref name="classCount"/>, or of unknown size when 0).
    /// </summary>
    internal static IEstimator<ITransformer> Mapping(
        MLContext context,
        Action<FeatureRow, PredictionRow>? predict,
        int featureCount,
        int classCount,
        FewShotClassifierOptions options)
    {
        var input = SchemaDefinition.Create(typeof(FeatureRow));
        input[nameof(FeatureRow.Features)].ColumnName = options.FeatureColumnName;
        input[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        var output = SchemaDefinition.Create(typeof(PredictionRow));
        output[nameof(PredictionRow.PredictedLabel)].ColumnName = options.PredictedLabelColumnName;
        output[nameof(PredictionRow.Score)].ColumnName = options.ScoreColumnName;
        output[nameof(PredictionRow.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, classCount);
        return context.Transforms.CustomMapping(predict ?? ((_, _) => { }), contractName: null, input, output);
    }

    private static Action<FeatureRow, PredictionRow> Predictor(ILearner learner, string[] classes, int[] exampleShape)
    {
        var gate = new Lock();
        return (row, prediction) =>
        {
            var features = row.Features.DenseValues().ToArray();
            float[] scores;
            lock (gate)
            {
                scores = learner.Predict(Tensor.FromArray(features, [1, .. exampleShape])).ToArray();
            }

            if (scores.Length != classes.Length)
            {
                throw new InvalidOperationException($"FewShotClassifier: the learner gave {scores.Length} scores for {classes.Length} classes.");
            }

            float max = scores.Max();
            double total = scores.Sum(s => Math.Exp(s - max));
            prediction.Score = [.. scores.Select(s => (float)(Math.Exp(s - max) / total))];
            prediction.PredictedLabel = classes[Array.IndexOf(scores, max)];
        };
    }

    private static IDataView Empty(MLContext context, string featureColumn, int featureCount)
    {
        var definition = SchemaDefinition.Create(typeof(FeatureRow));
        definition[nameof(FeatureRow.Features)].ColumnName = featureColumn;
        definition[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return context.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), definition);
    }
}

using MetaLearn.Tensors;

namespace MetaLearn.Data;

/// <summary>A collection of labelled examples that few-shot tasks are drawn from.</summary>
public interface ILabeledDataset
{
    /// <summary>The number of examples.</summary>
    int Count { get; }

    /// <summary>The distinct class ids, ascending.</summary>
    IReadOnlyList<int> Classes { get; }

    /// <summary>The indices of the examples of class <paramref name="classId"/>.</summary>
    IReadOnlyList<int> IndicesOf(int classId);

    /// <summary>The inputs of the given examples stacked along a new first axis.</summary>
    Tensor GetInputs(IReadOnlyList<int> indices);
}

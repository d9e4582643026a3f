using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>Argument validation shared by the losses, distances and metrics, with messages that name the shapes.</summary>
internal static class LossChecks
{
    public static void SameShape(string op, Tensor a, Tensor b, string paramName)
    {
        if (!Shapes.Match(a, b))
        {
            throw new ArgumentException($"{op}: shapes {Shapes.Format(a)} and {Shapes.Format(b)} must be equal (no broadcasting, to catch "
                + $"[N, 1] vs [N] mistakes).", paramName);
        }

        SameType(op, a, b, paramName);
    }

    public static void SameType(string op, Tensor a, Tensor b, string paramName)
    {
        if (a.DType != b.DType)
        {
            throw new ArgumentException($"{op}: element types {a.DType} and {b.DType} differ.", paramName);
        }
    }

    public static void NonEmpty(string op, Tensor a, string paramName)
    {
        if (a.Count == 0 || (a.Rank > 0 && a.Shape[0] == 0))
        {
            throw new ArgumentException($"{op}: the batch {Shapes.Format(a)} is empty.", paramName);
        }
    }

    public static void Rank(string op, Tensor a, int rank, string layout, string paramName)
    {
        if (a.Rank != rank)
        {
            throw new ArgumentException($"{op}: expected {layout}, got {Shapes.Format(a)}.", paramName);
        }
    }

    public static void Labels(string op, int[] labels, int batch, int classes, Tensor logits, string paramName)
    {
        if (labels.Length != batch)
        {
            throw new ArgumentException($"{op}: {labels.Length} labels given for logits {Shapes.Format(logits)} ({batch} examples).", paramName);
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentException($"{op}: label {labels[i]} of example {i} is outside [0, {classes}) for logits "
                    + $"{Shapes.Format(logits)}.", paramName);
            }
        }
    }

    public static Tensor Reduce(Tensor losses, Reduction reduction) => reduction switch
    {
        Reduction.Mean => losses.Mean(),
        Reduction.Sum => losses.Sum(),
        Reduction.None => losses,
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction."),
    };
}

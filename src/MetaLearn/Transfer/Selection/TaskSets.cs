using MetaLearn.Tensors;

namespace MetaLearn.Transfer.Selection;

/// <summary>Checks of task feature sets [N, F].</summary>
internal static class TaskSets
{
    public static void Check(Tensor features, string name)
    {
        ArgumentNullException.ThrowIfNull(features, name);
        if (features.Rank != 2 || features.Shape[0] == 0)
        {
            throw new ArgumentException($"A task's features must be a non-empty set [N, F], got {Shapes.Format(features.Shape)}.", name);
        }
    }

    public static void CheckPair(Tensor first, Tensor second)
    {
        Check(first, nameof(first));
        Check(second, nameof(second));
        if (first.Shape[1] != second.Shape[1])
        {
            throw new ArgumentException($"The two tasks' features differ in width: {Shapes.Format(first.Shape)} and "
                + $"{Shapes.Format(second.Shape)}.", nameof(second));
        }
    }
}

using MetaLearn.Tensors;

namespace MetaLearn.Transfer.Selection;

/// <summary>A distance between two tasks, each given as its set of per-example features [N, F] (see <see cref="TaskFeaturizer"/>): small for tasks
/// that transfer well to each other.</summary>
public interface ITaskDistance
{
    /// <summary>The distance between the tasks with example features <paramref name="first"/> [N, F] and <paramref name="second"/> [M, F].</summary>
    /// <exception cref="ArgumentException">The sets are not [·, F] with the same F.</exception>
    double Distance(Tensor first, Tensor second);
}

using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// The square root of a running second moment for the differentiable adaptive rules (Adam, RMSprop, Adagrad), with the
/// derivative at an exact zero taken as 0 instead of ∞.
/// </summary>
/// <remarks>
/// A moment is exactly 0 only where every gradient so far was exactly 0 (a dead ReLU unit, an unused embedding row), and
/// there the numerator of the update is 0 too. The true derivative of the update g/(√v + ε) at g = 0 is then 1/ε, which
/// this convention gives; the plain root's ∞ times the moment's zero derivative gives NaN (PyTorch and higher do), which
/// poisons a whole second-order meta-gradient. Elsewhere the value and every derivative are bit for bit the plain root's
/// (√v·1, with v selected unchanged).
/// </remarks>
internal static class SafeRoot
{
    /// <summary>√<paramref name="moment"/>, element by element, differentiable with derivative 0 where the moment is exactly 0.</summary>
    public static Tensor Of(Tensor moment)
    {
        var positive = moment.GreaterThan(Tensor.Scalar(0, moment.DType));
        return Tensor.Where(positive, moment, Tensor.Scalar(1, moment.DType)).Sqrt() * positive;
    }
}

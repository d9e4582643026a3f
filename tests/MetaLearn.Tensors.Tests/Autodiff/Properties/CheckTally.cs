namespace MetaLearn.Tensors.Tests.Autodiff.Properties;

/// <summary>How many finite-difference comparisons a property ran, and how many it skipped at non-smooth points.</summary>
internal sealed class CheckTally
{
    /// <summary>Finite-difference comparisons attempted (a directional derivative or a Hessian-vector product).</summary>
    public int Directional { get; set; }

    /// <summary>Those skipped because two step sizes disagreed: the point is within a step of a kink (ReLU, max).</summary>
    public int NonSmooth { get; set; }

    public static CheckTally operator +(CheckTally a, CheckTally b) => new() { Directional = a.Directional + b.Directional, NonSmooth = a.NonSmooth + b.NonSmooth };
}

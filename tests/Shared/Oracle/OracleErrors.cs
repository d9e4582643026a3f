using System.Globalization;

namespace MetaLearn.Testing.Oracle;

/// <summary>The worst relative errors of one path on one case: output, vector-Jacobian product, Hessian-vector product.</summary>
internal readonly record struct OracleErrors(double Output, double Gradient, double HessianVector)
{
    public bool Within(double tolerance) => Output <= tolerance && Gradient <= tolerance && HessianVector <= tolerance;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"output {Output:G3}, VJP {Gradient:G3}, HVP {HessianVector:G3}");
}

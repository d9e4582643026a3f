namespace MetaLearn.Tests.Transfer;

/// <summary>Compares doubles up to an absolute tolerance, for Assert.Equal on arrays.</summary>
internal sealed class Tolerance(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

    public int GetHashCode(double obj) => 0;
}

using MetaLearn.Tensors.Kernels.Providers;

namespace MetaLearn.Tensors.Tests.Kernels;

/// <summary>
/// Theory data over the matrix-product providers this machine runs (by name, since the kinds are internal), and the scope
/// that runs a test's products on one of them. Kinds the machine lacks are not listed: the CI runs this suite again with the
/// JIT told to drop AVX-512 and AVX2, and machines with AVX-512 list that kind too.
/// </summary>
internal static class GemmProviders
{
    /// <summary>Every supported provider, fastest first.</summary>
    public static TheoryData<string> Supported => new(GemmProvider.Supported.Select(kind => kind.ToString()));

    /// <summary>Runs this test's products on the provider named <paramref name="provider"/> until disposed.</summary>
    public static GemmProvider.Scope Use(string provider) => GemmProvider.Use(Enum.Parse<GemmKind>(provider));
}

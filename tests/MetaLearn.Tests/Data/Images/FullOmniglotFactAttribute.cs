namespace MetaLearn.Tests.Data.Images;

/// <summary>
/// A fact that needs the whole Omniglot background zip: skipped with a reason naming the path when the zip is not there,
/// unless METALEARN_REQUIRE_OMNIGLOT is set, when it runs and fails (so CI can never lose these tests unnoticed).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class FullOmniglotFactAttribute : FactAttribute
{
    public FullOmniglotFactAttribute()
    {
        if (OmniglotData.SkipReason() is { } reason)
        {
            Skip = reason;
        }
    }
}

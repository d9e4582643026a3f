namespace MetaLearn.Data.Tabular;

/// <summary>
/// How <see cref="TabularDataset"/> reads a delimited text file: one row an example, one column its class, every other
/// column a numeric feature.
/// </summary>
public sealed record TabularOptions
{
    /// <summary>Whether the first line names the columns (default true).</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The header name of the class column (default "class"); ignored when <see cref="ClassColumnIndex"/> is set.</summary>
    public string ClassColumn { get; init; } = "class";

    /// <summary>
    /// The zero-based index of the class column; when null, the column named <see cref="ClassColumn"/>, or the last
    /// column of a file without a header.
    /// </summary>
    public int? ClassColumnIndex { get; init; }

    /// <summary>The field separator (default ','). Fields may be quoted with '"' (a doubled quote inside is one quote).</summary>
    public char Separator { get; init; } = ',';
}

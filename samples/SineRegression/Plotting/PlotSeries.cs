namespace SineRegression.Plotting;

/// <summary>
/// One data series of a <see cref="LinePlot"/>: a sequence of (x, y) points plus how to draw them.
/// Non-finite points (NaN, ±∞) are skipped; for lines they break the line into separate pieces.
/// </summary>
public sealed class PlotSeries
{
    private readonly double[] x;
    private readonly double[] y;
    private double lineWidth = 2.0;
    private double markerRadius = 4.0;
    private double opacity = 1.0;

    /// <summary>Creates a series from copies of the given coordinates.</summary>
    /// <param name="x">X coordinates.</param>
    /// <param name="y">Y coordinates; must have the same length as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public PlotSeries(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"x has {x.Length} points but y has {y.Length}.", nameof(y));
        }

        this.x = x.ToArray();
        this.y = y.ToArray();
    }

    /// <summary>Creates a series from single-precision coordinates (converted to double).</summary>
    /// <param name="x">X coordinates.</param>
    /// <param name="y">Y coordinates; must have the same length as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public PlotSeries(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        : this(ToDouble(x), ToDouble(y))
    {
    }

    /// <summary>X coordinates (a private copy made at construction).</summary>
    public IReadOnlyList<double> X => x;

    /// <summary>Y coordinates (a private copy made at construction).</summary>
    public IReadOnlyList<double> Y => y;

    /// <summary>Number of points.</summary>
    public int Count => x.Length;

    /// <summary>Line (and marker) color.</summary>
    public Rgb Color { get; set; } = Rgb.Blue;

    /// <summary>Drawing style. Defaults to <see cref="LineStyle.Solid"/>.</summary>
    public LineStyle Style { get; set; } = LineStyle.Solid;

    /// <summary>Line width in pixels (anti-aliased, so fractional widths work). Defaults to 2.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a positive finite number.</exception>
    public double LineWidth
    {
        get => lineWidth;
        set => lineWidth = RequirePositive(value);
    }

    /// <summary>Marker radius in pixels for <see cref="LineStyle.MarkersOnly"/>. Defaults to 4.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a positive finite number.</exception>
    public double MarkerRadius
    {
        get => markerRadius;
        set => markerRadius = RequirePositive(value);
    }

    /// <summary>Opacity in [0, 1]; 1 (default) is fully opaque.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [0, 1].</exception>
    public double Opacity
    {
        get => opacity;
        set => opacity = value is >= 0.0 and <= 1.0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Opacity must be in [0, 1].");
    }

    /// <summary>Legend text; series with a null or empty label get no legend entry.</summary>
    public string? Label { get; set; }

    internal ReadOnlySpan<double> XSpan => x;

    internal ReadOnlySpan<double> YSpan => y;

    private static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    private static double RequirePositive(double value) =>
        double.IsFinite(value) && value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "Must be a positive finite number.");
}

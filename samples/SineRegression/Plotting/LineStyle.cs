namespace SineRegression.Plotting;

/// <summary>How a <see cref="PlotSeries"/> is drawn.</summary>
public enum LineStyle
{
    /// <summary>A continuous line through the points.</summary>
    Solid,

    /// <summary>A dashed line through the points.</summary>
    Dashed,

    /// <summary>A dotted line through the points.</summary>
    Dotted,

    /// <summary>No line; a filled circle at every point (scatter plot).</summary>
    MarkersOnly,
}

namespace SineRegression.Plotting;

/// <summary>Where the legend box of a <see cref="LinePlot"/> is placed inside the plot area.</summary>
public enum LegendPosition
{
    /// <summary>No legend is drawn.</summary>
    None,

    /// <summary>Top-right corner of the plot area.</summary>
    UpperRight,

    /// <summary>Top-left corner of the plot area.</summary>
    UpperLeft,

    /// <summary>Bottom-right corner of the plot area.</summary>
    LowerRight,

    /// <summary>Bottom-left corner of the plot area.</summary>
    LowerLeft,
}

namespace SineRegression.Plotting;

/// <summary>
/// A minimal 2-D line/scatter plot rendered to a <see cref="Canvas"/> or a PNG file: title, axis labels,
/// auto or fixed axis ranges with "nice" ticks and grid, any number of series (solid, dashed, dotted or
/// markers-only) clipped to the plot area, and a legend box.
/// </summary>
/// <example>
/// <code>
/// var plot = new LinePlot { Title = "Sine regression", XLabel = "x", YLabel = "y" };
/// plot.SetXRange(-5, 5);
/// plot.AddLine(xs, ys, Rgb.Red, "ground truth");
/// plot.AddLine(xs, pre, Rgb.Green, "pre-update", style: LineStyle.Dashed);
/// plot.AddScatter(sx, sy, Rgb.Purple, "support points");
/// plot.Save("figure.png");
/// </code>
/// </example>
public sealed class LinePlot
{
    private const int TickLength = 5;
    private const int TickLabelGap = 5;
    private const int OuterPad = 12;

    private readonly List<PlotSeries> series = [];
    private int width;
    private int height;
    private int tickLabelScale = 2;
    private int titleScale = 3;

    /// <summary>Creates an empty plot.</summary>
    /// <param name="width">Image width in pixels (at least 200).</param>
    /// <param name="height">Image height in pixels (at least 150).</param>
    public LinePlot(int width = 800, int height = 500)
    {
        Width = width;
        Height = height;
    }

    /// <summary>Image width in pixels (200-16384).</summary>
    public int Width
    {
        get => width;
        set => width = value is >= 200 and <= 16384 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Width must be in [200, 16384].");
    }

    /// <summary>Image height in pixels (150-16384).</summary>
    public int Height
    {
        get => height;
        set => height = value is >= 150 and <= 16384 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Height must be in [150, 16384].");
    }

    /// <summary>Title drawn centered above the plot area; null or empty for none.</summary>
    public string? Title { get; set; }

    /// <summary>Label under the x axis; null or empty for none.</summary>
    public string? XLabel { get; set; }

    /// <summary>Label left of the y axis (drawn vertically); null or empty for none.</summary>
    public string? YLabel { get; set; }

    /// <summary>Fixed lower x limit, or null to derive it from the data.</summary>
    public double? XMin { get; set; }

    /// <summary>Fixed upper x limit, or null to derive it from the data.</summary>
    public double? XMax { get; set; }

    /// <summary>Fixed lower y limit, or null to derive it from the data.</summary>
    public double? YMin { get; set; }

    /// <summary>Fixed upper y limit, or null to derive it from the data.</summary>
    public double? YMax { get; set; }

    /// <summary>Fraction of the data span added on each side of an automatic x limit. Defaults to 0.05.</summary>
    public double XMargin { get; set; } = 0.05;

    /// <summary>Fraction of the data span added on each side of an automatic y limit. Defaults to 0.05.</summary>
    public double YMargin { get; set; } = 0.05;

    /// <summary>Whether light grid lines are drawn at the ticks. Defaults to true.</summary>
    public bool ShowGrid { get; set; } = true;

    /// <summary>Legend placement. Defaults to <see cref="LegendPosition.UpperRight"/>.</summary>
    public LegendPosition LegendPosition { get; set; } = LegendPosition.UpperRight;

    /// <summary>Image background color. Defaults to white.</summary>
    public Rgb Background { get; set; } = Rgb.White;

    /// <summary>Color of the axes frame, ticks and all text. Defaults to near-black.</summary>
    public Rgb Foreground { get; set; } = new(34, 34, 34);

    /// <summary>Grid line color. Defaults to a light gray.</summary>
    public Rgb GridColor { get; set; } = new(225, 225, 225);

    /// <summary>Font scale (1-4) of tick labels, axis labels and legend text. Defaults to 2 (10x14 px capitals).</summary>
    public int TickLabelScale
    {
        get => tickLabelScale;
        set => tickLabelScale = value is >= 1 and <= 4 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Scale must be in [1, 4].");
    }

    /// <summary>Font scale (1-6) of the title. Defaults to 3.</summary>
    public int TitleScale
    {
        get => titleScale;
        set => titleScale = value is >= 1 and <= 6 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Scale must be in [1, 6].");
    }

    /// <summary>The series in drawing order (later series are drawn on top).</summary>
    public IReadOnlyList<PlotSeries> Series => series;

    /// <summary>Fixes both x limits.</summary>
    /// <param name="min">Lower limit.</param>
    /// <param name="max">Upper limit; must be greater than <paramref name="min"/>.</param>
    /// <exception cref="ArgumentException">Limits are not finite or not increasing.</exception>
    public void SetXRange(double min, double max)
    {
        ValidateRange(min, max);
        XMin = min;
        XMax = max;
    }

    /// <summary>Fixes both y limits.</summary>
    /// <param name="min">Lower limit.</param>
    /// <param name="max">Upper limit; must be greater than <paramref name="min"/>.</param>
    /// <exception cref="ArgumentException">Limits are not finite or not increasing.</exception>
    public void SetYRange(double min, double max)
    {
        ValidateRange(min, max);
        YMin = min;
        YMax = max;
    }

    /// <summary>Makes both x limits automatic again.</summary>
    public void AutoXRange() => (XMin, XMax) = ((double?)null, (double?)null);

    /// <summary>Makes both y limits automatic again.</summary>
    public void AutoYRange() => (YMin, YMax) = ((double?)null, (double?)null);

    /// <summary>Adds a prepared series.</summary>
    /// <param name="item">The series.</param>
    /// <returns>The same series, for further configuration.</returns>
    public PlotSeries Add(PlotSeries item)
    {
        ArgumentNullException.ThrowIfNull(item);
        series.Add(item);
        return item;
    }

    /// <summary>Adds a line series.</summary>
    /// <param name="x">X coordinates (copied).</param>
    /// <param name="y">Y coordinates (copied); same length as <paramref name="x"/>.</param>
    /// <param name="color">Line color.</param>
    /// <param name="label">Legend text, or null for no legend entry.</param>
    /// <param name="width">Line width in pixels.</param>
    /// <param name="style">Line style; <see cref="LineStyle.MarkersOnly"/> makes this a scatter series.</param>
    /// <returns>The new series, for further configuration.</returns>
    public PlotSeries AddLine(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Rgb color, string? label = null, double width = 2.0, LineStyle style = LineStyle.Solid) =>
        Add(new PlotSeries(x, y) { Color = color, Label = label, LineWidth = width, Style = style });

    /// <summary>Adds a line series from single-precision data.</summary>
    /// <param name="x">X coordinates (copied).</param>
    /// <param name="y">Y coordinates (copied); same length as <paramref name="x"/>.</param>
    /// <param name="color">Line color.</param>
    /// <param name="label">Legend text, or null for no legend entry.</param>
    /// <param name="width">Line width in pixels.</param>
    /// <param name="style">Line style; <see cref="LineStyle.MarkersOnly"/> makes this a scatter series.</param>
    /// <returns>The new series, for further configuration.</returns>
    public PlotSeries AddLine(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Rgb color, string? label = null, double width = 2.0, LineStyle style = LineStyle.Solid) =>
        Add(new PlotSeries(x, y) { Color = color, Label = label, LineWidth = width, Style = style });

    /// <summary>Adds a scatter series (filled circles, no line).</summary>
    /// <param name="x">X coordinates (copied).</param>
    /// <param name="y">Y coordinates (copied); same length as <paramref name="x"/>.</param>
    /// <param name="color">Marker color.</param>
    /// <param name="label">Legend text, or null for no legend entry.</param>
    /// <param name="markerRadius">Marker radius in pixels.</param>
    /// <returns>The new series, for further configuration.</returns>
    public PlotSeries AddScatter(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Rgb color, string? label = null, double markerRadius = 4.0) =>
        Add(new PlotSeries(x, y) { Color = color, Label = label, MarkerRadius = markerRadius, Style = LineStyle.MarkersOnly });

    /// <summary>Adds a scatter series (filled circles, no line) from single-precision data.</summary>
    /// <param name="x">X coordinates (copied).</param>
    /// <param name="y">Y coordinates (copied); same length as <paramref name="x"/>.</param>
    /// <param name="color">Marker color.</param>
    /// <param name="label">Legend text, or null for no legend entry.</param>
    /// <param name="markerRadius">Marker radius in pixels.</param>
    /// <returns>The new series, for further configuration.</returns>
    public PlotSeries AddScatter(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Rgb color, string? label = null, double markerRadius = 4.0) =>
        Add(new PlotSeries(x, y) { Color = color, Label = label, MarkerRadius = markerRadius, Style = LineStyle.MarkersOnly });

    /// <summary>Removes all series (ranges, labels and styling are kept).</summary>
    public void ClearSeries() => series.Clear();

    /// <summary>Renders the plot and writes it atomically to a PNG file (see <see cref="PngWriter.Write"/>).</summary>
    /// <param name="path">Destination file path.</param>
    public void Save(string path) => PngWriter.Write(path, Render());

    /// <summary>Renders the plot to a new canvas of <see cref="Width"/> x <see cref="Height"/> pixels.</summary>
    /// <returns>The rendered image.</returns>
    /// <exception cref="InvalidOperationException">Fixed limits are invalid (min not below max, or not finite).</exception>
    public Canvas Render()
    {
        var (xMin, xMax) = ResolveRange(XMin, XMax, XMargin, s => s.XSpan, nameof(XMin));
        var (yMin, yMax) = ResolveRange(YMin, YMax, YMargin, s => s.YSpan, nameof(YMin));

        var canvas = new Canvas(Width, Height, Background);
        var ts = TickLabelScale;
        var textHeight = BitmapFont.CapHeight * ts;
        var hasTitle = !string.IsNullOrEmpty(Title);
        var hasXLabel = !string.IsNullOrEmpty(XLabel);
        var hasYLabel = !string.IsNullOrEmpty(YLabel);

        // Provisional plot size for choosing tick density, then the y tick labels fix the left margin.
        var top = OuterPad + (hasTitle ? (BitmapFont.CapHeight * TitleScale) + 14 : 4);
        var bottom = OuterPad + (hasXLabel ? textHeight + 12 : 0) + textHeight + TickLabelGap + TickLength;
        var plotHeight = Height - top - bottom;
        var yStep = NiceTicks.Step(yMin, yMax, Math.Max(2.0, plotHeight / 70.0));
        var yTicks = NiceTicks.Values(yMin, yMax, yStep);
        var yLabels = Array.ConvertAll(yTicks, v => NiceTicks.Format(v, yStep));
        var yLabelWidth = yLabels.Length == 0 ? 0 : yLabels.Max(s => BitmapFont.MeasureWidth(s, ts));
        var left = OuterPad + (hasYLabel ? textHeight + 12 : 0) + yLabelWidth + TickLabelGap + TickLength;

        var right = OuterPad + 8;
        var plotWidth = Width - left - right;
        var xStep = NiceTicks.Step(xMin, xMax, Math.Max(2.0, plotWidth / 110.0));
        var xTicks = NiceTicks.Values(xMin, xMax, xStep);
        var xLabels = Array.ConvertAll(xTicks, v => NiceTicks.Format(v, xStep));
        if (xTicks.Length > 0)
        {
            // Keep the last x tick label inside the image.
            var overhang = (BitmapFont.MeasureWidth(xLabels[^1], ts) / 2) - (int)((xMax - xTicks[^1]) / (xMax - xMin) * plotWidth);
            right = Math.Max(right, OuterPad + overhang);
            plotWidth = Width - left - right;
        }

        if (plotWidth < 20 || plotHeight < 20)
        {
            throw new InvalidOperationException("The image is too small for its labels.");
        }

        double MapX(double v) => left + ((v - xMin) / (xMax - xMin) * plotWidth);
        double MapY(double v) => top + plotHeight - ((v - yMin) / (yMax - yMin) * plotHeight);
        int PixelX(double v) => Math.Clamp((int)Math.Floor(MapX(v)), left, left + plotWidth - 1);
        int PixelY(double v) => Math.Clamp((int)Math.Floor(MapY(v)), top, top + plotHeight - 1);

        // Grid.
        if (ShowGrid)
        {
            foreach (var t in xTicks)
            {
                canvas.FillRectangle(PixelX(t), top, 1, plotHeight, GridColor);
            }

            foreach (var t in yTicks)
            {
                canvas.FillRectangle(left, PixelY(t), plotWidth, 1, GridColor);
            }
        }

        // Series, clipped to the plot area.
        canvas.SetClip(left, top, plotWidth, plotHeight);
        foreach (var s in series)
        {
            DrawSeries(canvas, s, MapX, MapY);
        }

        canvas.ResetClip();

        // Frame (just outside the plot area), ticks and tick labels.
        canvas.DrawRectangle(left - 1, top - 1, plotWidth + 2, plotHeight + 2, Foreground);
        for (var i = 0; i < xTicks.Length; i++)
        {
            var px = PixelX(xTicks[i]);
            canvas.FillRectangle(px, top + plotHeight + 1, 1, TickLength, Foreground);
            var w = BitmapFont.MeasureWidth(xLabels[i], ts);
            canvas.DrawText(px - (w / 2), top + plotHeight + 1 + TickLength + TickLabelGap, xLabels[i], Foreground, ts);
        }

        for (var i = 0; i < yTicks.Length; i++)
        {
            var py = PixelY(yTicks[i]);
            canvas.FillRectangle(left - 1 - TickLength, py, TickLength, 1, Foreground);
            var w = BitmapFont.MeasureWidth(yLabels[i], ts);
            canvas.DrawText(left - 1 - TickLength - TickLabelGap - w, py - (textHeight / 2), yLabels[i], Foreground, ts);
        }

        // Title and axis labels.
        if (hasTitle)
        {
            // Centered over the plot area, shifted (if it is long) to stay inside the image.
            var w = BitmapFont.MeasureWidth(Title!, TitleScale);
            var tx = Math.Max(Math.Min(left + ((plotWidth - w) / 2), Width - OuterPad - w), Math.Min(OuterPad, (Width - w) / 2));
            canvas.DrawText(tx, OuterPad, Title!, Foreground, TitleScale);
        }

        if (hasXLabel)
        {
            var w = BitmapFont.MeasureWidth(XLabel!, ts);
            canvas.DrawText(left + ((plotWidth - w) / 2), Height - OuterPad - textHeight, XLabel!, Foreground, ts);
        }

        if (hasYLabel)
        {
            var w = BitmapFont.MeasureWidth(YLabel!, ts);
            canvas.DrawTextVertical(OuterPad, top + ((plotHeight + w) / 2), YLabel!, Foreground, ts);
        }

        DrawLegend(canvas, left, top, plotWidth, plotHeight);
        return canvas;
    }

    /// <summary>The dash pattern (on/off lengths along the path) used for a style and line width.</summary>
    internal static double[] DashPattern(LineStyle style, double lineWidth) => style switch
    {
        // Round caps add lineWidth to every "on" piece, so compensate to get the visible lengths.
        LineStyle.Dashed => [Math.Max(8.0, 4.0 * lineWidth) - lineWidth, Math.Max(5.0, 2.5 * lineWidth) + lineWidth],
        LineStyle.Dotted => [0.01, Math.Max(3.0, 1.5 * lineWidth) + lineWidth],
        _ => [],
    };

    private static void DrawSeries(Canvas canvas, PlotSeries s, Func<double, double> mapX, Func<double, double> mapY)
    {
        var xs = s.XSpan;
        var ys = s.YSpan;
        var px = new double[xs.Length];
        var py = new double[ys.Length];
        for (var i = 0; i < px.Length; i++)
        {
            px[i] = mapX(xs[i]);
            py[i] = mapY(ys[i]);
        }

        if (s.Style == LineStyle.MarkersOnly)
        {
            for (var i = 0; i < px.Length; i++)
            {
                canvas.FillCircle(px[i], py[i], s.MarkerRadius, s.Color, s.Opacity);
            }
        }
        else
        {
            canvas.DrawPolyline(px, py, s.Color, s.LineWidth, DashPattern(s.Style, s.LineWidth), s.Opacity);
        }
    }

    private void DrawLegend(Canvas canvas, int left, int top, int plotWidth, int plotHeight)
    {
        var entries = series.Where(s => !string.IsNullOrEmpty(s.Label)).ToList();
        if (LegendPosition == LegendPosition.None || entries.Count == 0)
        {
            return;
        }

        var ts = TickLabelScale;
        const int pad = 10;
        const int sampleLength = 36;
        const int sampleGap = 8;
        var rowHeight = Math.Max(BitmapFont.CellHeight * ts, (int)Math.Ceiling(entries.Max(s => s.Style == LineStyle.MarkersOnly ? 2 * s.MarkerRadius : s.LineWidth)) + 2) + 4;
        var textWidth = entries.Max(s => BitmapFont.MeasureWidth(s.Label!, ts));
        var boxWidth = pad + sampleLength + sampleGap + textWidth + pad;
        var boxHeight = pad + (entries.Count * rowHeight) - 4 - ((BitmapFont.CellHeight - BitmapFont.CapHeight) * ts) + pad;

        const int inset = 10;
        var atRight = LegendPosition is LegendPosition.UpperRight or LegendPosition.LowerRight;
        var atTop = LegendPosition is LegendPosition.UpperRight or LegendPosition.UpperLeft;
        var bx = atRight ? left + plotWidth - inset - boxWidth : left + inset;
        var by = atTop ? top + inset : top + plotHeight - inset - boxHeight;

        canvas.FillRectangle(bx, by, boxWidth, boxHeight, Background, 0.85);
        canvas.DrawRectangle(bx, by, boxWidth, boxHeight, new Rgb(190, 190, 190));

        for (var i = 0; i < entries.Count; i++)
        {
            var s = entries[i];
            var rowTop = by + pad + (i * rowHeight);
            var cy = rowTop + (BitmapFont.CapHeight * ts / 2.0);
            var sx = bx + pad;
            if (s.Style == LineStyle.MarkersOnly)
            {
                var cx = sx + (sampleLength / 2.0);
                canvas.FillCircle(cx - (sampleLength / 4.0), cy, s.MarkerRadius, s.Color, s.Opacity);
                canvas.FillCircle(cx + (sampleLength / 4.0), cy, s.MarkerRadius, s.Color, s.Opacity);
            }
            else
            {
                ReadOnlySpan<double> lx = [sx + (s.LineWidth / 2), sx + sampleLength - (s.LineWidth / 2)];
                ReadOnlySpan<double> ly = [cy, cy];
                canvas.DrawPolyline(lx, ly, s.Color, s.LineWidth, DashPattern(s.Style, s.LineWidth), s.Opacity);
            }

            canvas.DrawText(sx + sampleLength + sampleGap, rowTop, s.Label!, Foreground, ts);
        }
    }

    private (double Min, double Max) ResolveRange(double? fixedMin, double? fixedMax, double margin, Func<PlotSeries, ReadOnlySpan<double>> select, string what)
    {
        if (fixedMin is { } a && fixedMax is { } b)
        {
            if (!double.IsFinite(a) || !double.IsFinite(b) || !(a < b))
            {
                throw new InvalidOperationException($"Invalid fixed range for {what}: [{a}, {b}].");
            }

            return (a, b);
        }

        // Data extent over finite points (only points whose other coordinate is finite too would be stricter; not needed).
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var s in series)
        {
            foreach (var v in select(s))
            {
                if (double.IsFinite(v))
                {
                    lo = Math.Min(lo, v);
                    hi = Math.Max(hi, v);
                }
            }
        }

        if (fixedMin is { } fmin)
        {
            lo = fmin;
            hi = Math.Max(hi, lo);
        }

        if (fixedMax is { } fmax)
        {
            hi = fmax;
            lo = Math.Min(lo, hi);
        }

        if (!double.IsFinite(lo) || !double.IsFinite(hi))
        {
            (lo, hi) = double.IsFinite(lo) ? (lo, lo + 1) : double.IsFinite(hi) ? (hi - 1, hi) : (0.0, 1.0);
        }

        var span = hi - lo;
        if (!(span > 0))
        {
            var half = Math.Abs(lo) > 0 ? Math.Abs(lo) * 0.1 : 0.5;
            return (fixedMin ?? lo - half, fixedMax ?? hi + half);
        }

        var pad = span * Math.Max(0.0, margin);
        return (fixedMin ?? lo - pad, fixedMax ?? hi + pad);
    }

    private static void ValidateRange(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || !(min < max))
        {
            throw new ArgumentException($"Range [{min}, {max}] must be finite with min < max.", nameof(max));
        }
    }
}

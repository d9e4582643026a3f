namespace SineRegression.Plotting;

/// <summary>
/// An RGB raster (3 bytes per pixel, row-major, top row first) with simple anti-aliased drawing primitives.
/// Pixel (x, y) covers the continuous square [x, x+1) x [y, y+1); floating-point coordinates use that
/// convention, so a 1-px line through pixel centers is at x + 0.5. All drawing honors the clip rectangle.
/// </summary>
public sealed class Canvas
{
    private readonly byte[] pixels;
    private float[]? coverage;
    private int clipX0;
    private int clipY0;
    private int clipX1;
    private int clipY1;

    /// <summary>Creates a canvas filled with <paramref name="background"/>.</summary>
    /// <param name="width">Width in pixels (1-16384).</param>
    /// <param name="height">Height in pixels (1-16384).</param>
    /// <param name="background">Initial fill color.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is out of range.</exception>
    public Canvas(int width, int height, Rgb background)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 16384);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, 16384);
        Width = width;
        Height = height;
        pixels = new byte[width * height * 3];
        ResetClip();
        Clear(background);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The raw pixel data: RGB triples, row-major, top row first, no row padding.</summary>
    public ReadOnlySpan<byte> Pixels => pixels;

    /// <summary>Fills the whole canvas (ignoring the clip rectangle).</summary>
    /// <param name="color">Fill color.</param>
    public void Clear(Rgb color)
    {
        for (var i = 0; i < pixels.Length; i += 3)
        {
            pixels[i] = color.R;
            pixels[i + 1] = color.G;
            pixels[i + 2] = color.B;
        }
    }

    /// <summary>Restricts all subsequent drawing to a rectangle (intersected with the canvas).</summary>
    /// <param name="x">Left edge.</param>
    /// <param name="y">Top edge.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public void SetClip(int x, int y, int width, int height)
    {
        clipX0 = Math.Clamp(x, 0, Width);
        clipY0 = Math.Clamp(y, 0, Height);
        clipX1 = Math.Clamp(x + Math.Max(0, width), clipX0, Width);
        clipY1 = Math.Clamp(y + Math.Max(0, height), clipY0, Height);
    }

    /// <summary>Removes the clip rectangle (drawing may touch the whole canvas).</summary>
    public void ResetClip()
    {
        clipX0 = 0;
        clipY0 = 0;
        clipX1 = Width;
        clipY1 = Height;
    }

    /// <summary>Reads one pixel.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <returns>The pixel color.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Outside the canvas.</exception>
    public Rgb GetPixel(int x, int y)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)x, (uint)Width, nameof(x));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)y, (uint)Height, nameof(y));
        var i = ((y * Width) + x) * 3;
        return new Rgb(pixels[i], pixels[i + 1], pixels[i + 2]);
    }

    /// <summary>Blends <paramref name="color"/> over one pixel with the given opacity (no-op outside the clip).</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <param name="color">Color to blend in.</param>
    /// <param name="alpha">Opacity in [0, 1]; values outside are clamped.</param>
    public void BlendPixel(int x, int y, Rgb color, double alpha = 1.0)
    {
        if (x < clipX0 || x >= clipX1 || y < clipY0 || y >= clipY1)
        {
            return;
        }

        Blend(((y * Width) + x) * 3, color, (float)alpha);
    }

    /// <summary>Fills an axis-aligned rectangle.</summary>
    /// <param name="x">Left edge.</param>
    /// <param name="y">Top edge.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="color">Fill color.</param>
    /// <param name="alpha">Opacity in [0, 1].</param>
    public void FillRectangle(int x, int y, int width, int height, Rgb color, double alpha = 1.0)
    {
        var x0 = Math.Max(x, clipX0);
        var y0 = Math.Max(y, clipY0);
        var x1 = Math.Min(x + width, clipX1);
        var y1 = Math.Min(y + height, clipY1);
        for (var py = y0; py < y1; py++)
        {
            for (var px = x0; px < x1; px++)
            {
                Blend(((py * Width) + px) * 3, color, (float)alpha);
            }
        }
    }

    /// <summary>Draws the outline of an axis-aligned rectangle, inside its bounds.</summary>
    /// <param name="x">Left edge.</param>
    /// <param name="y">Top edge.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="color">Outline color.</param>
    /// <param name="thickness">Outline thickness in pixels.</param>
    public void DrawRectangle(int x, int y, int width, int height, Rgb color, int thickness = 1)
    {
        var t = Math.Clamp(thickness, 0, Math.Min(width, height) / 2 + 1);
        FillRectangle(x, y, width, t, color);
        FillRectangle(x, y + height - t, width, t, color);
        FillRectangle(x, y + t, t, height - (2 * t), color);
        FillRectangle(x + width - t, y + t, t, height - (2 * t), color);
    }

    /// <summary>Draws an anti-aliased straight line with round caps.</summary>
    /// <param name="x0">Start x (continuous pixel coordinates).</param>
    /// <param name="y0">Start y.</param>
    /// <param name="x1">End x.</param>
    /// <param name="y1">End y.</param>
    /// <param name="color">Line color.</param>
    /// <param name="width">Line width in pixels.</param>
    /// <param name="alpha">Opacity in [0, 1].</param>
    public void DrawLine(double x0, double y0, double x1, double y1, Rgb color, double width = 1.0, double alpha = 1.0)
    {
        ReadOnlySpan<double> xs = [x0, x1];
        ReadOnlySpan<double> ys = [y0, y1];
        DrawPolyline(xs, ys, color, width, default, alpha);
    }

    /// <summary>
    /// Draws an anti-aliased polyline with round joins and caps, optionally dashed. Overlapping parts of the
    /// same polyline are not double-blended, so semi-transparent lines stay uniform. Segments with a non-finite
    /// endpoint are skipped (the line breaks there).
    /// </summary>
    /// <param name="xs">Vertex x coordinates (continuous pixel coordinates).</param>
    /// <param name="ys">Vertex y coordinates; same length as <paramref name="xs"/>.</param>
    /// <param name="color">Line color.</param>
    /// <param name="width">Line width in pixels.</param>
    /// <param name="dashPattern">
    /// Alternating on/off lengths in pixels measured along the path (the round caps extend each "on" piece by
    /// half the width at both ends); empty for a solid line.
    /// </param>
    /// <param name="alpha">Opacity in [0, 1].</param>
    /// <exception cref="ArgumentException">Lengths differ, or the dash pattern has a negative or non-finite entry.</exception>
    public void DrawPolyline(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, Rgb color, double width = 1.0, ReadOnlySpan<double> dashPattern = default, double alpha = 1.0)
    {
        if (xs.Length != ys.Length)
        {
            throw new ArgumentException("xs and ys must have the same length.", nameof(ys));
        }

        var period = 0.0;
        foreach (var d in dashPattern)
        {
            if (!double.IsFinite(d) || d < 0)
            {
                throw new ArgumentException("Dash lengths must be finite and non-negative.", nameof(dashPattern));
            }

            period += d;
        }

        if (!(width > 0) || !double.IsFinite(width) || xs.Length == 0 || clipX0 >= clipX1 || clipY0 >= clipY1)
        {
            return;
        }

        var dashed = dashPattern.Length > 0 && period > 0;
        var hw = width / 2;
        var stroke = new StrokeBounds(Width, Height);
        coverage ??= new float[Width * Height];

        if (xs.Length == 1 && double.IsFinite(xs[0]) && double.IsFinite(ys[0]))
        {
            RasterSegment(xs[0], ys[0], xs[0], ys[0], hw, ref stroke);
        }

        var pad = hw + 2;
        var distance = 0.0;
        for (var i = 1; i < xs.Length; i++)
        {
            double ax = xs[i - 1], ay = ys[i - 1], bx = xs[i], by = ys[i];
            if (!double.IsFinite(ax) || !double.IsFinite(ay) || !double.IsFinite(bx) || !double.IsFinite(by))
            {
                continue;
            }

            double dx = bx - ax, dy = by - ay;
            var len = Math.Sqrt((dx * dx) + (dy * dy));
            if (!double.IsFinite(len))
            {
                continue;
            }

            if (ClipSegment(ax, ay, dx, dy, clipX0 - pad, clipY0 - pad, clipX1 + pad, clipY1 + pad, out var t0, out var t1))
            {
                if (!dashed)
                {
                    RasterSegment(ax + (t0 * dx), ay + (t0 * dy), ax + (t1 * dx), ay + (t1 * dy), hw, ref stroke);
                }
                else if (len > 0)
                {
                    DashSegment(ax, ay, dx / len, dy / len, t0 * len, t1 * len, distance, dashPattern, period, hw, ref stroke);
                }
            }

            distance += len;
        }

        Composite(ref stroke, color, (float)alpha);
    }

    /// <summary>Fills an anti-aliased circle.</summary>
    /// <param name="cx">Center x (continuous pixel coordinates).</param>
    /// <param name="cy">Center y.</param>
    /// <param name="radius">Radius in pixels.</param>
    /// <param name="color">Fill color.</param>
    /// <param name="alpha">Opacity in [0, 1].</param>
    public void FillCircle(double cx, double cy, double radius, Rgb color, double alpha = 1.0)
    {
        if (!double.IsFinite(cx) || !double.IsFinite(cy) || !(radius > 0) || !double.IsFinite(radius))
        {
            return;
        }

        var x0 = (int)Math.Max(clipX0, Math.Floor(cx - radius - 1));
        var x1 = (int)Math.Min(clipX1, Math.Ceiling(cx + radius + 1));
        var y0 = (int)Math.Max(clipY0, Math.Floor(cy - radius - 1));
        var y1 = (int)Math.Min(clipY1, Math.Ceiling(cy + radius + 1));
        for (var py = y0; py < y1; py++)
        {
            var ddy = py + 0.5 - cy;
            for (var px = x0; px < x1; px++)
            {
                var ddx = px + 0.5 - cx;
                var c = Math.Clamp(radius + 0.5 - Math.Sqrt((ddx * ddx) + (ddy * ddy)), 0.0, 1.0);
                if (radius < 0.5)
                {
                    c *= radius * 2;
                }

                if (c > 0)
                {
                    Blend(((py * Width) + px) * 3, color, (float)(c * alpha));
                }
            }
        }
    }

    /// <summary>Draws a single line of text with <see cref="BitmapFont"/>.</summary>
    /// <param name="x">Left edge of the first character cell.</param>
    /// <param name="y">Top edge of the character cells (capitals span <see cref="BitmapFont.CapHeight"/> x scale pixels from here).</param>
    /// <param name="text">Text to draw.</param>
    /// <param name="color">Text color.</param>
    /// <param name="scale">Integer size multiplier (1 = 5x7 px capitals).</param>
    public void DrawText(int x, int y, string text, Rgb color, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        for (var i = 0; i < text.Length; i++)
        {
            var left = x + (i * BitmapFont.Advance * scale);
            for (var row = 0; row < BitmapFont.CellHeight; row++)
            {
                for (var col = 0; col < BitmapFont.GlyphWidth; col++)
                {
                    if (BitmapFont.IsPixelSet(text[i], col, row))
                    {
                        FillRectangle(left + (col * scale), y + (row * scale), scale, scale, color);
                    }
                }
            }
        }
    }

    /// <summary>Draws a single line of text rotated 90° counter-clockwise (reading bottom to top).</summary>
    /// <param name="x">Left edge of the rotated text (the tops of the glyphs face left).</param>
    /// <param name="y">Bottom edge where the text starts.</param>
    /// <param name="text">Text to draw.</param>
    /// <param name="color">Text color.</param>
    /// <param name="scale">Integer size multiplier.</param>
    public void DrawTextVertical(int x, int y, string text, Rgb color, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        for (var i = 0; i < text.Length; i++)
        {
            for (var row = 0; row < BitmapFont.CellHeight; row++)
            {
                for (var col = 0; col < BitmapFont.GlyphWidth; col++)
                {
                    if (BitmapFont.IsPixelSet(text[i], col, row))
                    {
                        var u = (i * BitmapFont.Advance) + col;
                        FillRectangle(x + (row * scale), y - ((u + 1) * scale), scale, scale, color);
                    }
                }
            }
        }
    }

    // Liang-Barsky: parameter range [t0, t1] of a + t*d (t in [0, 1]) inside the box.
    private static bool ClipSegment(double ax, double ay, double dx, double dy, double minX, double minY, double maxX, double maxY, out double t0, out double t1)
    {
        t0 = 0;
        t1 = 1;
        return ClipEdge(-dx, ax - minX, ref t0, ref t1)
            && ClipEdge(dx, maxX - ax, ref t0, ref t1)
            && ClipEdge(-dy, ay - minY, ref t0, ref t1)
            && ClipEdge(dy, maxY - ay, ref t0, ref t1);
    }

    private static bool ClipEdge(double p, double q, ref double t0, ref double t1)
    {
        if (p == 0)
        {
            return q >= 0;
        }

        var r = q / p;
        if (p < 0)
        {
            if (r > t1)
            {
                return false;
            }

            t0 = Math.Max(t0, r);
        }
        else
        {
            if (r < t0)
            {
                return false;
            }

            t1 = Math.Min(t1, r);
        }

        return true;
    }

    // Emits the "on" pieces of the dash pattern between arc positions s0..s1 of a segment starting at (ax, ay)
    // with unit direction (ux, uy); offset is the path length before this segment.
    private void DashSegment(double ax, double ay, double ux, double uy, double s0, double s1, double offset, ReadOnlySpan<double> pattern, double period, double hw, ref StrokeBounds stroke)
    {
        var s = s0;
        while (s < s1)
        {
            var phase = (offset + s) % period;
            var k = 0;
            var acc = 0.0;
            while (k < pattern.Length - 1 && acc + pattern[k] <= phase)
            {
                acc += pattern[k];
                k++;
            }

            var end = Math.Min(s1, Math.Max(acc + pattern[k] - phase, 1e-6) + s);
            if (k % 2 == 0)
            {
                RasterSegment(ax + (ux * s), ay + (uy * s), ax + (ux * end), ay + (uy * end), hw, ref stroke);
            }

            s = end;
        }
    }

    // Accumulates (by max) the coverage of a round-capped segment of half-width hw into the coverage buffer.
    private void RasterSegment(double ax, double ay, double bx, double by, double hw, ref StrokeBounds stroke)
    {
        var x0 = (int)Math.Max(clipX0, Math.Floor(Math.Min(ax, bx) - hw - 1));
        var x1 = (int)Math.Min(clipX1, Math.Ceiling(Math.Max(ax, bx) + hw + 1));
        var y0 = (int)Math.Max(clipY0, Math.Floor(Math.Min(ay, by) - hw - 1));
        var y1 = (int)Math.Min(clipY1, Math.Ceiling(Math.Max(ay, by) + hw + 1));
        if (x0 >= x1 || y0 >= y1)
        {
            return;
        }

        stroke.Include(x0, y0, x1, y1);
        var cov = coverage!;
        double dx = bx - ax, dy = by - ay;
        var len2 = (dx * dx) + (dy * dy);
        var thinFactor = hw < 0.5 ? hw * 2 : 1.0;
        var reach = hw + 0.5;
        for (var py = y0; py < y1; py++)
        {
            var pyc = py + 0.5;
            for (var px = x0; px < x1; px++)
            {
                var pxc = px + 0.5;
                var t = len2 > 0 ? Math.Clamp((((pxc - ax) * dx) + ((pyc - ay) * dy)) / len2, 0.0, 1.0) : 0.0;
                var ex = pxc - (ax + (t * dx));
                var ey = pyc - (ay + (t * dy));
                var dist2 = (ex * ex) + (ey * ey);
                if (dist2 >= reach * reach)
                {
                    continue;
                }

                var c = (float)(Math.Min(1.0, reach - Math.Sqrt(dist2)) * thinFactor);
                var idx = (py * Width) + px;
                if (c > cov[idx])
                {
                    cov[idx] = c;
                }
            }
        }
    }

    private void Composite(ref StrokeBounds stroke, Rgb color, float alpha)
    {
        if (stroke.IsEmpty)
        {
            return;
        }

        var cov = coverage!;
        for (var py = stroke.Y0; py < stroke.Y1; py++)
        {
            for (var px = stroke.X0; px < stroke.X1; px++)
            {
                var idx = (py * Width) + px;
                var c = cov[idx];
                if (c > 0)
                {
                    Blend(idx * 3, color, c * alpha);
                    cov[idx] = 0;
                }
            }
        }
    }

    private void Blend(int offset, Rgb color, float alpha)
    {
        if (alpha >= 1f)
        {
            pixels[offset] = color.R;
            pixels[offset + 1] = color.G;
            pixels[offset + 2] = color.B;
        }
        else if (alpha > 0f)
        {
            pixels[offset] = Mix(pixels[offset], color.R, alpha);
            pixels[offset + 1] = Mix(pixels[offset + 1], color.G, alpha);
            pixels[offset + 2] = Mix(pixels[offset + 2], color.B, alpha);
        }
    }

    private static byte Mix(byte dst, byte src, float alpha) => (byte)((dst + ((src - dst) * alpha)) + 0.5f);

    // Bounding box of the pixels touched by the current stroke (exclusive upper bounds).
    private struct StrokeBounds(int width, int height)
    {
        public int X0 = width;
        public int Y0 = height;
        public int X1;
        public int Y1;

        public readonly bool IsEmpty => X0 >= X1 || Y0 >= Y1;

        public void Include(int x0, int y0, int x1, int y1)
        {
            X0 = Math.Min(X0, x0);
            Y0 = Math.Min(Y0, y0);
            X1 = Math.Max(X1, x1);
            Y1 = Math.Max(Y1, y1);
        }
    }
}

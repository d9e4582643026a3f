namespace SineRegression.Plotting;

/// <summary>An opaque 24-bit RGB color.</summary>
/// <param name="R">Red channel, 0-255.</param>
/// <param name="G">Green channel, 0-255.</param>
/// <param name="B">Blue channel, 0-255.</param>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>Black (0, 0, 0).</summary>
    public static Rgb Black => new(0, 0, 0);

    /// <summary>White (255, 255, 255).</summary>
    public static Rgb White => new(255, 255, 255);

    /// <summary>Medium gray (128, 128, 128).</summary>
    public static Rgb Gray => new(128, 128, 128);

    /// <summary>Matplotlib "tab:blue".</summary>
    public static Rgb Blue => new(31, 119, 180);

    /// <summary>Matplotlib "tab:orange".</summary>
    public static Rgb Orange => new(255, 127, 14);

    /// <summary>Matplotlib "tab:green".</summary>
    public static Rgb Green => new(44, 160, 44);

    /// <summary>Matplotlib "tab:red".</summary>
    public static Rgb Red => new(214, 39, 40);

    /// <summary>Matplotlib "tab:purple".</summary>
    public static Rgb Purple => new(148, 103, 189);

    /// <summary>Matplotlib "tab:brown".</summary>
    public static Rgb Brown => new(140, 86, 75);

    /// <summary>Matplotlib "tab:pink".</summary>
    public static Rgb Pink => new(227, 119, 194);

    /// <summary>Matplotlib "tab:olive".</summary>
    public static Rgb Olive => new(188, 189, 34);

    /// <summary>Matplotlib "tab:cyan".</summary>
    public static Rgb Cyan => new(23, 190, 207);

    /// <summary>Linearly interpolates between two colors (in gamma-encoded space).</summary>
    /// <param name="from">Color at <paramref name="t"/> = 0.</param>
    /// <param name="to">Color at <paramref name="t"/> = 1.</param>
    /// <param name="t">Blend factor; clamped to [0, 1].</param>
    /// <returns>The blended color.</returns>
    public static Rgb Lerp(Rgb from, Rgb to, double t)
    {
        t = Math.Clamp(t, 0.0, 1.0);
        return new Rgb(Mix(from.R, to.R, t), Mix(from.G, to.G, t), Mix(from.B, to.B, t));
    }

    private static byte Mix(byte a, byte b, double t) => (byte)Math.Round(a + ((b - a) * t));
}

using System.Collections.Frozen;

namespace SineRegression.Plotting;

/// <summary>
/// A tiny built-in 5x7 pixel font (digits, ASCII letters, common punctuation, α and θ), so text can be
/// drawn without any font library. Each glyph sits in a 5-wide, 9-tall cell: rows 0-6 are the body
/// (capitals and digits fill them; the baseline is under row 6) and rows 7-8 hold descenders (g, j, p, q, y).
/// Characters without a glyph are drawn as a hollow box.
/// </summary>
public static class BitmapFont
{
    /// <summary>Glyph width in font pixels.</summary>
    public const int GlyphWidth = 5;

    /// <summary>Height of capitals and digits in font pixels.</summary>
    public const int CapHeight = 7;

    /// <summary>Cell height including descenders, in font pixels.</summary>
    public const int CellHeight = 9;

    /// <summary>Horizontal advance per character (glyph plus one pixel of spacing), in font pixels.</summary>
    public const int Advance = 6;

    private static readonly FrozenDictionary<char, byte[]> Glyphs = BuildGlyphs();

    private static readonly byte[] MissingGlyph = Parse("##### #...# #...# #...# #...# #...# #####");

    /// <summary>Width in screen pixels of <paramref name="text"/> drawn at integer <paramref name="scale"/>.</summary>
    /// <param name="text">The text (single line).</param>
    /// <param name="scale">Size multiplier (each font pixel becomes scale x scale screen pixels).</param>
    /// <returns>The width; 0 for empty text.</returns>
    public static int MeasureWidth(string text, int scale)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? 0 : ((text.Length * Advance) - 1) * scale;
    }

    /// <summary>Whether the font pixel at (<paramref name="column"/>, <paramref name="row"/>) of <paramref name="c"/> is set.</summary>
    /// <param name="c">The character.</param>
    /// <param name="column">Column 0..<see cref="GlyphWidth"/>-1, left to right.</param>
    /// <param name="row">Row 0..<see cref="CellHeight"/>-1, top to bottom.</param>
    /// <returns>True if the pixel is ink; false outside the cell or for background.</returns>
    public static bool IsPixelSet(char c, int column, int row)
    {
        if ((uint)column >= GlyphWidth || (uint)row >= CellHeight || c == ' ')
        {
            return false;
        }

        var rows = Glyphs.TryGetValue(c, out var g) ? g : MissingGlyph;
        return (rows[row] & (1 << (GlyphWidth - 1 - column))) != 0;
    }

    /// <summary>Whether the font has a real glyph for <paramref name="c"/> (space counts as one).</summary>
    /// <param name="c">The character.</param>
    /// <returns>True if the character is supported.</returns>
    public static bool HasGlyph(char c) => c == ' ' || Glyphs.ContainsKey(c);

    // Each glyph: 7 or 9 space-separated rows of 5 characters, '#' = ink.
    private static FrozenDictionary<char, byte[]> BuildGlyphs()
    {
        var d = new Dictionary<char, string>
        {
            ['0'] = ".###. #...# #..## #.#.# ##..# #...# .###.",
            ['1'] = "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",
            ['2'] = ".###. #...# ....# ...#. ..#.. .#... #####",
            ['3'] = "##### ...#. ..#.. ...#. ....# #...# .###.",
            ['4'] = "...#. ..##. .#.#. #..#. ##### ...#. ...#.",
            ['5'] = "##### #.... ####. ....# ....# #...# .###.",
            ['6'] = "..##. .#... #.... ####. #...# #...# .###.",
            ['7'] = "##### ....# ...#. ..#.. .#... .#... .#...",
            ['8'] = ".###. #...# #...# .###. #...# #...# .###.",
            ['9'] = ".###. #...# #...# .#### ....# ...#. .##..",
            ['A'] = ".###. #...# #...# ##### #...# #...# #...#",
            ['B'] = "####. #...# #...# ####. #...# #...# ####.",
            ['C'] = ".###. #...# #.... #.... #.... #...# .###.",
            ['D'] = "###.. #..#. #...# #...# #...# #..#. ###..",
            ['E'] = "##### #.... #.... ####. #.... #.... #####",
            ['F'] = "##### #.... #.... ####. #.... #.... #....",
            ['G'] = ".###. #...# #.... #.### #...# #...# .####",
            ['H'] = "#...# #...# #...# ##### #...# #...# #...#",
            ['I'] = ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
            ['J'] = "..### ...#. ...#. ...#. ...#. #..#. .##..",
            ['K'] = "#...# #..#. #.#.. ##... #.#.. #..#. #...#",
            ['L'] = "#.... #.... #.... #.... #.... #.... #####",
            ['M'] = "#...# ##.## #.#.# #.#.# #...# #...# #...#",
            ['N'] = "#...# #...# ##..# #.#.# #..## #...# #...#",
            ['O'] = ".###. #...# #...# #...# #...# #...# .###.",
            ['P'] = "####. #...# #...# ####. #.... #.... #....",
            ['Q'] = ".###. #...# #...# #...# #.#.# #..#. .##.#",
            ['R'] = "####. #...# #...# ####. #.#.. #..#. #...#",
            ['S'] = ".#### #.... #.... .###. ....# ....# ####.",
            ['T'] = "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
            ['U'] = "#...# #...# #...# #...# #...# #...# .###.",
            ['V'] = "#...# #...# #...# #...# #...# .#.#. ..#..",
            ['W'] = "#...# #...# #...# #.#.# #.#.# #.#.# .#.#.",
            ['X'] = "#...# #...# .#.#. ..#.. .#.#. #...# #...#",
            ['Y'] = "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..",
            ['Z'] = "##### ....# ...#. ..#.. .#... #.... #####",
            ['a'] = "..... ..... .###. ....# .#### #...# .####",
            ['b'] = "#.... #.... #.##. ##..# #...# #...# ####.",
            ['c'] = "..... ..... .###. #.... #.... #...# .###.",
            ['d'] = "....# ....# .##.# #..## #...# #...# .####",
            ['e'] = "..... ..... .###. #...# ##### #.... .###.",
            ['f'] = "..##. .#..# .#... ###.. .#... .#... .#...",
            ['g'] = "..... ..... .#### #...# #...# #...# .#### ....# .###.",
            ['h'] = "#.... #.... #.##. ##..# #...# #...# #...#",
            ['i'] = "..#.. ..... .##.. ..#.. ..#.. ..#.. .###.",
            ['j'] = "...#. ..... ..##. ...#. ...#. ...#. ...#. #..#. .##..",
            ['k'] = "#.... #.... #..#. #.#.. ##... #.#.. #..#.",
            ['l'] = ".##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
            ['m'] = "..... ..... ##.#. #.#.# #.#.# #...# #...#",
            ['n'] = "..... ..... #.##. ##..# #...# #...# #...#",
            ['o'] = "..... ..... .###. #...# #...# #...# .###.",
            ['p'] = "..... ..... ####. #...# #...# #...# ####. #.... #....",
            ['q'] = "..... ..... .#### #...# #...# #...# .#### ....# ....#",
            ['r'] = "..... ..... #.##. ##..# #.... #.... #....",
            ['s'] = "..... ..... .###. #.... .###. ....# ####.",
            ['t'] = ".#... .#... ###.. .#... .#... .#..# ..##.",
            ['u'] = "..... ..... #...# #...# #...# #..## .##.#",
            ['v'] = "..... ..... #...# #...# #...# .#.#. ..#..",
            ['w'] = "..... ..... #...# #...# #.#.# #.#.# .#.#.",
            ['x'] = "..... ..... #...# .#.#. ..#.. .#.#. #...#",
            ['y'] = "..... ..... #...# #...# #...# #...# .#### ....# .###.",
            ['z'] = "..... ..... ##### ...#. ..#.. .#... #####",
            ['.'] = "..... ..... ..... ..... ..... .##.. .##..",
            [','] = "..... ..... ..... ..... ..... .##.. .##.. ..#.. .#...",
            ['-'] = "..... ..... ..... .###. ..... ..... .....",
            ['+'] = "..... ..#.. ..#.. ##### ..#.. ..#.. .....",
            ['='] = "..... ..... ##### ..... ##### ..... .....",
            [':'] = "..... .##.. .##.. ..... .##.. .##.. .....",
            [';'] = "..... .##.. .##.. ..... .##.. .##.. ..#.. .#...",
            ['('] = "...#. ..#.. .#... .#... .#... ..#.. ...#.",
            [')'] = ".#... ..#.. ...#. ...#. ...#. ..#.. .#...",
            ['['] = ".###. .#... .#... .#... .#... .#... .###.",
            [']'] = ".###. ...#. ...#. ...#. ...#. ...#. .###.",
            ['/'] = "..... ....# ...#. ..#.. .#... #.... .....",
            ['_'] = "..... ..... ..... ..... ..... ..... #####",
            ['\''] = "..#.. ..#.. .#... ..... ..... ..... .....",
            ['"'] = ".#.#. .#.#. ..... ..... ..... ..... .....",
            ['!'] = "..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..",
            ['?'] = ".###. #...# ....# ...#. ..#.. ..... ..#..",
            ['%'] = "##... ##..# ...#. ..#.. .#... #..## ...##",
            ['*'] = "..... ..#.. #.#.# .###. #.#.# ..#.. .....",
            ['<'] = "...#. ..#.. .#... #.... .#... ..#.. ...#.",
            ['>'] = ".#... ..#.. ...#. ....# ...#. ..#.. .#...",
            ['|'] = "..#.. ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
            ['#'] = ".#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.",
            ['^'] = "..#.. .#.#. #...# ..... ..... ..... .....",
            ['~'] = "..... ..... .#... #.#.# ...#. ..... .....",
            ['α'] = "..... ..... .##.# #..#. #..#. #..#. .##.#",
            ['θ'] = ".###. #...# #...# ##### #...# #...# .###.",
        };
        return d.ToFrozenDictionary(kv => kv.Key, kv => Parse(kv.Value));
    }

    private static byte[] Parse(string pattern)
    {
        var rows = new byte[CellHeight];
        var parts = pattern.Split(' ');
        for (var r = 0; r < parts.Length; r++)
        {
            for (var c = 0; c < GlyphWidth; c++)
            {
                if (parts[r][c] == '#')
                {
                    rows[r] |= (byte)(1 << (GlyphWidth - 1 - c));
                }
            }
        }

        return rows;
    }
}

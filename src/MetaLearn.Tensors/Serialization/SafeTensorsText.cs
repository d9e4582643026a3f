namespace MetaLearn.Tensors.Serialization;

/// <summary>String helpers shared by the safetensors reader and writer.</summary>
internal static class SafeTensorsText
{
    /// <summary>Longest excerpt of file-supplied text quoted in an error message.</summary>
    private const int MaxQuotedLength = 80;

    /// <summary>
    /// Quotes <paramref name="text"/> for an error message, shortened so that a hostile file cannot
    /// blow up the message with a multi-megabyte name.
    /// </summary>
    public static string Quote(string text) =>
        text.Length <= MaxQuotedLength ? $"'{text}'" : $"'{text[..MaxQuotedLength]}…' ({text.Length} characters)";

    /// <summary>
    /// Whether <paramref name="text"/> is well-formed UTF-16 (no unpaired surrogates), i.e. whether it
    /// can be encoded as UTF-8 without loss.
    /// </summary>
    public static bool IsWellFormedUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}

namespace MetaLearn.Docs.Tests;

/// <summary>
/// Finds the C# of a Markdown document: fenced blocks whose info string is <c>csharp</c> (or <c>cs</c>, <c>c#</c>), and
/// HTML comments that begin with <c>&lt;!-- run:</c>, whose code runs at that point but is not shown on the page (for
/// an assertion that keeps a guide's claim honest, or to call a test a guide defines).
/// </summary>
internal static class MarkdownCode
{
    private static readonly string[] CSharpInfo = ["csharp", "cs", "c#"];

    public static IReadOnlyList<CodeBlock> Extract(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<CodeBlock>();
        for (int i = 0; i < lines.Length; i++)
        {
            string trimmed = lines[i].TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                string info = trimmed[3..].Trim();
                int start = i + 1;
                int end = start;
                while (end < lines.Length && !lines[end].TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    end++;
                }

                if (CSharpInfo.Contains(info, StringComparer.OrdinalIgnoreCase))
                {
                    blocks.Add(new CodeBlock(string.Join("\n", lines[start..end]), start + 1, Hidden: false));
                }

                i = end;
            }
            else if (trimmed.StartsWith("<!-- run:", StringComparison.Ordinal))
            {
                int start = i;
                int end = start;
                while (end < lines.Length && !lines[end].Contains("-->", StringComparison.Ordinal))
                {
                    end++;
                }

                string text = string.Join("\n", lines[start..(end + 1)]);
                int open = text.IndexOf("<!-- run:", StringComparison.Ordinal) + "<!-- run:".Length;
                int close = text.LastIndexOf("-->", StringComparison.Ordinal);
                blocks.Add(new CodeBlock(text[open..close], start + 1, Hidden: true));
                i = end;
            }
        }

        return blocks;
    }
}

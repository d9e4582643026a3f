namespace MetaLearn.Docs.Tests;

/// <summary>A piece of C# in a Markdown document: a ```csharp block, or the code of a <c>&lt;!-- run: ... --&gt;</c> comment.</summary>
/// <param name="Code">The C# text.</param>
/// <param name="Line">The 1-based line of the document where the code starts.</param>
/// <param name="Hidden">Whether it comes from a comment (run, but not shown on the page).</param>
internal sealed record CodeBlock(string Code, int Line, bool Hidden);

namespace MetaLearn.TextEmbeddings.Tests;

/// <summary>The intent dataset copied beside the tests (data/intents/assistant_intents.tsv in the repository).</summary>
internal static class IntentData
{
    public static string Path()
    {
        var path = System.IO.Path.Combine(AppContext.BaseDirectory, "data", "assistant_intents.tsv");
        if (!File.Exists(path))
        {
            Assert.Fail($"The intent dataset is not at '{path}'; the test project copies it from data/intents/assistant_intents.tsv.");
        }

        return path;
    }
}

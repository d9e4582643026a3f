namespace MetaLearn.TextEmbeddings;

/// <summary>A text and its label (an intent's name, a topic, ...).</summary>
/// <param name="Text">The text.</param>
/// <param name="Label">Its label.</param>
public sealed record LabeledText(string Text, string Label);

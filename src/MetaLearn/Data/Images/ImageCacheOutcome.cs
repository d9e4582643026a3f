namespace MetaLearn.Data.Images;

/// <summary>What a load did with its decoded-image cache file.</summary>
public enum ImageCacheOutcome
{
    /// <summary>No cache file was given.</summary>
    NotUsed,

    /// <summary>The cache matched the source and the options and was read instead of decoding.</summary>
    Hit,

    /// <summary>There was no cache file; the images were decoded and the cache written.</summary>
    Created,

    /// <summary>The cache was for other options, another source or another format version; it was rewritten.</summary>
    ReplacedStale,

    /// <summary>The cache was truncated or its checksum did not match; it was not trusted and was rewritten.</summary>
    ReplacedCorrupt,
}

namespace MetaLearn.Data.Images;

/// <summary>The colour channels an image is decoded to (the channel axis of its [C, H, W] tensor).</summary>
public enum ImageChannels
{
    /// <summary>One channel of luminance; colour images are converted with stb_image's weights (77·R + 150·G + 29·B) / 256.</summary>
    Grayscale = 1,

    /// <summary>Three channels, red, green and blue; grayscale images are repeated in all three; alpha is dropped.</summary>
    Rgb = 3,
}

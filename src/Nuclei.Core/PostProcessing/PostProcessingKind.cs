namespace Nuclei.Core.PostProcessing;

/// <summary>
/// A kind of value post-processing settings take (a number within 0..1, a count, a flag, a name from a list): how its
/// text is read, which typed values it allows, and how a value is written. The range is checked on the typed value, so
/// a value set in code is held to the same range as one read from text without being written out and read back.
/// </summary>
internal sealed class PostProcessingKind<T>(string expected, PostProcessingKind<T>.Reader read, Func<T, bool> accepts, Func<T, string> write)
    where T : notnull
{
    /// <summary>Parses text into a value of the type, whether or not the kind allows it.</summary>
    public delegate bool Reader(string text, out T value);

    /// <summary>What a value must be, as error messages say it ("a number within 0..1").</summary>
    public string Expected => expected;

    /// <summary>Reads <paramref name="text"/> (already trimmed); false when it is not a value of this kind.</summary>
    public bool TryRead(string text, out T value) => read(text, out value) && accepts(value);

    public bool Accepts(T value) => accepts(value);

    public string Write(T value) => write(value);
}
